"""Fine exposure (CII Regulations Arts. 41 and 39(9), CSL) of the purchases a principal may see,
and the admin-maintained data behind it (exchange rates, penalty schedules).

Every read checks READ_EXPOSURE and scopes the purchases; the computation is in
:mod:`procurement.exposure.store`, the portfolio cache in :mod:`procurement.exposure.cache`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from importlib.resources import files

import orjson
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseStatus
from procurement.errors import ErrorCode, FieldError, InputError, NotFound
from procurement.exposure import GroupBy, PurchaseExposure, Summary, aggregate
from procurement.exposure.cache import digests, refresh_visible, visible_purchases
from procurement.exposure.messages import TEMPLATES
from procurement.exposure.results import ExposureRun
from procurement.exposure.store import (
    assess_outcomes,
    assess_purchases,
    exchange_rates_unscoped,
    latest_schedule_set,
)
from procurement.exposure.summary import Unpriced, summarise_digests
from procurement.models import Purchase
from procurement.models.exposure import ExchangeRateRow, PenaltyScheduleSet
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.texts import Text, english


async def assess(
    session: AsyncSession,
    principal: Principal,
    *,
    purchase_ids: Sequence[int] | None = None,
    operator_id: int | None = None,
    as_of: date,
    what_if: bool = False,
) -> ExposureRun:
    """Exposures of the visible, active purchases contracted on or before ``as_of``.

    Raises MissingExchangeRate (an InputError naming the currency and date) when a foreign
    currency has no rate in force on a contract date.
    """
    runs = await assess_variants(
        session, principal, purchase_ids=purchase_ids, operator_id=operator_id, as_of=as_of,
        variants=(what_if,),
    )  # fmt: skip
    return runs[0]


async def assess_variants(
    session: AsyncSession,
    principal: Principal,
    *,
    purchase_ids: Sequence[int] | None = None,
    operator_id: int | None = None,
    as_of: date,
    variants: Sequence[bool] = (False, True),
) -> list[ExposureRun]:
    """One run per ``what_if`` value in ``variants``, from facts read once."""
    require(principal, Action.READ_EXPOSURE)
    stmt = scope_purchases(select(Purchase), principal).where(_assessable(as_of))
    if purchase_ids is not None:
        stmt = stmt.where(Purchase.id.in_(purchase_ids))
    if operator_id is not None:
        stmt = stmt.where(Purchase.operator_id == operator_id)
    purchases = list(await session.scalars(stmt.order_by(Purchase.id)))
    return await assess_purchases(session, purchases, as_of, variants)


def _not_assessed(purchase: Purchase, as_of: date) -> InputError:
    """Why a visible purchase has no exposure on ``as_of``: a null needs a reason."""
    if purchase.status != PurchaseStatus.ACTIVE:
        status = Text(f"exposure.status.{purchase.status.value}", {})
        text = Text("exposure.not_active", {"purchase": purchase.id, "status": status})
        code, field = ErrorCode.INVALID_STATE, "status"
    else:
        text = Text(
            "exposure.before_contract",
            {
                "as_of": as_of.isoformat(),
                "purchase": purchase.id,
                "contract": purchase.contract_date.isoformat(),
            },
        )
        code, field = ErrorCode.OUT_OF_RANGE, "asOf"
    return InputError([FieldError(field, english(text, TEMPLATES), code, text)])


def _assessable(as_of: date) -> ColumnElement[bool]:
    """The purchases an assessment on ``as_of`` covers: active ones contracted by then."""
    return and_(Purchase.status == PurchaseStatus.ACTIVE, Purchase.contract_date <= as_of)


async def purchase_exposure(
    session: AsyncSession, principal: Principal, purchase_id: int, as_of: date
) -> PurchaseExposure | None:
    """One purchase's exposure; an InputError saying why when it was contracted after ``as_of``
    or is cancelled."""
    found = (await exposures_by_purchase_ids(session, principal, [purchase_id], as_of))[purchase_id]
    if isinstance(found, Exception):
        raise found
    return found


async def exposures_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int], as_of: date
) -> dict[int, PurchaseExposure | Exception | None]:
    """The exposure of each purchase on ``as_of``, in a fixed number of queries whatever their
    number (the batch behind the GraphQL loader and :func:`purchase_exposure`).

    Each id maps to its exposure or to the error that stops its assessment, which says why:
    NotFound when the principal may not see it, a missing exchange rate, a cancelled purchase,
    a day before the contract. In a batch only that purchase fails.
    """
    require(principal, Action.READ_EXPOSURE)
    # One query for both questions: may the principal see it, and does an assessment cover it.
    stmt = scope_purchases(select(Purchase), principal).where(Purchase.id.in_(purchase_ids))
    stmt_flagged = stmt.add_columns(_assessable(as_of)).order_by(Purchase.id)
    rows = (await session.execute(stmt_flagged)).all()
    found: dict[int, PurchaseExposure | Exception | None] = {
        p.id: _not_assessed(p, as_of) for p, assessable in rows if not assessable
    }
    due = [p for p, assessable in rows if assessable]
    _version, (outcomes,) = await assess_outcomes(session, due, as_of, (False,))
    found.update(zip((p.id for p in due), outcomes, strict=True))
    return {
        pid: found[pid] if pid in found else NotFound("id", "purchase", pid) for pid in purchase_ids
    }


async def summary(
    session: AsyncSession,
    principal: Principal,
    *,
    operator_id: int | None,
    as_of: date,
    group_by: GroupBy,
    what_if: bool = False,
    top_n: int = 10,
) -> tuple[ExposureRun, Summary]:
    """The portfolio view from cached per-purchase digests; only the ``top_n`` purchases are
    assessed in full (their items are shown)."""
    require(principal, Action.READ_EXPOSURE)
    fast, unpriced = await _fast_groups(session, principal, operator_id, as_of, what_if, [group_by])
    if fast is not None:
        excluded = [u.purchase_id for u in unpriced]
        visible = visible_purchases(principal, operator_id, as_of, excluded).subquery()
        groups, total, conditional_max, count = fast[group_by]
        top_ids = await aggregate.top_ids(session, visible, as_of, what_if, top_n)
    else:
        rows, unpriced = await digests(
            session, principal, operator_id=operator_id, as_of=as_of, what_if=what_if,
            with_articles=group_by is GroupBy.ARTICLE,
        )  # fmt: skip
        groups, top, total, conditional_max = summarise_digests(
            rows.values(), group_by, top_n=top_n
        )
        # By identity: a digest carries the calculator's string label, the key is the purchase id.
        id_of = {id(d): purchase_id for purchase_id, d in rows.items()}
        top_ids = [id_of[id(d)] for d in top]
        count = len(rows)
    run = await assess(session, principal, purchase_ids=top_ids, as_of=as_of, what_if=what_if)
    full = dict(zip(run.purchase_ids, run.exposures, strict=True))
    result = Summary(
        group_by=(group_by,),
        groups=groups,
        top=tuple(full[purchase_id] for purchase_id in top_ids),
        total=total,
        conditional_max=conditional_max,
        unpriced=tuple(unpriced),
    )
    return replace(run, purchase_count=count), result


async def _fast_groups(
    session: AsyncSession,
    principal: Principal,
    operator_id: int | None,
    as_of: date,
    what_if: bool,
    dims: Sequence[GroupBy],
) -> tuple[dict[GroupBy, aggregate.Groups] | None, list[Unpriced]]:
    """The SQL path of a summary (procurement.exposure.aggregate) and the purchases it leaves
    out as unpriced. When a digest is missing, the missing ones are computed and stored first
    (a cold cache: after a rate or schedule change, or on a day past a digest's validity),
    and the SQL answers over the rest; None when it still cannot (a digest without slices, or
    one dropped meanwhile): the Python path then answers. The fresh digests' sums are added to
    the first statement's (aggregate.totals_after_fill), not read back by a second one."""
    visible = visible_purchases(principal, operator_id, as_of).subquery()
    found = await aggregate.totals_or_cold(session, visible, as_of, what_if, dims)
    if not isinstance(found, aggregate.Cold):
        return found, []
    unpriced, fresh = await refresh_visible(
        session, principal, operator_id, as_of, found.missing, what_if=what_if
    )
    excluded = [u.purchase_id for u in unpriced]
    visible = visible_purchases(principal, operator_id, as_of, excluded).subquery()
    totals = await aggregate.totals_after_fill(session, visible, what_if, dims, found, fresh)
    return totals, unpriced


async def group_summaries(
    session: AsyncSession,
    principal: Principal,
    *,
    operator_id: int | None,
    as_of: date,
    what_if: bool,
    group_by: Sequence[GroupBy] = tuple(GroupBy),
) -> dict[GroupBy, Summary]:
    """The group totals of :func:`summary` for several groupings at once, without the top
    purchases (the console's charts): the cached digests are read once for the groupings by
    vendor and category and once for the one by article, instead of once per grouping."""
    require(principal, Action.READ_EXPOSURE)
    fast, unpriced = await _fast_groups(session, principal, operator_id, as_of, what_if, group_by)
    if fast is not None:
        return {
            dim: Summary((dim,), groups, (), total, worst, tuple(unpriced))
            for dim, (groups, total, worst, _count) in fast.items()
        }
    out: dict[GroupBy, Summary] = {}
    for with_articles in (False, True):
        dims = [g for g in group_by if (g is GroupBy.ARTICLE) == with_articles]
        if not dims:
            continue
        rows, unpriced = await digests(
            session, principal, operator_id=operator_id, as_of=as_of, what_if=what_if,
            with_articles=with_articles,
        )  # fmt: skip
        for dim in dims:
            groups, _top, total, worst = summarise_digests(rows.values(), dim, top_n=0)
            out[dim] = Summary((dim,), groups, (), total, worst, tuple(unpriced))
    return {dim: out[dim] for dim in group_by}


# --- the admin-maintained data ---


async def exchange_rates(session: AsyncSession, principal: Principal) -> list[ExchangeRateRow]:
    require(principal, Action.READ_EXPOSURE)
    return await exchange_rates_unscoped(session)


async def schedule_versions(
    session: AsyncSession, principal: Principal, limit: int = 50
) -> list[PenaltyScheduleSet]:
    """The stored versions of the schedule set, newest (in force) first."""
    require(principal, Action.READ_EXPOSURE)
    stmt = select(PenaltyScheduleSet).order_by(PenaltyScheduleSet.version.desc()).limit(limit)
    return list(await session.scalars(stmt))


async def schedules_document(
    session: AsyncSession, principal: Principal
) -> tuple[int, list[dict[str, object]]]:
    """(version, records) in force, as JSON records in the seed file's format."""
    require(principal, Action.READ_EXPOSURE)
    row = await latest_schedule_set(session)
    if row is None:
        text = (files("procurement.exposure") / "seed_schedules.json").read_text(encoding="utf-8")
        return 0, _records(orjson.loads(text))
    return row.version, _records(orjson.loads(row.document))


def _records(document: object) -> list[dict[str, object]]:
    if isinstance(document, dict):
        document = document.get("schedules", [])
    return list(document) if isinstance(document, list) else []
