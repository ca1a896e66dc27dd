"""Read paths: scoped, keyset-paginated lists and batched look-ups for the DataLoaders.

Every read goes through the scoping helpers in :mod:`procurement.permissions`, so no entry point
can see rows its principal may not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Select, and_, func, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseCategory, PurchaseStatus, Verdict
from procurement.models import (
    Account,
    ApiToken,
    AuditEvent,
    CiiSystem,
    Operator,
    OperatorIdentification,
    Purchase,
    ResponsiblePerson,
    RestrictionEntry,
    RestrictionList,
    ScreeningRecord,
    Vendor,
)
from procurement.paging import Page, keyset_page
from procurement.permissions import (
    Action,
    Principal,
    can,
    require,
    scope_operators,
    scope_purchases,
    scope_vendors,
)
from procurement.prepared import IDS, ids_param, prepared
from procurement.validation import contains_pattern


async def list_operators(
    session: AsyncSession, principal: Principal, after_id: int | None, limit: int
) -> Page[Operator]:
    require(principal, Action.READ_OPERATORS)
    return await keyset_page(
        session, scope_operators(select(Operator), principal), Operator.id, after_id, limit
    )


async def list_vendors(
    session: AsyncSession,
    principal: Principal,
    after_id: int | None,
    limit: int,
    search: str | None = None,
) -> Page[Vendor]:
    require(principal, Action.READ_VENDORS)
    stmt = scope_vendors(select(Vendor), principal)
    if search:
        stmt = stmt.where(Vendor.name.ilike(contains_pattern("search", search), escape="\\"))
    return await keyset_page(session, stmt, Vendor.id, after_id, limit)


async def list_audit_events(
    session: AsyncSession,
    principal: Principal,
    after_id: int | None,
    limit: int,
    object_type: str | None = None,
    object_id: int | None = None,
) -> Page[AuditEvent]:
    require(principal, Action.READ_AUDIT)
    stmt = select(AuditEvent)
    if not principal.is_admin:
        stmt = stmt.where(AuditEvent.operator_id == principal.operator_id)
    if object_type is not None:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    return await keyset_page(session, stmt, AuditEvent.id, after_id, limit)


async def list_tokens(session: AsyncSession, principal: Principal) -> list[ApiToken]:
    require(principal, Action.MANAGE_TOKENS)
    return list(await session.scalars(select(ApiToken).order_by(ApiToken.id)))


async def count_accounts(session: AsyncSession) -> int:
    """For the first start only (no permission: nobody can sign in before an account exists)."""
    return int(await session.scalar(select(func.count()).select_from(Account)) or 0)


async def list_accounts(session: AsyncSession, principal: Principal) -> list[Account]:
    require(principal, Action.MANAGE_ACCOUNTS)
    return list(await session.scalars(select(Account).order_by(Account.id)))


# --- batched look-ups for DataLoaders: one IN query per batch, scoped, results keyed by id ---


async def operators_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, Operator]:
    stmt = prepared(
        operators_by_ids,
        principal,
        lambda: scope_operators(select(Operator).where(Operator.id.in_(ids_param())), principal),
    )
    return {row.id: row for row in await session.scalars(stmt, {IDS: list(ids)})}


async def vendors_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, Vendor]:
    stmt = prepared(
        vendors_by_ids,
        principal,
        lambda: scope_vendors(select(Vendor).where(Vendor.id.in_(ids_param())), principal),
    )
    return {row.id: row for row in await session.scalars(stmt, {IDS: list(ids)})}


async def purchases_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, Purchase]:
    stmt = prepared(
        purchases_by_ids,
        principal,
        lambda: scope_purchases(select(Purchase).where(Purchase.id.in_(ids_param())), principal),
    )
    return {row.id: row for row in await session.scalars(stmt, {IDS: list(ids)})}


async def cii_systems_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, CiiSystem]:
    # Which systems an operator protects, and their names, are internal: never for vendors.
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = select(CiiSystem).where(CiiSystem.id.in_(ids))
    if not principal.is_admin:
        stmt = stmt.where(
            CiiSystem.operator_id.in_(scope_operators(select(Operator.id), principal))
        )
    return {row.id: row for row in await session.scalars(stmt)}


async def cii_systems_by_operator_ids(
    session: AsyncSession, principal: Principal, operator_ids: Sequence[int]
) -> dict[int, list[CiiSystem]]:
    require(principal, Action.READ_INTERNAL_FIELDS)
    visible = scope_operators(select(Operator.id).where(Operator.id.in_(operator_ids)), principal)
    stmt = select(CiiSystem).where(CiiSystem.operator_id.in_(visible)).order_by(CiiSystem.id)
    out: dict[int, list[CiiSystem]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.operator_id, []).append(row)
    return out


async def identifications_by_operator_ids(
    session: AsyncSession, principal: Principal, operator_ids: Sequence[int]
) -> dict[int, list[OperatorIdentification]]:
    """Each operator's identification periods, oldest first (internal, as its CII systems)."""
    require(principal, Action.READ_INTERNAL_FIELDS)
    visible = scope_operators(select(Operator.id).where(Operator.id.in_(operator_ids)), principal)
    stmt = (
        select(OperatorIdentification)
        .where(OperatorIdentification.operator_id.in_(visible))
        .order_by(OperatorIdentification.identified_on, OperatorIdentification.id)
    )
    out: dict[int, list[OperatorIdentification]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.operator_id, []).append(row)
    return out


async def persons_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int]
) -> dict[int, list[ResponsiblePerson]]:
    require(principal, Action.READ_INTERNAL_FIELDS)
    visible = scope_purchases(select(Purchase.id).where(Purchase.id.in_(purchase_ids)), principal)
    stmt = (
        select(ResponsiblePerson)
        .where(ResponsiblePerson.purchase_id.in_(visible))
        .order_by(ResponsiblePerson.id)
    )
    out: dict[int, list[ResponsiblePerson]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.purchase_id, []).append(row)
    return out


