"""Read paths of review cases: the pending-reviews list and batched look-ups for the DataLoaders.
Every function checks READ_REVIEWS, so vendors are refused, and scopes rows to the principal's
operator.

The screening look-ups live in :mod:`procurement.screening.reads`; they are re-exported here only
because schema/loaders.py (being rewritten on another branch) still fetches them from this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer

from procurement.enums import Role, Severity
from procurement.models import (
    Account,
    HolidayCalendarYear,
    Purchase,
    ReviewAttachment,
    ReviewCase,
    ReviewEvent,
    ReviewPause,
    Vendor,
)
from procurement.paging import Page, count_of, prepared_rows_page, with_total
from procurement.permissions import (
    Action,
    Principal,
    require,
    scope_review_cases,
)
from procurement.prepared import prepared
from procurement.reviews import OPEN_STATES
from procurement.reviews.deadlines import CountingRules, past_due
from procurement.reviews.decisions import PendingReviewOrder
from procurement.reviews.holidays import PACKAGE_YEARS, CalendarStatus, HolidayCalendar
from procurement.reviews.state_machine import CaseState
from procurement.reviews.store import counting_rules, schedule_of

MAX_ASSIGNABLE = 500  # reviewers offered in the "assign to" list; an operator has a handful


@dataclass(frozen=True, slots=True)
class PendingFilter:
    state: CaseState | None = None  # default: every open state
    min_severity: Severity | None = None
    operator_id: int | None = None
    vendor_id: int | None = None
    overdue: bool | None = None
    assigned_to_me: bool | None = None
    provisional: bool | None = None  # due date counted through a year with no schedule


def assigned_to(principal: Principal) -> ColumnElement[bool]:
    """Cases assigned to the caller: to their account (signed in, or through a token made for
    them) or, for a machine's token, to that token."""
    mine: list[ColumnElement[bool]] = []
    if principal.account_id is not None:
        mine.append(ReviewCase.assigned_account_id == principal.account_id)
    if principal.token_id is not None:
        mine.append(ReviewCase.assigned_token_id == principal.token_id)
    return or_(*mine) if mine else false()


def overdue_on(as_of: date) -> ColumnElement[bool]:
    """SQL form of :func:`procurement.reviews.deadlines.past_due` on the stored due date (NULL,
    no clock running, is never overdue)."""
    return past_due(ReviewCase.deadline_due, as_of)


# --- keyset pagination over (sort key, id) with NULL keys last ---

# The position of a case in a list: its sort key in the list's order (None when unknown), its id.
CaseKey = tuple[date | int | Decimal | None, int]
SORT_KEY_TYPES: dict[PendingReviewOrder, type[date | int | Decimal]] = {
    PendingReviewOrder.DEADLINE: date,
    PendingReviewOrder.RISK: int,
    PendingReviewOrder.VALUE: Decimal,
}


def case_key(case: ReviewCase, order: PendingReviewOrder) -> CaseKey:
    if order is PendingReviewOrder.DEADLINE:
        return case.deadline_due, case.id
    if order is PendingReviewOrder.RISK:
        return case.risk_score, case.id
    return case.value_cny, case.id


def _column(order: PendingReviewOrder) -> Any:
    return {
        PendingReviewOrder.DEADLINE: ReviewCase.deadline_due,
        PendingReviewOrder.RISK: ReviewCase.risk_score,
        PendingReviewOrder.VALUE: ReviewCase.value_cny,
    }[order]


AFTER_KEY = "after_key"  # the cursor of a prepared pending-reviews page: its sort key
AFTER_ID = "after_id"  # and its case id


def _after(order: PendingReviewOrder, key_known: bool) -> ColumnElement[bool]:
    """The cases after the cursor given at execution (``AFTER_KEY``, unless ``key_known`` is
    false: the cursor is among the NULL keys; ``AFTER_ID``)."""
    column = _column(order)
    pk = bindparam(AFTER_ID, type_=ReviewCase.id.type)
    if not key_known:  # already among the NULL keys, which come last
        return and_(column.is_(None), ReviewCase.id > pk)
    key = bindparam(AFTER_KEY, type_=column.type)
    beyond = column > key if order is PendingReviewOrder.DEADLINE else column < key
    return or_(beyond, and_(column == key, ReviewCase.id > pk), column.is_(None))


