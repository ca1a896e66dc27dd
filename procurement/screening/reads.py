"""Read paths of screening: results and their history, rule-set versions, restriction lists, and
the batched look-ups the DataLoaders call. Every function checks READ_SCREENING, so vendors are
refused, and results are scoped to the purchases the principal may see."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Purchase, RestrictionEntry, RestrictionList, ScreeningRecord
from procurement.models import ScreeningRuleSetVersion as RuleSetRow
from procurement.paging import Page, keyset_page
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.prepared import IDS, ids_param, prepared

HISTORY_LIMIT = 20  # screening results shown per purchase (the newest)


async def rule_set_versions(session: AsyncSession, principal: Principal) -> list[RuleSetRow]:
    """Every stored version, newest first (version 1, the built-in default, has no row)."""
    require(principal, Action.READ_SCREENING)
    return list(await session.scalars(select(RuleSetRow).order_by(RuleSetRow.version.desc())))


async def list_restriction_lists(
    session: AsyncSession, principal: Principal, after_id: int | None, limit: int
) -> Page[RestrictionList]:
    require(principal, Action.READ_SCREENING)
    return await keyset_page(session, select(RestrictionList), RestrictionList.id, after_id, limit)


# --- batched look-ups for DataLoaders ---


async def entries_by_list_ids(
    session: AsyncSession, principal: Principal, list_ids: Sequence[int]
) -> dict[int, list[RestrictionEntry]]:
    require(principal, Action.READ_SCREENING)
    stmt = (
        select(RestrictionEntry)
        .where(RestrictionEntry.list_id.in_(list_ids))
        .order_by(RestrictionEntry.id)
    )
    out: dict[int, list[RestrictionEntry]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.list_id, []).append(row)
    return out


async def screenings_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int]
) -> dict[int, ScreeningRecord]:
    require(principal, Action.READ_SCREENING)

    def build() -> Select[ScreeningRecord]:
        ids = select(Purchase.id).where(Purchase.id.in_(ids_param()))
        return select(ScreeningRecord).where(
            ScreeningRecord.purchase_id.in_(scope_purchases(ids, principal)),
            ScreeningRecord.superseded_at.is_(None),
        )

    stmt = prepared(screenings_by_purchase_ids, principal, build)
    return {row.purchase_id: row for row in await session.scalars(stmt, {IDS: list(purchase_ids)})}


async def screening_history_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int]
) -> dict[int, list[ScreeningRecord]]:
    """The newest HISTORY_LIMIT results of each purchase, newest first."""
    require(principal, Action.READ_SCREENING)
    visible = scope_purchases(select(Purchase.id).where(Purchase.id.in_(purchase_ids)), principal)
    stmt = (
        select(ScreeningRecord)
        .where(ScreeningRecord.purchase_id.in_(visible))
        .order_by(ScreeningRecord.id.desc())
    )
    out: dict[int, list[ScreeningRecord]] = {}
    for row in await session.scalars(stmt):
        history = out.setdefault(row.purchase_id, [])
        if len(history) < HISTORY_LIMIT:
            history.append(row)
    return out
