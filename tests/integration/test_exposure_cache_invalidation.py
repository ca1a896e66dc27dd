"""Each cause of invalidation drops exactly the digests it touches (counted: the purchases the
next summary recomputes), and the summary then equals a computation from scratch.

Demo data (procurement/demo.py): 12 purchases; in USD one contracted 2025-06-02 and one
2026-02-10, in EUR 2025-08-05 and 2026-06-30; rates from 2025-01-01.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from importlib.resources import files
from typing import Any

import orjson
import pytest
from sqlalchemy import delete, select

from procurement.enums import PurchaseStatus
from procurement.exposure import GroupBy, Summary, summarise
from procurement.exposure import cache as exposure_cache
from procurement.exposure import reads as exposure
from procurement.exposure.actions import update_penalty_schedules
from procurement.exposure.schedules import ActKind
from procurement.exposure.store import read_fact_rows
from procurement.exposure.validity import KIND_BITS
from procurement.models import ExchangeRateRow, ExposureSnapshot, Purchase
from procurement.permissions import SYSTEM
from procurement.screening.actions.rates import set_exchange_rate
from tests.support.databases import DatabaseUnderTest

AS_OF = date(2026, 11, 21)


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the purchases the cache computes afresh, in the order computed."""
    seen: list[int] = []

    async def counting(session: Any, purchases: Sequence[Any], as_of: date) -> Any:
        seen.extend(p.id for p in purchases)
        return await read_fact_rows(session, purchases, as_of)

    monkeypatch.setattr(exposure_cache, "read_fact_rows", counting)  # the cache's own import
    return seen


async def cached_and_fresh(db: DatabaseUnderTest, day: date, group_by: GroupBy) -> tuple[
    Summary, Summary
]:  # fmt: skip
    """The summary through the cache, and the summary of a full assessment from scratch."""
    async with db.sessions() as session:
        _run, cached = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=day, group_by=group_by
        )
        full = await exposure.assess(session, SYSTEM, as_of=day)
    return cached, summarise(full.exposures, group_by, top_n=10)


def same(cached: Summary, fresh: Summary) -> None:
    assert cached.groups == fresh.groups
    assert cached.total == fresh.total
    assert cached.conditional_max == fresh.conditional_max
    assert [e.purchase_id for e in cached.top] == [e.purchase_id for e in fresh.top]


async def ids_of(db: DatabaseUnderTest, where: Any = None) -> list[int]:
    async with db.sessions() as session:
        stmt = select(ExposureSnapshot.purchase_id).order_by(ExposureSnapshot.purchase_id)
        return list(await session.scalars(stmt if where is None else stmt.where(where)))


async def warm(db: DatabaseUnderTest, recomputed: list[int], day: date = AS_OF) -> None:
    cached, fresh = await cached_and_fresh(db, day, GroupBy.ARTICLE)
    same(cached, fresh)
    recomputed.clear()


async def record_rate(db: DatabaseUnderTest, rate: str, day: date) -> None:
    """The use case: records the rate and rescreens the purchases in that currency (which
    drops only the digests of purchases whose verdict or case changed: none here)."""
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", rate, day, "test")


async def test_a_rate_change_recomputes_only_that_currency_from_its_day(
    db: DatabaseUnderTest, demo: str, recomputed: list[int]
) -> None:
    # given the summary cached
    await warm(db, recomputed)
    assert len(await ids_of(db)) == 12
    # when a USD rate from 2026-01-01 is recorded
    await record_rate(db, "7.3000", date(2026, 1, 1))
    # then only the USD purchase contracted 2026-02-10 is recomputed, and the summary is exact
    cached, fresh = await cached_and_fresh(db, AS_OF, GroupBy.VENDOR)
    assert len(recomputed) == 1
    async with db.sessions() as session:
        (purchase,) = await session.scalars(select(Purchase).where(Purchase.id == recomputed[0]))
    assert (purchase.currency, purchase.contract_date) == ("USD", date(2026, 2, 10))
    same(cached, fresh)
    # when the USD rate from 2025-01-01 changes, only the USD purchase it prices (contracted
    # 2025-06-02) is recomputed: the one of 2026-02-10 is priced by the rate from 2026-01-01
    recomputed.clear()
    await record_rate(db, "7.0000", date(2025, 1, 1))
    cached, fresh = await cached_and_fresh(db, AS_OF, GroupBy.CATEGORY)
    async with db.sessions() as session:
        days = list(
            await session.scalars(select(Purchase.contract_date).where(Purchase.id.in_(recomputed)))
        )
    assert days == [date(2025, 6, 2)]
    same(cached, fresh)
    # when the rate from 2026-01-01 moves to 2025-03-01, both are recomputed: it now prices the
    # one of 2025-06-02, and no longer prices from 2026-01-01 on (the one of 2026-02-10)
    recomputed.clear()
    async with db.sessions() as session:
        (row,) = await session.scalars(
            select(ExchangeRateRow).where(ExchangeRateRow.valid_from == date(2026, 1, 1))
        )
        row.valid_from = date(2025, 3, 1)
        await session.commit()
    cached, fresh = await cached_and_fresh(db, AS_OF, GroupBy.VENDOR)
    assert len(recomputed) == 2
    same(cached, fresh)