def _ordered(stmt: Select[Any], order: PendingReviewOrder) -> Select[Any]:
    return stmt.order_by(*_order_terms(order, _column(order), ReviewCase.id))


def _order_terms(order: PendingReviewOrder, column: Any, pk: Any) -> tuple[Any, ...]:
    direction = column.asc() if order is PendingReviewOrder.DEADLINE else column.desc()
    # "IS NULL" sorts false before true on both backends: known keys first.
    return column.is_(None), direction, pk


async def list_pending_reviews(
    session: AsyncSession,
    principal: Principal,
    filter: PendingFilter,
    order: PendingReviewOrder,
    after: CaseKey | None,
    limit: int,
    as_of: date,
) -> Page[ReviewCase]:
    """Cases matching ``filter`` (open ones by default), keyset-paginated in ``order``, after
    the position ``after`` (see ``case_key``).

    ``as_of`` is the day "overdue" is judged on (a due date before it is overdue).
    """
    rows = await _pending_rows(session, principal, filter, order, after, limit, as_of, False)
    return Page([row[0] for row in rows.items], rows.has_next, rows.total_count)


@dataclass(frozen=True, slots=True)
class CasesWithPurchases:
    """A page of cases and, by id, their purchases and those purchases' vendors."""

    page: Page[ReviewCase]
    purchases: dict[int, Purchase]
    vendors: dict[int, Vendor]


async def list_pending_reviews_with_purchases(
    session: AsyncSession,
    principal: Principal,
    filter: PendingFilter,
    order: PendingReviewOrder,
    after: CaseKey | None,
    limit: int,
    as_of: date,
) -> CasesWithPurchases:
    """``list_pending_reviews`` and the cases' purchases and vendors, in one statement (issue
    14: two batch reads fewer for a list that shows them).

    They come unscoped from the join: a case repeats its purchase's operator and vendor, which
    never change (see ``ReviewCase``), so whoever sees the case sees both (``scope_purchases``,
    ``scope_vendors``; tests/integration/test_pending_review_purchases.py checks every role)."""
    rows = await _pending_rows(session, principal, filter, order, after, limit, as_of, True)
    return CasesWithPurchases(
        page=Page([row[0] for row in rows.items], rows.has_next, rows.total_count),
        purchases={row[1].id: row[1] for row in rows.items},
        vendors={row[2].id: row[2] for row in rows.items},
    )


async def _pending_rows(
    session: AsyncSession,
    principal: Principal,
    filter: PendingFilter,
    order: PendingReviewOrder,
    after: CaseKey | None,
    limit: int,
    as_of: date,
    purchases: bool,
) -> Page[Sequence[Any]]:
    require(principal, Action.READ_REVIEWS)
    # Built once per filter, order, cursor shape and scope (procurement/prepared.py); the
    # cursor and the limit are given at execution. The day and the token are part of the
    # statement only for the filters that use them.
    shape = None if after is None else after[0] is not None
    day = as_of if filter.overdue is not None else None
    token = principal.token_id if filter.assigned_to_me else None
    matching = ("pendingReviews", filter, day, token)
    page = prepared(
        (*matching, order, shape, purchases),
        principal,
        lambda: _pending_page(principal, filter, order, shape, as_of, purchases),
    )
    count = prepared(matching, principal, lambda: count_of(_pending(principal, filter, as_of)))
    params: dict[str, Any] = {}
    if after is not None:
        params = {AFTER_KEY: after[0], AFTER_ID: after[1]} if shape else {AFTER_ID: after[1]}
    return await prepared_rows_page(session, page, count, params, limit, after is None)


