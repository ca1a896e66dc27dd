"""The current-screening batch read decodes each stored findings text once per process
(procurement/shared_json.py) and still answers exactly what is stored."""

from __future__ import annotations

from sqlalchemy import select

from procurement.models import ScreeningRecord
from procurement.permissions import SYSTEM
from procurement.screening import reads
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def test_the_batch_read_answers_the_stored_json_and_shares_it_between_sessions(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the world's purchases, screened on registration, and their stored JSON columns
    ids = [world.purchase_a_us, world.purchase_a_cn]
    async with db.sessions() as session:
        stored = {
            row.purchase_id: (row.findings, row.reasons, row.missing_facts)
            for row in await session.execute(
                select(
                    ScreeningRecord.purchase_id,
                    ScreeningRecord.findings,
                    ScreeningRecord.reasons,
                    ScreeningRecord.missing_facts,
                ).where(ScreeningRecord.superseded_at.is_(None))
            )
        }

    # when the batch read runs in two sessions
    async with db.sessions() as session:
        first = await reads.screenings_by_purchase_ids(session, SYSTEM, ids)
    async with db.sessions() as session:
        second = await reads.screenings_by_purchase_ids(session, SYSTEM, ids)

    # then each record carries exactly the stored values
    assert sorted(first) == sorted(ids)
    for purchase_id, record in first.items():
        assert (record.findings, record.reasons, record.missing_facts) == stored[purchase_id]
    # and the second session's values are the first's objects, not decoded again
    for purchase_id, record in second.items():
        assert record.findings is first[purchase_id].findings
        assert record.reasons is first[purchase_id].reasons
