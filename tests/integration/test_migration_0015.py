"""Revision 0015: the holiday_calendars table, and review due dates stored before it flagged
provisional exactly when they fall after the last year chinese-calendar knows, on both backends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from procurement import migrate
from procurement.reviews.holidays import PACKAGE_YEARS
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.reviews import open_case_id
from tests.support.world import World


async def test_upgrade_flags_stored_due_dates_beyond_the_package_years(
    db: DatabaseUnderTest, world: World
) -> None:
    assert PACKAGE_YEARS[-1] == 2026  # the dates below straddle the package's last year
    async with db.sessions() as session:
        ids = [await open_case_id(session, p) for p in (world.purchase_a_us, world.purchase_a_cn)]
    # given a database at 0011 with one due date in 2027 (counted Monday-Friday) and one in 2026
    await downgrade(db, "0011")
    async with db.engine.begin() as connection:
        for case_id, due in zip(ids, (date(2027, 4, 5), date(2026, 12, 31)), strict=True):
            await connection.execute(
                text("UPDATE review_cases SET deadline_due = :due WHERE id = :id"),
                {"due": due, "id": case_id},
            )
    # when upgrading to the head
    await migrate.upgrade(db.engine)
    # then only the 2027 one is provisional, and no schedule is loaded yet
    async with db.engine.begin() as connection:
        rows = (
            await connection.execute(
                text("SELECT id, deadline_provisional FROM review_cases ORDER BY id")
            )
        ).all()
        loaded = (await connection.execute(text("SELECT count(*) FROM holiday_calendars"))).one()
    assert {r[0]: bool(r[1]) for r in rows if r[0] in ids} == {ids[0]: True, ids[1]: False}
    assert not any(bool(r[1]) for r in rows if r[0] not in ids)
    assert tuple(loaded) == (0,)
    assert await migrate.current_revision(db.engine) == migrate.head_revision()
