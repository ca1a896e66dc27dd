"""A read never commits: the exposure summary fills its cache without committing the caller's
transaction (it used to commit whatever the caller had pending)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from procurement.demo import load_demo
from procurement.exposure import GroupBy
from procurement.exposure import reads as exposure
from procurement.models import ExposureSnapshot, Purchase
from procurement.permissions import SYSTEM
from tests.support.databases import DatabaseUnderTest

AS_OF = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("flushed", "cached_after"),
    [
        # unflushed: the summary cannot see the change, so its digests are stored for good
        (False, 12),
        # flushed: the digests reflect the change, so they go (here: are rolled back) with it
        (True, 0),
    ],
)
async def test_the_summary_leaves_the_callers_changes_uncommitted(
    db: DatabaseUnderTest, flushed: bool, cached_after: int
) -> None:
    # given the demo data set (12 purchases) and a session with a renamed purchase pending
    async with db.sessions() as session:
        await load_demo(session)
    async with db.sessions() as session:
        purchase = await session.scalar(select(Purchase).order_by(Purchase.id).limit(1))
        assert purchase is not None
        title, purchase_id = purchase.title, purchase.id
        purchase.title = "renamed, never committed"
        if flushed:
            await session.flush()
        # when the summary is read, and the caller then rolls back
        _run, summary = await exposure.summary(
            session, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
        assert len(summary.groups) > 0
        await session.rollback()
    # then the rename was never committed, and only digests of committed facts are cached
    async with db.sessions() as session:
        assert await session.scalar(select(Purchase.title).where(Purchase.id == purchase_id)) == (
            title
        )
        count = await session.scalar(select(func.count()).select_from(ExposureSnapshot))
    assert count == cached_after