@pytest.mark.parametrize(
    ("article", "kind", "touched"),
    [
        ("41", ActKind.PURCHASE_WITHOUT_REVIEW, 6),
        ("65", ActKind.USE_WITHOUT_REVIEW, 1),
        ("39(9)", ActKind.NO_CONFIDENTIALITY_AGREEMENT, 8),
    ],
)
async def test_a_schedule_change_recomputes_only_purchases_under_its_act_kind(
    db: DatabaseUnderTest,
    demo: str,
    recomputed: list[int],
    article: str,
    kind: ActKind,
    touched: int,
) -> None:
    # given the summary cached, and the purchases whose digests consulted this act kind
    await warm(db, recomputed)
    bit = KIND_BITS[kind]
    consulting = await ids_of(db, ExposureSnapshot.act_kinds.op("&")(bit) != 0)
    # when a new schedule version changes a figure of this article
    document = orjson.loads(
        (files("procurement.exposure") / "seed_schedules.json").read_text(encoding="utf-8")
    )
    for record in document["schedules"]:
        if record["article"] == article and record["condition"] != "IMMEDIATE":
            record["entity_max"] = str(int(record["entity_max"]) * 2)
        if record["article"] == article and record["condition"] == "IMMEDIATE":
            record["note"] += " (changed)"
    async with db.sessions() as session:
        await update_penalty_schedules(session, SYSTEM, orjson.dumps(document).decode())
    # then exactly those purchases are recomputed, and the summary equals a fresh one
    cached, fresh = await cached_and_fresh(db, AS_OF, GroupBy.ARTICLE)
    assert sorted(recomputed) == consulting
    assert len(recomputed) == touched
    same(cached, fresh)


async def test_an_unchanged_schedule_version_recomputes_nothing(
    db: DatabaseUnderTest, demo: str, recomputed: list[int]
) -> None:
    # given the summary cached
    await warm(db, recomputed)
    # when the shipped schedules are stored again as a new version, unchanged
    text = (files("procurement.exposure") / "seed_schedules.json").read_text(encoding="utf-8")
    async with db.sessions() as session:
        await update_penalty_schedules(session, SYSTEM, text, "same figures")
    # then nothing is recomputed
    cached, fresh = await cached_and_fresh(db, AS_OF, GroupBy.VENDOR)
    assert recomputed == []
    same(cached, fresh)


# Days in the order asked, with how many purchases each recomputes: the next day (no date of
# the demo's is near it: none); the day the CSL amendment takes effect (a schedule date: the
# digests of the 6 purchases contracted by then start after it); the day before (those 6 again,
# their new digests start on 2026-01-01); the last day of the two-year limitation period of the
# 14 March 2025 contract (9 digests do not reach it); the first day past that period (only that
# purchase); and back to the first day (5 digests computed in 2027 do not reach back).
# (day, purchases recomputed): on the amended CSL's first day only the 3 purchases that consult
# an act kind whose schedules change that day (issue 14; it was all 6 with a digest ending then)
DAYS = [
    (date(2026, 11, 22), 0),
    (date(2026, 1, 1), 3),
    (date(2025, 12, 31), 3),
    (date(2027, 3, 14), 8),
    (date(2027, 3, 15), 1),
    (AS_OF, 5),
]


async def test_a_new_day_recomputes_only_purchases_whose_figures_depend_on_it(
    db: DatabaseUnderTest, demo: str, recomputed: list[int]
) -> None:
    # given the summary cached on AS_OF
    await warm(db, recomputed)
    for day, expected in DAYS:
        # the purchases contracted by then without a digest holding on that day
        S = ExposureSnapshot
        async with db.sessions() as session:
            stale = list(
                await session.scalars(
                    select(Purchase.id)
                    .outerjoin(S, S.purchase_id == Purchase.id)
                    .where(
                        Purchase.status == PurchaseStatus.ACTIVE,
                        Purchase.contract_date <= day,
                        S.purchase_id.is_(None) | (S.valid_from > day) | (S.valid_until <= day),
                    )
                    .order_by(Purchase.id)
                )
            )
        # when the summary is asked for that day
        for group_by in (GroupBy.ARTICLE, GroupBy.VENDOR):
            cached, fresh = await cached_and_fresh(db, day, group_by)
            # then it equals a computation from scratch
            same(cached, fresh)
        # and only the digests not holding that day were recomputed (once, not per grouping)
        assert (day, sorted(recomputed)) == (day, stale)
        assert (day, len(recomputed)) == (day, expected)
        recomputed.clear()


async def test_a_full_invalidation_recomputes_every_purchase(
    db: DatabaseUnderTest, demo: str, recomputed: list[int]
) -> None:
    # given the summary cached, then every digest dropped
    await warm(db, recomputed)
    async with db.sessions() as session:
        await session.execute(delete(ExposureSnapshot))
        await session.commit()
    # when the summary is asked, then all 12 purchases are recomputed and it is exact
    cached, fresh = await cached_and_fresh(db, AS_OF, GroupBy.VENDOR)
    assert len(recomputed) == 12
    same(cached, fresh)
    # and asked again, nothing is
    recomputed.clear()
    await cached_and_fresh(db, AS_OF, GroupBy.VENDOR)
    assert recomputed == []
