"""The portfolio summary, fast: per-purchase digests cached in ``exposure_snapshots``.

Computing one purchase's exposure costs about half a millisecond, so 10,000 purchases would
take seconds; the summary instead reads each purchase's stored digest (actual and what-if) for
the date asked and recomputes only the missing ones. Rows are dropped by
procurement.exposure.invalidation whenever an input changes, so a stored digest is never stale.

A read never commits, so the digests it computes are stored through a short transaction of their
own, on a sibling session (same engine, same session class as the caller's). When the caller's
transaction has itself written (an action that reads exposure before its commit), the digests
join that transaction instead: they may reflect its uncommitted changes, so they must commit or
roll back with them, and a sibling could not write past that transaction's locks anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

import orjson
from sqlalchemy import Select, Table, delete, null, select
from sqlalchemy import insert as plain_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from procurement.db import has_uncommitted_writes, utcnow
from procurement.enums import PurchaseStatus
from procurement.errors import InputError
from procurement.exposure import Range
from procurement.exposure.aggregate import FreshSums
from procurement.exposure.bulk import execute_rows
from procurement.exposure.facts import plainly_valid_parts
from procurement.exposure.figures import Digester, Figures, Plan
from procurement.exposure.id_set import among
from procurement.exposure.money import ZERO
from procurement.exposure.parts import BLANK, Parts, split_text
from procurement.exposure.store import (
    PURCHASE_COLUMNS,
    as_rates,
    collector_paused,
    current_schedules,
    exchange_rates_unscoped,
    purchase_label,
    read_fact_rows,
)
from procurement.exposure.summary import PurchaseDigest, Unpriced
from procurement.exposure.validity import act_kinds, schedule_dates, validity
from procurement.models import ExposureSlice, ExposureSnapshot, Purchase
from procurement.permissions import Action, Principal, require, scope_purchases

S = ExposureSnapshot
_SNAPSHOTS = cast(Table, ExposureSnapshot.__table__)  # for Core statements


_decimal = Decimal


# The columns of the rows _refresh writes, in the order of its tuples (procurement.exposure.bulk).
SNAPSHOT_COLUMNS = (
    "purchase_id", "as_of", "valid_from", "valid_until", "act_kinds", "vendor", "category",
    "total_min", "total_max", "worst", "what_if_total_min", "what_if_total_max",
    "what_if_worst", "articles", "what_if_articles", "computed_at",
)  # fmt: skip
SLICE_COLUMNS = (
    "purchase_id", "what_if", "position", "label", "min_whole", "min_frac", "min_exp",
    "max_whole", "max_frac", "max_exp", "worst_whole", "worst_frac", "worst_exp",
)  # fmt: skip
Slice = tuple[str | None, int, int, int, int, int, int, int, int, int]


Written = tuple[str, str, str, str, list[Slice] | None]


# Per set of figures, by its identity: (the figures, their writing).
Spellings = dict[int, tuple[Figures, Written]]


def _written(figures: Figures, known: dict[str, Parts | None], spellings: Spellings) -> Written:
    """:func:`_spelt`, but figures of nothing at all made by the digest plans (their ``ZERO``
    objects, no article: most what-if digests) share one writing, spelt once, and so do the
    digests that share their figures object (an amount-free plan's, figures.Plan.figures).
    ``spellings`` keeps the objects it was spelt from, by identity (equal decimals may differ
    in exponent, and so in writing)."""
    total, worst, articles = figures
    if not articles and total.min is ZERO and total.max is ZERO and worst is ZERO:
        return _BLANK_WRITTEN
    found = spellings.get(id(figures))
    # (found[0] is figures: the entry keeps it alive, so no other object can have its id)
    if found is not None and found[0] is figures:
        return found[1]
    written = _spelt(figures, known)
    spellings[id(figures)] = (figures, written)
    return written


def _spelt(figures: Figures, known: dict[str, Parts | None]) -> Written:
    """A digest's figures as its row stores them: total min, max and worst case as exact
    decimal strings, the articles as JSON ``[[label, min, max, worst], ...]``, and its
    exposure_slices (procurement.exposure.parts) but their purchase, variant and position:
    (label, min, max and worst as parts), None when an amount has more than 9 decimals (the
    summary then takes the Python path; _compute stores none of a digest written as
    parts.BLANK). ``known``: the parts of the texts already split in this fill (an amount's
    text determines its parts; the schedules' fixed fines recur on thousands of purchases)."""
    total, worst_case, articles_figures = figures
    rows: list[Slice] | None = []
    texts: list[tuple[str | None, str, str, str]] = []
    whole = (None, total.min, total.max, worst_case)
    previous: tuple[object, ...] = (None, None, None)
    a = b = c = None  # the previous line's parts
    for label, lo, hi, worst in (whole, *articles_figures):
        if lo is previous[0] and hi is previous[1] and worst is previous[2]:
            # The same amount objects as the line before (the plans give a digest of one
            # article the whole's objects): the same texts and parts.
            texts.append((label, *texts[-1][1:]))
            if rows is not None and a is not None and b is not None and c is not None:
                rows.append((label, *a, *b, *c))
            continue
        previous = (lo, hi, worst)
        low, high, most = str(lo), str(hi), str(worst)
        texts.append((label, low, high, most))
        if rows is not None:
            a = known[low] if low in known else known.setdefault(low, split_text(lo, low))
            b = known[high] if high in known else known.setdefault(high, split_text(hi, high))
            c = known[most] if most in known else known.setdefault(most, split_text(worst, most))
            if a is None or b is None or c is None:
                rows = None
            else:
                rows.append((label, *a, *b, *c))
    articles = orjson.dumps(texts[1:]).decode()  # tuples are JSON arrays, as lists are
    return texts[0][1], texts[0][2], texts[0][3], articles, rows


# The nine parts the summary's SQL takes for a blank digest's missing slice (aggregate._sums).
_ZERO_PARTS = (0,) * 9

_BLANK_WRITTEN = _spelt((Range.trusted(ZERO, ZERO), ZERO, ()), {})
assert _BLANK_WRITTEN[:4] == BLANK  # what the summary's SQL reads as no exposure


def _read_articles(text: str) -> tuple[tuple[str, Decimal, Decimal, Decimal], ...]:
    dec = _decimal
    return tuple((label, dec(a), dec(b), dec(w)) for label, a, b, w in orjson.loads(text))


def visible_purchases(
    principal: Principal, operator_id: int | None, as_of: date, excluded: Sequence[int] = ()
) -> Select[Any]:
    """The ids of the purchases a summary on ``as_of`` covers, but ``excluded`` (unpriced)."""
    stmt = scope_purchases(select(Purchase.id), principal).where(
        Purchase.status == PurchaseStatus.ACTIVE, Purchase.contract_date <= as_of
    )
    if excluded:
        stmt = stmt.where(Purchase.id.not_in(excluded))
    return stmt if operator_id is None else stmt.where(Purchase.operator_id == operator_id)


async def refresh_visible(
    session: AsyncSession,
    principal: Principal,
    operator_id: int | None,
    as_of: date,
    missing: list[int] | None = None,
    *,
    what_if: bool = False,
) -> tuple[list[Unpriced], FreshSums]:
    """Compute and store the digests that the visible purchases lack on ``as_of``, so that the
    summary's SQL path (procurement.exposure.aggregate) can then answer; returns the purchases
    that cannot be priced (never stored: they are computed again by the next summary), and the
    sums of the whole-purchase slices of the digests stored, in the ``what_if`` variant, as the
    SQL would read them back (aggregate.totals_after_fill adds them up instead of reading them).
    ``missing``: those purchases' ids in ascending order, when the caller has just read them
    (aggregate.totals_or_missing), else read here."""
    require(principal, Action.READ_EXPOSURE)
    if missing is None:
        visible = visible_purchases(principal, operator_id, as_of).subquery()
        missing = list(
            (
                await session.scalars(
                    select(visible.c.id)
                    .where(visible.c.id.not_in(_valid_on(as_of)))
                    .order_by(visible.c.id)
                )
            ).all()
        )
    wholes = FreshSums()
    if not missing:
        return [], wholes
    _fresh, unpriced = await _refresh(session, missing, as_of, False, wholes=(what_if, wholes))
    return unpriced, wholes


async def digests(
    session: AsyncSession,
    principal: Principal,
    *,
    operator_id: int | None,
    as_of: date,
    what_if: bool,
    with_articles: bool = True,
) -> tuple[dict[int, PurchaseDigest], list[Unpriced]]:
    """Digests of the visible active purchases contracted on or before ``as_of``, by id (in
    ascending order), and the purchases whose exposure cannot be computed, with the reason.

    Only what the grouping needs crosses the wire (measured: reading 10,000 rows is most of a
    summary's time): with ``with_articles`` the per-article slices and not vendor and category,
    without it the reverse.
    """
    require(principal, Action.READ_EXPOSURE)
    visible = visible_purchases(principal, operator_id, as_of).subquery()
    if what_if:
        amounts = (S.what_if_total_min, S.what_if_total_max, S.what_if_worst)
        articles_column: Any = S.what_if_articles
    else:
        amounts = (S.total_min, S.total_max, S.worst)
        articles_column = S.articles
    if with_articles:
        labels: tuple[Any, ...] = (null(), null(), articles_column)
    else:
        labels = (S.vendor, S.category, null())
    # Core, not ORM, execution: plain rows, without the ORM's per-row processing (10,000 rows).
    connection = await session.connection()
    rows = await connection.execute(
        select(visible.c.id, S.valid_from, S.valid_until, *labels[:2], *amounts, labels[2])
        .outerjoin(S, S.purchase_id == visible.c.id)
        .order_by(visible.c.id)
    )
    dec, trusted = _decimal, Range.trusted
    found: dict[int, PurchaseDigest] = {}
    missing: list[int] = []
    for purchase_id, first, until, vendor, category, lo, hi, worst, articles in rows:
        # A digest holds for a span of days (procurement.exposure.validity); None: no digest.
        if first is None or first > as_of or (until is not None and as_of >= until):
            missing.append(purchase_id)
            continue
        found[purchase_id] = PurchaseDigest(
            purchase_id=purchase_label(purchase_id),
            vendor=vendor,
            category=category,
            total=trusted(dec(lo), dec(hi)),
            conditional_max=dec(worst),
            articles=_read_articles(articles) if with_articles else (),
        )
    unpriced: list[Unpriced] = []
    if missing:
        fresh, unpriced = await _refresh(session, missing, as_of, what_if)
        found.update(fresh)
    return {purchase_id: found[purchase_id] for purchase_id in sorted(found)}, unpriced


def missing_digests(as_of: date) -> Select[Any]:
    """The ids of the active purchases contracted by ``as_of`` without a digest valid on it
    (any principal's summary would compute them), in ascending order."""
    return (
        select(Purchase.id)
        .where(Purchase.status == PurchaseStatus.ACTIVE, Purchase.contract_date <= as_of)
        .where(Purchase.id.not_in(_valid_on(as_of)))
        .order_by(Purchase.id)
    )


def _valid_on(as_of: date) -> Select[Any]:
    """The purchases with a digest valid on ``as_of``."""
    return (
        select(S.purchase_id)
        .where(S.valid_from.is_not(None), S.valid_from <= as_of)
        .where((S.valid_until.is_(None)) | (S.valid_until > as_of))
    )


async def fill_missing(session: AsyncSession, as_of: date) -> tuple[int, int]:
    """Compute and store, in the caller's transaction (a job's, committed with its outcome),
    the digests every summary on ``as_of`` would otherwise compute: (stored, unpriced)."""
    missing = list((await session.scalars(missing_digests(as_of))).all())
    if not missing:
        return 0, 0
    fresh, unpriced = await _refresh(session, missing, as_of, False, join=True)
    return len(fresh), len(unpriced)


async def _refresh(
    session: AsyncSession,
    purchase_ids: list[int],
    as_of: date,
    what_if: bool,
    *,
    join: bool = False,
    wholes: tuple[bool, FreshSums] | None = None,
) -> tuple[dict[int, PurchaseDigest], list[Unpriced]]:
    """Compute and store the digests of purchases the caller has already scoped; a purchase
    whose facts cannot be priced (an InputError: no exchange rate...) is returned as unpriced
    and not stored, so it is priced as soon as the missing fact is recorded. ``join``: write in
    the caller's transaction even when it has written nothing yet. ``wholes``: (variant, the
    sums to which each stored digest's whole-purchase slice in that variant is added); the
    digests are then not returned (the caller reads the sums; 10,000 digests kept until the
    collector resumes would cost it a walk over them all).

    With the cyclic garbage collector paused (store.collector_paused): a cold fill keeps tens
    of thousands of objects (rows, facts, digests) until it has written them. Other coroutines
    run with it paused during the statements' awaits: their cyclic garbage waits, no more."""
    with collector_paused():
        return await _compute(session, purchase_ids, as_of, what_if, join=join, wholes=wholes)


async def _compute(
    session: AsyncSession,
    purchase_ids: list[int],
    as_of: date,
    what_if: bool,
    *,
    join: bool,
    wholes: tuple[bool, FreshSums] | None,
) -> tuple[dict[int, PurchaseDigest], list[Unpriced]]:
    # Core rows, not ORM objects, on the session's connection (without the ORM's per-row
    # loading): thousands of purchases on a cold cache. Flushed first, as the ORM would.
    if session.sync_session.autoflush:
        await session.flush()
    connection = await session.connection()
    dialect = connection.dialect.name
    purchases = (
        await connection.execute(
            select(*PURCHASE_COLUMNS)
            .where(among(Purchase.id, purchase_ids, dialect))
            .order_by(Purchase.id)
        )
    ).all()
    _version, schedules = await current_schedules(session)
    rates = as_rates(await exchange_rates_unscoped(session))
    sources = await read_fact_rows(session, purchases, as_of)
    # Figures only, one plan per shape of facts (procurement.exposure.figures): the digests of
    # assess_purchase(explain=False), without building each purchase's items.
    digester = Digester(schedules, rates, as_of)
    # Per shape key (store.FactRows.shape_key), from the facts of its first purchase: the
    # plans (actual, what-if), the act kinds, and whether the review both passed and failed.
    # The other purchases of the key are priced from their rows, without building their
    # facts (a third of a cold fill's CPU was building 10,000 facts, then reading them).
    shaped: dict[tuple[object, ...], tuple[Plan, Plan | None, int, bool]] = {}
    # Per act-kind set, the schedule dates that bound a span (at most 8 sets); per span inputs,
    # the span (purchases share their dates).
    changes: dict[int, frozenset[date]] = {}
    spans: dict[tuple[object, ...], tuple[date, date | None]] = {}
    out: dict[int, PurchaseDigest] = {}
    unpriced: list[Unpriced] = []
    values: list[tuple[Any, ...]] = []
    slices: list[tuple[Any, ...]] = []
    now_utc = utcnow()
    known: dict[str, Parts | None] = {}  # amount text -> parts, for _written
    spellings: Spellings = {}
    for record in sources.records:
        purchase_id = record[0]
        key, label, vendor, category, own, people = sources.fill_parts(record)
        found = shaped.get(key)
        try:
            if found is None or not plainly_valid_parts(
                label, record[2], record[3], found[3], people
            ):
                # The facts themselves: the first purchase of its key, or facts that may be
                # inconsistent (Digester.amount_of says what is wrong, as validate_facts does).
                facts = sources.loaded(record).facts
                amount = digester.amount_of(facts)
                if found is None:
                    found = shaped[key] = (
                        *digester.plans_of(facts), act_kinds(facts),
                        facts.review_passed and facts.review_failed,
                    )  # fmt: skip
            else:
                amount = digester.amount(record[3], record[2], record[5])
            # Figures only (no digest object), the what-if's the same object when the what-if
            # changes nothing (Digester.pair).
            actual_figures = found[0].figures(amount)
            what_if_plan = found[1]
            what_if_figures = (
                actual_figures if what_if_plan is None else what_if_plan.figures(amount)
            )
        except InputError as error:  # the purchase alone fails, as reading it alone would
            reason = "; ".join(e.message for e in error.errors)
            text = error.errors[0].text if len(error.errors) == 1 else None
            unpriced.append(Unpriced(purchase_id, reason, text))
            continue
        if wholes is None:
            figures = what_if_figures if what_if else actual_figures
            out[purchase_id] = PurchaseDigest(label, vendor, category, *figures)
        kinds = found[2]
        span = spans.get((kinds, own))
        if span is None:
            if kinds not in changes:
                changes[kinds] = schedule_dates(schedules, kinds)
            span = spans[kinds, own] = validity(own, changes[kinds], as_of)
        first, until = span
        low, high, worst, articles, actual = _written(actual_figures, known, spellings)
        what_if_low, what_if_high, what_if_worst, what_if_articles, hypothetical = (
            (low, high, worst, articles, actual)
            if what_if_figures is actual_figures
            else _written(what_if_figures, known, spellings)
        )
        values.append(
            (
                purchase_id, as_of, first, until, kinds, vendor, category, low, high, worst,
                what_if_low, what_if_high, what_if_worst, articles, what_if_articles, now_utc,
            )
        )  # fmt: skip
        blank = (low, high, worst, articles) == BLANK
        what_if_blank = (what_if_low, what_if_high, what_if_worst, what_if_articles) == BLANK
        if wholes is not None:  # the variant's slice as stored, or as the SQL takes a blank one
            rows, is_blank = (hypothetical, what_if_blank) if wholes[0] else (actual, blank)
            stored = actual is not None and hypothetical is not None  # else no slice at all
            whole = _ZERO_PARTS if is_blank else rows[0][1:] if stored and rows else None
            wholes[1].add(purchase_id, vendor, category, whole)
        if actual is None or hypothetical is None:
            continue
        # what_if as 0 and 1, which the Boolean column's bind processor leaves as they are on
        # SQLite: the rows then go to the driver uncopied (procurement.exposure.bulk).
        if not blank:
            slices += [(purchase_id, 0, i, *part) for i, part in enumerate(actual)]
        if not what_if_blank:
            slices += [(purchase_id, 1, i, *part) for i, part in enumerate(hypothetical)]

    if wholes is not None:
        wholes[1].seal()  # summed now, with the collector paused (aggregate.FreshSums)
    if join and values:
        await _upsert(session, values, slices)
    elif not join:
        await _store(session, values, slices)
    return out, unpriced


async def _store(
    session: AsyncSession, values: list[tuple[Any, ...]], slices: list[tuple[Any, ...]]
) -> None:
    """Write the digests without committing the caller's transaction (see the module docstring)."""
    if not values:
        return
    engine = session.bind
    if not isinstance(engine, AsyncEngine) or await has_uncommitted_writes(session):
        await _upsert(session, values, slices)  # commits, or rolls back, with the caller's changes
        return
    async with AsyncSession(engine, sync_session_class=session.sync_session_class) as writer:
        await _upsert(writer, values, slices)
        await writer.commit()


async def _upsert(
    session: AsyncSession, values: list[tuple[Any, ...]], slices: list[tuple[Any, ...]]
) -> None:
    """Rows of SNAPSHOT_COLUMNS and SLICE_COLUMNS, each table in one executemany of plain
    tuples (procurement.exposure.bulk)."""
    # A cache fill, not a change: an upsert, so two requests filling at once do not collide.
    connection = await session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(_SNAPSHOTS)
    statement = statement.on_conflict_do_update(
        index_elements=["purchase_id"],
        set_={
            name: getattr(statement.excluded, name)
            for name in SNAPSHOT_COLUMNS
            if name != "purchase_id"
        },
    )
    await execute_rows(connection, statement, SNAPSHOT_COLUMNS, values)
    # An upsert updates in place, so the foreign key's cascade does not drop the old slices.
    ids = [v[0] for v in values]
    await connection.execute(
        delete(ExposureSlice).where(among(ExposureSlice.purchase_id, ids, connection.dialect.name))
    )
    await execute_rows(connection, plain_insert(ExposureSlice), SLICE_COLUMNS, slices)
