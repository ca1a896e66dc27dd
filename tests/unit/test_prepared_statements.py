"""procurement.prepared builds a batch read's statement once per scope: the same object for
principals of the same scope, another for another scope, the ids never part of it."""

from __future__ import annotations

from sqlalchemy import Select, select

from procurement.enums import Role
from procurement.models import Purchase
from procurement.permissions import Principal, scope_purchases
from procurement.prepared import IDS, ids_param, prepared


def build_for(principal: Principal) -> Select[Purchase]:
    return prepared(
        "test.purchases_by_ids",
        principal,
        lambda: scope_purchases(select(Purchase).where(Purchase.id.in_(ids_param())), principal),
    )


def test_one_statement_per_scope() -> None:
    # given two admins, two staff members of operator 1 and one of operator 2
    admin_a, admin_b = Principal(Role.ADMIN, "a", token_id=1), Principal(Role.ADMIN, "b")
    staff_1 = Principal(Role.PROCUREMENT, "c", operator_id=1, account_id=7)
    staff_1_again = Principal(Role.PROCUREMENT, "c", operator_id=1, account_id=7, token_id=9)
    staff_2 = Principal(Role.PROCUREMENT, "d", operator_id=2, account_id=8)
    # when each asks for the statement
    # then the same scope gets the very same object (its cache key computed once)
    assert build_for(admin_a) is build_for(admin_b)
    assert build_for(staff_1) is build_for(staff_1_again)
    # and another scope its own, scoped to its operator
    assert build_for(staff_1) is not build_for(staff_2)
    assert build_for(staff_1) is not build_for(admin_a)
    assert build_for(staff_2).compile().params == {"operator_id_1": 2, IDS: None}
    assert build_for(admin_a).compile().params == {IDS: None}