def _pending(principal: Principal, filter: PendingFilter, as_of: date) -> Select[Any]:
    stmt = scope_review_cases(select(ReviewCase), principal)
    if filter.state is not None:
        stmt = stmt.where(ReviewCase.state == filter.state)
    else:
        stmt = stmt.where(ReviewCase.state.in_(sorted(OPEN_STATES)))
    if filter.min_severity is not None:
        stmt = stmt.where(ReviewCase.max_severity >= filter.min_severity.rank)
    if filter.operator_id is not None:
        stmt = stmt.where(ReviewCase.operator_id == filter.operator_id)
    if filter.vendor_id is not None:
        stmt = stmt.where(ReviewCase.vendor_id == filter.vendor_id)
    if filter.overdue is True:
        stmt = stmt.where(overdue_on(as_of))
    elif filter.overdue is False:
        stmt = stmt.where(or_(ReviewCase.deadline_due.is_(None), not_(overdue_on(as_of))))
    if filter.provisional is not None:
        stmt = stmt.where(ReviewCase.deadline_provisional.is_(filter.provisional))
    if filter.assigned_to_me:
        stmt = stmt.where(assigned_to(principal))
    return stmt


def _pending_page(
    principal: Principal,
    filter: PendingFilter,
    order: PendingReviewOrder,
    shape: bool | None,
    as_of: date,
    purchases: bool,
) -> Select[Any]:
    """The page statement; ``shape``: no cursor (None), a cursor among the NULL keys (False),
    a cursor with a key (True); ``purchases``: with each case's purchase and vendor."""
    stmt = _pending(principal, filter, as_of)
    page = stmt if shape is None else stmt.where(_after(order, shape))
    cases = with_total(stmt, _ordered(page, order))
    if not purchases:
        return cases
    # The page is cut first, in a subquery, and only its rows are joined: the order is on
    # deadline, risk or value, which no index gives, so a join in the same SELECT made both
    # databases join every matching case before sorting (PostgreSQL, 5,454 open cases: 24 ms).
    # NOT NULL foreign keys: the inner joins drop no case.
    cut = cases.subquery("page")
    case = aliased(ReviewCase, cut)
    return (
        select(case, Purchase, Vendor, cut.c.total_count)
        .join(Purchase, Purchase.id == case.purchase_id)
        .join(Vendor, Vendor.id == Purchase.vendor_id)
        .order_by(*_order_terms(order, getattr(case, _column(order).key), case.id))
    )


# --- batched look-ups for DataLoaders ---


async def assignable_reviewers(
    session: AsyncSession, principal: Principal, case: ReviewCase
) -> list[Account]:
    """The active reviewer accounts of the case's operator, by name: whom the case may be
    assigned to (admins may be assigned too, but are not offered)."""
    require(principal, Action.MANAGE_REVIEWS)
    stmt = (
        select(Account)
        .where(
            Account.role == Role.REVIEWER,
            Account.operator_id == case.operator_id,
            Account.disabled_at.is_(None),
        )
        .order_by(Account.name, Account.id)
        .limit(MAX_ASSIGNABLE)
    )
    return list(await session.scalars(stmt))


async def cases_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, ReviewCase]:
    require(principal, Action.READ_REVIEWS)
    stmt = scope_review_cases(select(ReviewCase).where(ReviewCase.id.in_(ids)), principal)
    return {row.id: row for row in await session.scalars(stmt)}


async def cases_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int]
) -> dict[int, ReviewCase]:
    """Each purchase's open case, else its most recent one."""
    require(principal, Action.READ_REVIEWS)
    stmt = scope_review_cases(
        select(ReviewCase).where(ReviewCase.purchase_id.in_(purchase_ids)), principal
    ).order_by(ReviewCase.id)
    out: dict[int, ReviewCase] = {}
    for row in await session.scalars(stmt):
        shown = out.get(row.purchase_id)
        if shown is None or shown.open_purchase_id is None:
            out[row.purchase_id] = row
    return out


