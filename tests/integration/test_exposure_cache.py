"""The cached portfolio summary equals the full computation, and every input change drops the
cached digest in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from procurement.exposure import GroupBy, summarise
from procurement.exposure import reads as exposure
from procurement.models import ExposureSnapshot, Purchase, ScreeningRecord
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from procurement.screening.actions.rates import set_exchange_rate
from tests.support.databases import DatabaseUnderTest

AS_OF = date(2026, 11, 21)


async def snapshots(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ExposureSnapshot)) or 0)


@pytest.mark.parametrize("group_by", list(GroupBy))
@pytest.mark.parametrize("what_if", [False, True])
async def test_cached_summary_equals_the_full_computation(
    db: DatabaseUnderTest, demo: str, group_by: GroupBy, what_if: bool
) -> None:
    # given the demo data set (the `demo` fixture)
    # when the summary is asked twice (cold, then from the cache) and computed in full
    async with db.sessions() as session:
        _run, cold = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=group_by, what_if=what_if
        )
    async with db.sessions() as session:
        _run, warm = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=group_by, what_if=what_if
        )
        full = await exposure.assess(session, SYSTEM, as_of=AS_OF, what_if=what_if)
    expected = summarise(full.exposures, group_by, top_n=10)
    # then all three agree exactly
    for result in (cold, warm):
        assert result.groups == expected.groups
        assert result.total == expected.total
        assert result.conditional_max == expected.conditional_max
        assert [e.purchase_id for e in result.top] == [e.purchase_id for e in expected.top]
    assert await snapshots(db) == 12


async def test_changes_drop_cached_digests(db: DatabaseUnderTest, demo: str) -> None:
    # given the demo data set with its summary cached
    async with db.sessions() as session:
        await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    assert await snapshots(db) == 12
    # when one purchase's value changes
    async with db.sessions() as session:
        bank_db = await session.scalar(
            select(Purchase).where(Purchase.title.like("Distributed database%"))
        )
        assert bank_db is not None
        await purchases.update_purchase(
            session, SYSTEM, bank_db.id, {"contract_value": "47000000.00", "currency": "CNY"}
        )
    # then only its digest is gone, and the next summary uses the new value
    assert await snapshots(db) == 11
    async with db.sessions() as session:
        after = await exposure.assess(session, SYSTEM, purchase_ids=[bank_db.id], as_of=AS_OF)
        _run, summary = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    assert after.exposures[0].amount_cny == Decimal("47000000.00")
    assert summary.top[0].purchase_id == str(bank_db.id)
    assert summary.top[0].total == after.exposures[0].total
    # when the USD rate from 2025-01-01 changes, only the digests of the two USD purchases
    # (contracted 2025-06-02 and 2026-02-10) are dropped
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "7.2000", date(2025, 1, 1), "test")
    assert await snapshots(db) == 10


async def test_another_date_is_recomputed(db: DatabaseUnderTest, demo: str) -> None:
    async with db.sessions() as session:
        _r, today = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        # before 2026 only the purchases contracted by then count
        run, earlier = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=date(2025, 12, 31), group_by=GroupBy.VENDOR
        )
        full = await exposure.assess(session, SYSTEM, as_of=date(2025, 12, 31))
    assert run.covered == len(full.exposures) == 6
    assert earlier.total == summarise(full.exposures, GroupBy.VENDOR).total
    assert earlier.total != today.total


async def test_rescreening_and_review_decisions_drop_cached_digests(
    db: DatabaseUnderTest, demo: str
) -> None:
    from procurement.screening.store.rescreen import rescreen_purchases

    # given the demo data set with its summary cached
    async with db.sessions() as session:
        await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    assert await snapshots(db) == 12
    # when every purchase is screened again with nothing changed
    async with db.sessions() as session:
        await rescreen_purchases(session, list(range(1, 13)), "test")
        await session.commit()
    # then every digest stays
    assert await snapshots(db) == 12
    # when two purchases lose their current result (as if never screened) and are screened
    # again (results are written in bulk, not by the ORM)
    async with db.sessions() as session:
        await session.execute(
            update(ScreeningRecord)
            .where(ScreeningRecord.purchase_id.in_([1, 2]))
            .values(superseded_at=datetime(2026, 1, 1, tzinfo=UTC))
        )
        await rescreen_purchases(session, [1, 2], "test")
        await session.commit()
    # then their digests are gone and the others stay, and the summary is exact again
    assert await snapshots(db) == 10
    async with db.sessions() as session:
        _run, cached = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        full = await exposure.assess(session, SYSTEM, as_of=AS_OF)
    assert cached.groups == summarise(full.exposures, GroupBy.VENDOR).groups
