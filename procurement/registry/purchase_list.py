"""The purchases list: a filtered, keyset-paginated page of the purchases a principal may see,
optionally with each purchase's operator and vendor from the same statement.

A page that shows its purchases' operators and vendors (the console's list, the load mix's most
frequent query) used to cost three statements: the page, then one batch read for each party.
Each statement costs about half a millisecond of CPU in SQLAlchemy and the driver, whatever it
returns, so joining the parties into the page's statement saves about a tenth of such a
request (issue 14, throughput).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseCategory, PurchaseStatus
from procurement.models import Operator, Purchase, ScreeningRecord, Vendor
from procurement.paging import Page, count_of, prepared_page, prepared_rows_page, with_total
from procurement.permissions import Action, Principal, can, require, scope_purchases
from procurement.prepared import prepared
from procurement.screening.reads import (
    SCREENING_COLUMNS,
    current_screening,
    with_current_screening,
)
from procurement.validation import contains_pattern

AFTER_ID = "after_id"  # the cursor of a prepared purchases page


@dataclass(frozen=True, slots=True)
class PurchaseFilter:
    operator_id: int | None = None
    vendor_id: int | None = None
    category: PurchaseCategory | None = None
    status: PurchaseStatus | None = None
    in_use: bool | None = None
    contract_date_from: date | None = None
    contract_date_to: date | None = None
    search: str | None = None


@dataclass(frozen=True, slots=True)
class PurchasesWithParties:
    """A page of purchases and, by id, the operators and vendors of its purchases."""

    page: Page[Purchase]
    operators: dict[int, Operator]
    vendors: dict[int, Vendor]
    # each purchase's current screening result (None: it has none), when it was asked for
    # and the principal may read results; None otherwise
    screenings: dict[int, ScreeningRecord | None] | None


async def list_purchases(
    session: AsyncSession,
    principal: Principal,
    filter: PurchaseFilter,
    after_id: int | None,
    limit: int,
) -> Page[Purchase]:
    """The principal's purchases matching ``filter``, by id after ``after_id``. The statements
    are built once per filter, cursor shape and scope (procurement/prepared.py); the cursor
    and the limit are given at execution."""
    require(principal, Action.READ_PURCHASES)
    first = after_id is None
    page = prepared(
        ("purchases.page", filter, first),
        principal,
        lambda: _purchase_page(principal, filter, first),
    )
    count = _count(principal, filter)
    return await prepared_page(session, page, count, _params(after_id), limit, first)


async def list_purchases_with_parties(
    session: AsyncSession,
    principal: Principal,
    filter: PurchaseFilter,
    after_id: int | None,
    limit: int,
    *,
    screening: bool = False,
) -> PurchasesWithParties:
    """``list_purchases`` and the page's operators and vendors, in one statement; with
    ``screening``, also each purchase's current screening result if the principal may read
    results (else the caller's own read reports the refusal).

    The parties come unscoped from the join: a principal who may see a purchase may see its
    operator and its vendor (``procurement.permissions.scope_operators`` and ``scope_vendors``
    grant them; tests/integration/test_purchase_list_parties.py checks it for every role), so
    they are exactly what ``reads.operators_by_ids`` and ``reads.vendors_by_ids`` would give."""
    require(principal, Action.READ_PURCHASES)
    first = after_id is None
    results = screening and can(principal, Action.READ_SCREENING)
    page = prepared(
        ("purchases.page+parties", filter, first, results),
        principal,
        lambda: _purchase_page(principal, filter, first, parties=True, screening=results),
    )
    count = _count(principal, filter)
    rows = await prepared_rows_page(session, page, count, _params(after_id), limit, first)
    return PurchasesWithParties(
        page=Page([row[0] for row in rows.items], rows.has_next, rows.total_count),
        operators={row[1].id: row[1] for row in rows.items},
        vendors={row[2].id: row[2] for row in rows.items},
        screenings=(
            {row[0].id: current_screening(row[3 : 3 + SCREENING_COLUMNS]) for row in rows.items}
            if results
            else None
        ),
    )


def _params(after_id: int | None) -> dict[str, Any]:
    return {} if after_id is None else {AFTER_ID: after_id}


def _count(principal: Principal, filter: PurchaseFilter) -> Select[Any]:
    return prepared(
        ("purchases.count", filter), principal, lambda: count_of(_purchases(principal, filter))
    )


def _purchases(principal: Principal, filter: PurchaseFilter) -> Select[Any]:
    stmt = scope_purchases(select(Purchase), principal)
    if filter.operator_id is not None:
        stmt = stmt.where(Purchase.operator_id == filter.operator_id)
    if filter.vendor_id is not None:
        stmt = stmt.where(Purchase.vendor_id == filter.vendor_id)
    if filter.category is not None:
        stmt = stmt.where(Purchase.category == filter.category)
    if filter.status is not None:
        stmt = stmt.where(Purchase.status == filter.status)
    if filter.in_use is not None:
        stmt = stmt.where(
            Purchase.in_use_date.is_not(None) if filter.in_use else Purchase.in_use_date.is_(None)
        )
    if filter.contract_date_from is not None:
        stmt = stmt.where(Purchase.contract_date >= filter.contract_date_from)
    if filter.contract_date_to is not None:
        stmt = stmt.where(Purchase.contract_date <= filter.contract_date_to)
    if filter.search:
        pattern = contains_pattern("filter.search", filter.search)
        stmt = stmt.where(Purchase.title.ilike(pattern, escape="\\"))
    return stmt


def _purchase_page(
    principal: Principal,
    filter: PurchaseFilter,
    first: bool,
    *,
    parties: bool = False,
    screening: bool = False,
) -> Select[Any]:
    stmt = _purchases(principal, filter)
    page = stmt if first else stmt.where(Purchase.id > bindparam(AFTER_ID, type_=Integer))
    if parties:  # both keys are NOT NULL foreign keys: an inner join drops no purchase
        page = (
            page.add_columns(Operator, Vendor)
            .join(Operator, Operator.id == Purchase.operator_id)
            .join(Vendor, Vendor.id == Purchase.vendor_id)
        )
    if screening:
        page = with_current_screening(page)
    return with_total(stmt, page.order_by(Purchase.id))