def _visible_cases(principal: Principal, case_ids: Sequence[int]) -> Select[Any]:
    return scope_review_cases(select(ReviewCase.id).where(ReviewCase.id.in_(case_ids)), principal)


async def events_by_case_ids(
    session: AsyncSession, principal: Principal, case_ids: Sequence[int]
) -> dict[int, list[ReviewEvent]]:
    require(principal, Action.READ_REVIEWS)
    stmt = (
        select(ReviewEvent)
        .where(ReviewEvent.case_id.in_(_visible_cases(principal, case_ids)))
        .order_by(ReviewEvent.id)
    )
    out: dict[int, list[ReviewEvent]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.case_id, []).append(row)
    return out


async def pauses_by_case_ids(
    session: AsyncSession, principal: Principal, case_ids: Sequence[int]
) -> dict[int, list[ReviewPause]]:
    require(principal, Action.READ_REVIEWS)
    stmt = (
        select(ReviewPause)
        .where(ReviewPause.case_id.in_(_visible_cases(principal, case_ids)))
        .order_by(ReviewPause.id)
    )
    out: dict[int, list[ReviewPause]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.case_id, []).append(row)
    return out


async def attachments_by_case_ids(
    session: AsyncSession, principal: Principal, case_ids: Sequence[int]
) -> dict[int, list[ReviewAttachment]]:
    """Attachment metadata; the file content is not loaded (reading it would raise)."""
    require(principal, Action.READ_REVIEWS)
    stmt = (
        select(ReviewAttachment)
        .options(defer(ReviewAttachment.content, raiseload=True))
        .where(ReviewAttachment.case_id.in_(_visible_cases(principal, case_ids)))
        .order_by(ReviewAttachment.id)
    )
    out: dict[int, list[ReviewAttachment]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.case_id, []).append(row)
    return out


async def attachment_with_content(
    session: AsyncSession, principal: Principal, attachment_id: int
) -> ReviewAttachment | None:
    """One Art. 8 attachment with its file, if the principal may see its case (else None)."""
    require(principal, Action.READ_REVIEWS)
    stmt = select(ReviewAttachment).where(
        ReviewAttachment.id == attachment_id,
        ReviewAttachment.case_id.in_(scope_review_cases(select(ReviewCase.id), principal)),
    )
    found: ReviewAttachment | None = await session.scalar(stmt)
    return found


# --- holiday schedules ---


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """One year as the deadlines count it; ``source`` is None for a provisional year."""

    year: int
    status: CalendarStatus
    source: str | None
    days_off: list[date]
    working_weekends: list[date]
    loaded_at: datetime | None = None
    loaded_by: str | None = None


async def list_holiday_calendars(
    session: AsyncSession, principal: Principal, through_year: int
) -> list[CalendarYear]:
    """Every year from the package's first to ``through_year`` (or the last one known), each
    with where its schedule comes from; a year nobody knows is listed as provisional."""
    require(principal, Action.READ_REVIEWS)
    rows = {r.year: r for r in await session.scalars(select(HolidayCalendarYear))}
    calendar = HolidayCalendar.of(schedule_of(r) for r in rows.values())
    first = min([PACKAGE_YEARS[0], *rows])
    last = max([PACKAGE_YEARS[-1], through_year, *rows])
    out: list[CalendarYear] = []
    for year in range(first, last + 1):
        schedule = calendar.schedule(year)
        row = rows.get(year)
        out.append(
            CalendarYear(
                year,
                calendar.status(year),
                schedule.source if schedule else None,
                sorted(schedule.days_off) if schedule else [],
                sorted(schedule.working_weekends) if schedule else [],
                row.loaded_at if row else None,
                row.loaded_by if row else None,
            )
        )
    return out


async def read_counting_rules(session: AsyncSession, principal: Principal) -> CountingRules:
    """The counting rules deadlines are shown with (loaded schedules, the Art. 15 reading)."""
    require(principal, Action.READ_REVIEWS)
    return await counting_rules(session)
