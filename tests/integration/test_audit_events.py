"""Audit events: one per change, written in the change's transaction, and append-only in the
database itself (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.enums import Ownership, Role, Sector
from procurement.errors import InputError, PermissionDenied
from procurement.models import AuditEvent, Vendor
from procurement.permissions import Principal
from procurement.registry.actions import operators, purchases, tokens, vendors
from procurement.registry.authentication import authenticate
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, audit_count, person, purchase_input, row_counts

Work = Callable[[AsyncSession, Principal, World], Awaitable[Any]]


async def _principal(db: DatabaseUnderTest, secret: str) -> Principal:
    async with db.sessions() as session:
        principal = await authenticate(session, secret)
    assert principal is not None
    return principal


async def _legal_token(s: AsyncSession, p: Principal, w: World) -> Any:
    data = tokens.TokenInput(role=Role.LEGAL, name="counsel", operator_id=w.operator_a)
    token, _secret = await tokens.create_token(s, p, data)
    return token


async def _revoke(s: AsyncSession, p: Principal, w: World) -> Any:
    token = await _legal_token(s, p, w)
    return await tokens.revoke_token(s, p, token.id)


def _new_purchase(w: World) -> purchases.PurchaseInput:
    data: purchases.PurchaseInput = purchase_input(
        w.operator_a,
        w.vendor_us,
        "Tape library",
        contract_value="98000.10",
        persons=[person("Chen")],
    )
    return data


# name -> (caller, the service call, action, object type, operator of the event)
MUTATIONS: dict[str, tuple[str, Work, str, str, str | None]] = {
    "register_operator": (
        "admin",
        lambda s, p, w: operators.register_operator(
            s,
            p,
            operators.OperatorInput("Operator C", "91440100MA59W00C3U", Sector.TRANSPORT, True),
        ),
        "operator.registered",
        "Operator",
        "itself",
    ),
    "register_vendor": (
        "procurement",
        lambda s, p, w: vendors.register_vendor(
            s, p, vendors.VendorInput("Lianhe", "CN", Ownership.STATE)
        ),
        "vendor.registered",
        "Vendor",
        "operator_a",  # the registering operator's auditors see it
    ),
    "update_vendor": (
        "procurement",
        lambda s, p, w: vendors.update_vendor(s, p, w.vendor_us, {"name": "Northwind Inc."}),
        "vendor.updated",
        "Vendor",
        "operator_a",  # the US vendor supplies operator A only
    ),
    "register_purchase": (
        "procurement",
        lambda s, p, w: purchases.register_purchase(s, p, _new_purchase(w)),
        "purchase.registered",
        "Purchase",
        "operator_a",
    ),
    "update_purchase": (
        "procurement",
        lambda s, p, w: purchases.update_purchase(s, p, w.purchase_a_cn, {"title": "Routers"}),
        "purchase.updated",
        "Purchase",
        "operator_a",
    ),
    "record_purchase_in_use": (
        "procurement",
        lambda s, p, w: purchases.record_purchase_in_use(s, p, w.purchase_a_cn, "2025-04-01"),
        "purchase.in_use_recorded",
        "Purchase",
        "operator_a",
    ),
    "create_token": ("admin", _legal_token, "token.created", "ApiToken", "operator_a"),
    "revoke_token": ("admin", _revoke, "token.revoked", "ApiToken", "operator_a"),
}


async def _latest(db: DatabaseUnderTest, action: str | None = None) -> AuditEvent:
    """The newest event (of ``action``, when given: a change may also rescreen its purchase)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    async with db.sessions() as session:
        event = await session.scalar(stmt)
    assert event is not None
    return event


