"""A small, fully known data set for tests: two operators, two vendors, three purchases, and one
token per role, all created through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.clock import pinned_today
from procurement.db import Base
from procurement.enums import Ownership, PersonRole, PurchaseCategory, Role, Sector
from procurement.models import AuditEvent, Job
from procurement.notifications.enqueue import DELIVER, FAN_OUT
from procurement.permissions import SYSTEM, Action, Principal, can
from procurement.reference_data import credit_code_check_char
from procurement.registry.actions import operators, purchases, tokens, vendors

CODE_A = "91310000MA1FL00A1"
CODE_B = "91110000MA01C00B2"


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


@dataclass
class World:
    operator_a: int = 0
    operator_b: int = 0
    system_a: int = 0
    vendor_cn: int = 0
    vendor_us: int = 0
    purchase_a_cn: int = 0
    purchase_a_us: int = 0
    purchase_b_cn: int = 0
    secrets: dict[str, str] = field(default_factory=dict)


def principals_allowed(world: World, action: Action) -> list[Principal]:
    """Principals of every role that may do ``action``: staff of each operator and of none,
    vendor users alone and within an operator, and an admin. For checks that a read gives every
    kind of caller exactly what its scope allows."""
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
    return [principal for principal in found if can(principal, action)]


def person(name: str, role: PersonRole = PersonRole.PERSON_IN_CHARGE) -> purchases.PersonInput:
    return purchases.PersonInput(name=name, role=role, position=None)


def purchase_input(operator_id: int, vendor_id: int, title: str, **overrides: Any) -> Any:
    values: dict[str, Any] = dict(
        operator_id=operator_id,
        vendor_id=vendor_id,
        title=title,
        category=PurchaseCategory.CORE_NETWORK_EQUIPMENT,
        contract_value=Decimal("1200000.00"),
        currency="CNY",
        tax_included=True,
        contract_date=date(2025, 3, 1),
        persons=[person("Zhang Wei"), person("Liu Yang", PersonRole.OTHER_RESPONSIBLE)],
    )
    values.update(overrides)
    return purchases.PurchaseInput(**values)


async def build_world(session: AsyncSession) -> World:
    w = World()
    a = await operators.register_operator(
        session,
        SYSTEM,
        operators.OperatorInput(
            name="Operator A",
            credit_code=credit_code(CODE_A),
            sector=Sector.ENERGY,
            is_cii_operator=True,
            cii_systems=[operators.CiiSystemInput("Dispatch SCADA", None, True)],
        ),
    )
    b = await operators.register_operator(
        session,
        SYSTEM,
        operators.OperatorInput(
            name="Operator B",
            credit_code=credit_code(CODE_B),
            sector=Sector.FINANCE,
            is_cii_operator=True,
        ),
    )
    w.operator_a, w.operator_b = a.id, b.id
    from procurement.models import CiiSystem

    system_a = await session.scalar(select(CiiSystem.id).where(CiiSystem.operator_id == a.id))
    assert system_a is not None
    w.system_a = system_a
    cn = await vendors.register_vendor(
        session,
        SYSTEM,
        vendors.VendorInput(name="Huaxin Networks", country="CN", ownership=Ownership.PRIVATE),
    )
    us = await vendors.register_vendor(
        session,
        SYSTEM,
        vendors.VendorInput(name="Northwind Storage", country="US", ownership=Ownership.PRIVATE),
    )
    w.vendor_cn, w.vendor_us = cn.id, us.id
    w.purchase_a_cn = (
        await purchases.register_purchase(
            session, SYSTEM, purchase_input(a.id, cn.id, "Core routers", cii_system_id=w.system_a)
        )
    ).id
    w.purchase_a_us = (
        await purchases.register_purchase(
            session,
            SYSTEM,
            purchase_input(
                a.id,
                us.id,
                "Storage array",
                category=PurchaseCategory.MASS_STORAGE_DEVICE,
                contract_value=Decimal("250000.50"),
                currency="USD",
            ),
        )
    ).id
    w.purchase_b_cn = (
        await purchases.register_purchase(
            session, SYSTEM, purchase_input(b.id, cn.id, "Branch switches")
        )
    ).id
    for role in Role:
        data = tokens.TokenInput(
            role=role,
            name=f"{role.value} user",
            operator_id=None if role in (Role.ADMIN, Role.VENDOR) else a.id,
            vendor_id=cn.id if role is Role.VENDOR else None,
        )
        _token, secret = await tokens.create_token(session, SYSTEM, data)
        w.secrets[role.value] = secret
    _token, secret = await tokens.create_token(
        session, SYSTEM, tokens.TokenInput(role=Role.PROCUREMENT, name="B buyer", operator_id=b.id)
    )
    w.secrets["procurement_b"] = secret
    # The set-up's outbox events enqueued their fan-out jobs; the tests start with no job (those
    # about notifications drain the world's events themselves, before subscribing).
    await session.execute(delete(Job).where(Job.kind == FAN_OUT))
    await session.commit()
    return w


NOTIFICATION_JOBS = (FAN_OUT, DELIVER)


async def row_counts(session: AsyncSession) -> dict[str, int]:
    """Rows per table: a denied or failed request must leave these unchanged. A refusal that is
    audited may be a notice, whose delivery is a job: ``jobs`` counts only the other work (the
    notice itself is counted in ``notification_events``)."""
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        stmt = select(func.count()).select_from(table)
        if table.name == Job.__tablename__:
            stmt = stmt.where(Job.kind.not_in(NOTIFICATION_JOBS))
        counts[table.name] = int(await session.scalar(stmt) or 0)
    return counts


async def audit_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


async def warm_token(client: httpx.AsyncClient, secret: str) -> None:
    """Use a token once, so that a statement count after it sees a token in use: its last use
    is recorded at most every ten minutes (one UPDATE on the first request), not per request."""
    status, _body = await gql(client, secret, "{ __typename }")
    assert status == 200


async def gql(
    client: httpx.AsyncClient,
    secret: str | None,
    query: str,
    variables: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any]]:
    headers = {"authorization": f"Bearer {secret}"} if secret else {}
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = await client.post("/graphql", json=body, headers=headers)
    return response.status_code, response.json()


# The day the test world is built: its review cases open then, so every legal date a test records
# afterwards (a triage on 2025-04-02, a filing in September 2025...) follows the opening, as the
# services require (a triage dated before the case opened is refused).
WORLD_BUILT_ON = date(2025, 4, 1)


async def build_world_as_of_opening(session: AsyncSession) -> World:
    """:func:`build_world` as of :data:`WORLD_BUILT_ON` (the seed the ``world`` fixture uses)."""
    with pinned_today(WORLD_BUILT_ON):
        return await build_world(session)
