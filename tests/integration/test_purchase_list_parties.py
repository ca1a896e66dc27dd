"""The purchases page read with its operators and vendors (procurement.registry.purchase_list)
gives, for every kind of principal, the same page as the plain read and exactly the parties the
scoped batch reads would: the join reads them unscoped, which is right only because a principal
who sees a purchase may see its operator and vendor."""

from __future__ import annotations

from procurement.enums import Role
from procurement.permissions import Action, Principal, can
from procurement.registry import purchase_list, reads
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


def _principals(world: World) -> list[Principal]:
    """Every role, in each operator, with and without one; vendors alone and within an operator."""
    found = [Principal(Role.ADMIN, "admin")]
    for role in (Role.PROCUREMENT, Role.LEGAL, Role.REVIEWER, Role.AUDITOR):
        found += [
            Principal(role, f"{role}-a", operator_id=world.operator_a),
            Principal(role, f"{role}-b", operator_id=world.operator_b),
            Principal(role, f"{role}-none"),
        ]
    for vendor in (world.vendor_cn, world.vendor_us):
        found += [
            Principal(Role.VENDOR, f"vendor-{vendor}", vendor_id=vendor),
            Principal(
                Role.VENDOR, f"vendor-{vendor}-a", vendor_id=vendor, operator_id=world.operator_a
            ),
        ]
    return [principal for principal in found if can(principal, Action.READ_PURCHASES)]


async def test_the_parties_read_with_a_page_are_those_the_scoped_reads_give(
    db: DatabaseUnderTest, world: World
) -> None:
    principals = _principals(world)
    assert len(principals) >= 10  # the roles above that may list purchases
    for principal in principals:
        async with db.sessions() as session:
            # when the page is read alone, and with its parties
            plain = await purchase_list.list_purchases(
                session, principal, purchase_list.PurchaseFilter(), None, 100
            )
            found = await purchase_list.list_purchases_with_parties(
                session, principal, purchase_list.PurchaseFilter(), None, 100
            )
            # then the pages are the same, and the parties are what the scoped reads return
            # for the page's keys (a principal who sees a purchase sees its operator and vendor)
            operator_ids = sorted({purchase.operator_id for purchase in plain.items})
            vendor_ids = sorted({purchase.vendor_id for purchase in plain.items})
            operators = await reads.operators_by_ids(session, principal, operator_ids)
            vendors = await reads.vendors_by_ids(session, principal, vendor_ids)
        label = principal.name
        assert [p.id for p in found.page.items] == [p.id for p in plain.items], label
        assert (found.page.has_next, found.page.total_count) == (False, len(plain.items)), label
        assert sorted(found.operators) == sorted(operators) == operator_ids, label
        assert sorted(found.vendors) == sorted(vendors) == vendor_ids, label
        assert all(found.operators[k].name == operators[k].name for k in operators), label


async def test_a_later_page_reads_its_parties_too(db: DatabaseUnderTest, world: World) -> None:
    # given the world's three purchases, read one at a time after the first
    async with db.sessions() as session:
        found = await purchase_list.list_purchases_with_parties(
            session, Principal(Role.ADMIN, "admin"), purchase_list.PurchaseFilter(),
            world.purchase_a_cn, 1,
        )  # fmt: skip
    # then the page holds the next purchase, and only its operator and vendor
    assert len(found.page.items) == 1 and found.page.total_count == 3
    purchase = found.page.items[0]
    assert purchase.id > world.purchase_a_cn
    assert list(found.operators) == [purchase.operator_id]
    assert list(found.vendors) == [purchase.vendor_id]
