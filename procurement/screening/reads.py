"""Read paths of screening: results and their history, rule-set versions, restriction lists, and
the batched look-ups the DataLoaders call. Every function checks READ_SCREENING, so vendors are
refused, and results are scoped to the purchases the principal may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer
from sqlalchemy.orm.attributes import set_committed_value

from procurement.models import Purchase, RestrictionEntry, RestrictionList, ScreeningRecord
from procurement.models import ScreeningRuleSetVersion as RuleSetRow
from procurement.paging import Page, keyset_page
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.prepared import IDS, ids_param, prepared
from procurement.shared_json import decode_shared

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

    def build() -> Select[Any]:  # (record, findings, reasons, missing facts)
        ids = select(Purchase.id).where(Purchase.id.in_(ids_param()))
        # The JSON columns come as text (CAST: asyncpg would decode json itself) and are decoded
        # once per process per distinct text (procurement/shared_json.py): a result row never
        # changes, and a page shows the same results again and again.
        return (
            select(ScreeningRecord)
            .add_columns(*(cast(column, Text) for column in _JSON_COLUMNS))
            .options(*(defer(column) for column in _JSON_COLUMNS))
            .where(
                ScreeningRecord.purchase_id.in_(scope_purchases(ids, principal)),
                ScreeningRecord.superseded_at.is_(None),
            )
        )

    stmt = prepared(screenings_by_purchase_ids, principal, build)
    out: dict[int, ScreeningRecord] = {}
    for row in await session.execute(stmt, {IDS: list(purchase_ids)}):
        record = current_screening(row)
        if record is not None:  # always: an inner read
            out[record.purchase_id] = record
    return out


_JSON_COLUMNS = (ScreeningRecord.findings, ScreeningRecord.reasons, ScreeningRecord.missing_facts)


def with_current_screening(stmt: Select[Any]) -> Select[Any]:
    """``stmt``, which selects purchases, with each one's current screening result as four more
    columns: the record (None without one) and its JSON columns as text, which
    ``current_screening`` puts together. For a page that shows its purchases' results without a
    batch read of its own; the caller checks READ_SCREENING, the purchases' scope is the page's.

    The newest current result is joined, so a purchase stays one row even if two results were
    ever left current (the batch read would show either of them)."""
    newer = aliased(ScreeningRecord)
    current = (
        select(func.max(newer.id))
        .where(newer.purchase_id == Purchase.id, newer.superseded_at.is_(None))
        .scalar_subquery()
    )
    return (
        stmt.add_columns(ScreeningRecord, *(cast(column, Text) for column in _JSON_COLUMNS))
        .outerjoin(ScreeningRecord, ScreeningRecord.id == current)
        .options(*(defer(column) for column in _JSON_COLUMNS))
    )


def current_screening(columns: Sequence[Any]) -> ScreeningRecord | None:
    """The result from the four columns ``with_current_screening`` added to a row."""
    record, *texts = columns
    if record is None:
        return None
    for column, text in zip(_JSON_COLUMNS, texts, strict=True):
        set_committed_value(record, column.key, decode_shared(text))
    return record  # type: ignore[no-any-return]


SCREENING_COLUMNS = 1 + len(_JSON_COLUMNS)  # what with_current_screening adds to a row


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