async def _events(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        return await audit_count(session)


@pytest.mark.parametrize("name", list(MUTATIONS))
async def test_each_mutation_writes_exactly_one_event(
    db: DatabaseUnderTest, world: World, name: str
) -> None:
    # given the caller's principal, from its real token
    caller, work, action, object_type, operator = MUTATIONS[name]
    principal = await _principal(db, world.secrets[caller])
    before = await _events(db)
    # when the service runs (revoke_token first creates the token it revokes: one more event)
    async with db.sessions() as session:
        result = await work(session, principal, world)
    # then exactly one event per change names the action, the object, the actor and the operator
    # (a new purchase is also screened, and its YES verdict opens a review case: two more events)
    consequences = ["screening.verdict_changed", "review_case.opened"]
    extra = {"revoke_token": 1, "register_purchase": len(consequences)}.get(name, 0)
    assert await _events(db) == before + 1 + extra
    async with db.sessions() as session:
        new = list(await session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
    if name == "register_purchase":
        assert [e.action for e in new] == [action, *consequences]
    event = new[-1] if name == "revoke_token" else new[0]
    expected_operator = result.id if operator == "itself" else getattr(world, operator or "", None)
    assert (event.action, event.object_type, event.object_id, event.operator_id) == (
        action,
        object_type,
        result.id,
        expected_operator,
    )
    assert (event.actor_token_id, event.actor_name, event.actor_role) == (
        principal.token_id,
        f"{caller} user",
        caller,
    )


async def test_revoking_a_revoked_token_writes_nothing(db: DatabaseUnderTest, world: World) -> None:
    # given a token revoked once
    principal = await _principal(db, world.secrets["admin"])
    async with db.sessions() as session:
        token = await _revoke(session, principal, world)
    before = await _events(db)
    # when revoking it again
    async with db.sessions() as session:
        again = await tokens.revoke_token(session, principal, token.id)
    # then nothing changed: no second event, the first revocation time kept
    assert await _events(db) == before
    assert again.revoked_at == token.revoked_at


async def test_vendor_update_records_exact_before_and_after(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the US vendor as registered by the test world
    principal = await _principal(db, world.secrets["procurement"])
    async with db.sessions() as session:
        old = await session.get(Vendor, world.vendor_us)
    assert old is not None
    changes = {"name": "Northwind Inc.", "contact_email": "ops@northwind.example", "address": None}
    # when procurement changes its name and e-mail (and clears an already empty address)
    async with db.sessions() as session:
        await vendors.update_vendor(session, principal, world.vendor_us, {**changes})
    async with db.sessions() as session:
        new = await session.get(Vendor, world.vendor_us)
    assert new is not None and new.updated_at > old.updated_at
    # then the event holds the exact column values before and after
    before = {
        "id": world.vendor_us,
        "name": "Northwind Storage",
        "name_zh": None,
        "country": "US",
        "registration_id": None,
        "ownership": "PRIVATE",
        "ultimate_parent_name": None,
        "ultimate_parent_country": None,
        "address": None,
        "contact_name": None,
        "contact_email": None,
        "contact_phone": None,
        "created_at": old.created_at.isoformat(),
        "updated_at": old.updated_at.isoformat(),
    }
    after = before | {
        "name": "Northwind Inc.",
        "contact_email": "ops@northwind.example",
        "updated_at": new.updated_at.isoformat(),
    }
    event = await _latest(db)
    assert (event.action, event.before, event.after) == ("vendor.updated", before, after)


async def test_purchase_events_keep_money_and_dates_exact(
    db: DatabaseUnderTest, world: World
) -> None:
    # given procurement's principal
    principal = await _principal(db, world.secrets["procurement"])
    # when registering a purchase of 98,000.10 CNY and recording it in use
    async with db.sessions() as session:
        purchase = await purchases.register_purchase(session, principal, _new_purchase(world))
        registered = (await _latest(db, "purchase.registered")).after
        await purchases.record_purchase_in_use(session, principal, purchase.id, date(2025, 4, 1))
    in_use = await _latest(db, "purchase.in_use_recorded")
    # then the amount is the exact decimal string, dates are ISO, persons are listed
    assert registered is not None
    assert (registered["contract_value"], registered["currency"]) == ("98000.10", "CNY")
    assert Decimal(registered["contract_value"]) == Decimal("98000.10")
    assert registered["contract_date"] == "2025-03-01"
    assert registered["persons"] == [{"name": "Chen", "role": "PERSON_IN_CHARGE", "position": None}]
    assert (in_use.before, in_use.after) == ({"in_use_date": None}, {"in_use_date": "2025-04-01"})


async def test_a_failed_validation_writes_no_event(db: DatabaseUnderTest, world: World) -> None:
    # given procurement's principal and a row count of every table
    principal = await _principal(db, world.secrets["procurement"])
    async with db.sessions() as session:
        before = await row_counts(session)
    bad: list[Callable[[AsyncSession], Awaitable[Any]]] = [
        lambda s: vendors.register_vendor(s, principal, vendors.VendorInput("", "CN", "STATE")),
        lambda s: vendors.update_vendor(s, principal, world.vendor_us, {"country": "XX"}),
        lambda s: purchases.update_purchase(s, principal, world.purchase_a_cn, {"title": ""}),
        lambda s: purchases.record_purchase_in_use(s, principal, world.purchase_a_cn, "2024-12-31"),
    ]
    # when each service is called with bad input
    for call in bad:
        async with db.sessions() as session:
            with pytest.raises(InputError):
                await call(session)
    # then no event (and no other row) was written
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_change_and_event_share_one_transaction(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given writing the audit event fails after the vendor row was flushed
    principal = await _principal(db, world.secrets["procurement"])
    async with db.sessions() as session:
        before = await row_counts(session)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken)
    # when registering a vendor
    async with db.sessions() as session:
        with pytest.raises(RuntimeError, match="audit store unavailable"):
            await vendors.register_vendor(
                session, principal, vendors.VendorInput("Lianhe", "CN", "STATE")
            )
    # then the vendor was not committed without its event
    async with db.sessions() as session:
        assert await row_counts(session) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'tampered'",
        "UPDATE audit_events SET after = NULL WHERE action = 'token.created'",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE id = 1",
    ],
)
async def test_audit_table_refuses_update_and_delete(
    db: DatabaseUnderTest, world: World, statement: str
) -> None:
    # given the 20 events of the test world (14 changes; 3 screenings and 3 cases they opened)
    async with db.engine.connect() as connection:
        rows_before = (await connection.execute(text("SELECT * FROM audit_events"))).all()
    assert len(rows_before) == 20
    # when changing or deleting events with raw SQL, past the application
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.engine.begin() as connection:
            await connection.execute(text(statement))
    # then the database refused it and every event is as it was
    async with db.engine.connect() as connection:
        rows_after = (await connection.execute(text("SELECT * FROM audit_events"))).all()
    assert rows_after == rows_before


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_postgres_audit_table_refuses_truncate(db: DatabaseUnderTest, world: World) -> None:
    # given the 20 events of the test world on PostgreSQL
    # when truncating the table
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.engine.begin() as connection:
            await connection.execute(text("TRUNCATE audit_events"))
    # then the events are all still there
    async with db.sessions() as session:
        assert await audit_count(session) == 20


async def test_a_vendor_shared_by_two_operators_is_changed_by_an_admin_only_and_both_see_it(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the CN vendor, which supplies operator A and operator B
    buyer_a = await _principal(db, world.secrets["procurement"])
    admin = await _principal(db, world.secrets["admin"])
    before = await _events(db)
    # when operator A's buyer tries to rename it, then an admin does
    async with db.sessions() as session:
        with pytest.raises(PermissionDenied) as refused:
            await vendors.update_vendor(session, buyer_a, world.vendor_cn, {"name": "Renamed"})
    async with db.sessions() as session:
        await vendors.update_vendor(session, admin, world.vendor_cn, {"name": "Renamed"})
    # then the buyer was refused with the reason, and the admin's change is audited once for
    # each operator the vendor supplies, so both operators' auditors see it
    assert refused.value.message == (
        f"vendor {world.vendor_cn} also supplies other operators: only an administrator may "
        "change it"
    )
    async with db.sessions() as session:
        new = list(await session.scalars(select(AuditEvent).where(AuditEvent.id > before)))
    updates = [e for e in new if e.action == "vendor.updated"]
    assert sorted(e.operator_id or 0 for e in updates) == sorted(
        [world.operator_a, world.operator_b]
    )