async def restrictions_by_vendor_ids(
    session: AsyncSession, principal: Principal, vendor_ids: Sequence[int]
) -> dict[int, list[tuple[RestrictionEntry, RestrictionList]]]:
    """Restriction-list entries naming each vendor, with their list (source and date)."""
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = (
        select(RestrictionEntry, RestrictionList)
        .join(RestrictionList, RestrictionList.id == RestrictionEntry.list_id)
        .where(RestrictionEntry.vendor_id.in_(vendor_ids))
        .order_by(RestrictionEntry.id)
    )
    out: dict[int, list[tuple[RestrictionEntry, RestrictionList]]] = {}
    for entry, lst in await session.execute(stmt):
        assert entry.vendor_id is not None
        out.setdefault(entry.vendor_id, []).append((entry, lst))
    return out


# --- the console's purchase register: filters, sorting and numbered pages ---


class RegisterSort(StrEnum):
    ID = "id"
    TITLE = "title"
    CONTRACT_DATE = "contract_date"
    VALUE = "value"  # the amount in the purchase's own currency
    VENDOR = "vendor"


@dataclass(frozen=True, slots=True)
class RegisterQuery:
    status: PurchaseStatus | None = None
    verdict: Verdict | None = None  # internal: needs READ_SCREENING
    vendor_id: int | None = None
    category: PurchaseCategory | None = None
    cii_system_id: int | None = None  # internal: needs READ_INTERNAL_FIELDS
    search: str | None = None
    sort: RegisterSort = RegisterSort.ID
    descending: bool = False
    offset: int = 0
    limit: int = 25


@dataclass(frozen=True, slots=True)
class RegisterRow:
    purchase: Purchase
    vendor_name: str
    verdict: Verdict | None  # None: not screened yet, or the principal may not see screening


@dataclass(frozen=True, slots=True)
class RegisterPage:
    rows: list[RegisterRow]
    total_count: int


_SORT_COLUMNS: dict[RegisterSort, Any] = {
    RegisterSort.ID: Purchase.id,
    RegisterSort.TITLE: Purchase.title,
    RegisterSort.CONTRACT_DATE: Purchase.contract_date,
    RegisterSort.VALUE: Purchase.contract_value,
    RegisterSort.VENDOR: Vendor.name,
}


async def purchase_register(
    session: AsyncSession, principal: Principal, query: RegisterQuery
) -> RegisterPage:
    """One page of the purchases the principal sees, with vendor name and current verdict; a
    count and one query. Internal filters are refused to those who may not see internal facts
    (a vendor filtering by verdict would learn its verdicts)."""
    require(principal, Action.READ_PURCHASES)
    sees_screening = can(principal, Action.READ_SCREENING)
    if query.verdict is not None:
        require(principal, Action.READ_SCREENING)
    if query.cii_system_id is not None:
        require(principal, Action.READ_INTERNAL_FIELDS)
    # The count runs over the purchases alone (joins only where a filter needs them).
    counted = _register_filters(scope_purchases(select(Purchase.id), principal), query)
    total = await session.scalar(select(func.count()).select_from(counted.subquery()))
    verdict = ScreeningRecord.verdict if sees_screening else null()
    # Three columns; the scoping helper is typed for one-entity selects.
    joined = cast(
        "Select[Any]",
        select(Purchase, Vendor.name, verdict).join(Vendor, Vendor.id == Purchase.vendor_id),
    )
    stmt = _register_filters(scope_purchases(joined, principal), query)
    if sees_screening and query.verdict is None:
        stmt = stmt.outerjoin(ScreeningRecord, _current_screening())
    column = _SORT_COLUMNS[query.sort]
    key = column.desc() if query.descending else column.asc()
    tie = Purchase.id.desc() if query.descending else Purchase.id.asc()
    page = stmt.order_by(key, tie).offset(max(query.offset, 0)).limit(query.limit)
    rows = [RegisterRow(p, name, v) for p, name, v in await session.execute(page)]
    return RegisterPage(rows=rows, total_count=int(total or 0))


def _current_screening() -> Any:
    return and_(ScreeningRecord.purchase_id == Purchase.id, ScreeningRecord.superseded_at.is_(None))


def _register_filters(stmt: Select[Any], query: RegisterQuery) -> Select[Any]:
    if query.verdict is not None:
        stmt = stmt.join(ScreeningRecord, _current_screening())
        stmt = stmt.where(ScreeningRecord.verdict == query.verdict)
    if query.status is not None:
        stmt = stmt.where(Purchase.status == query.status)
    if query.vendor_id is not None:
        stmt = stmt.where(Purchase.vendor_id == query.vendor_id)
    if query.category is not None:
        stmt = stmt.where(Purchase.category == query.category)
    if query.cii_system_id is not None:
        stmt = stmt.where(Purchase.cii_system_id == query.cii_system_id)
    if query.search:
        pattern = contains_pattern("search", query.search)
        stmt = stmt.where(Purchase.title.ilike(pattern, escape="\\"))
    return stmt


async def cii_systems_for(session: AsyncSession, principal: Principal) -> list[CiiSystem]:
    """The CII systems of the operators the principal works for (the register's filter)."""
    require(principal, Action.READ_INTERNAL_FIELDS)
    visible = scope_operators(select(Operator.id), principal)
    stmt = select(CiiSystem).where(CiiSystem.operator_id.in_(visible)).order_by(CiiSystem.id)
    return list(await session.scalars(stmt))
