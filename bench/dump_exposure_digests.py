"""Dump every cached exposure digest of the summary benchmark's purchases on several days, to
compare two versions of the code byte for byte (a change to how digests are computed must not
change one digit, nor the way it is written).

Usage: PYTHONPATH=<checkout> python bench/dump_exposure_digests.py OUT [--purchases N]
       [--days 2025-03-15,2025-12-01,...]
Seeds a temporary SQLite file as bench_exposure_summary.py does (then also a second USD rate
and an amended schedule set, so that both the rate and the law change within the days), and per
day drops every digest, computes them all (procurement.exposure.cache.fill_missing, the path of
a cold summary) and writes each stored row of exposure_snapshots (but its computed_at) and
exposure_slices, in key order, one line each. Run it once per checkout and compare the files
(cmp): identical files mean identical digests, spans and slices. Across a change to what is
stored (blank digests' slices left out), compare the answers instead: compare_exposure_answers.py.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench_exposure_summary import _changed_schedules, seed  # bench/ is on sys.path
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.exposure.actions import record_exchange_rate, update_penalty_schedules
from procurement.exposure.cache import fill_missing
from procurement.models import ExposureSlice, ExposureSnapshot
from procurement.permissions import SYSTEM
from procurement.settings import normalise_database_url

DAYS = "2025-03-15,2025-12-01,2025-12-31,2026-01-01,2026-07-01,2027-10-02,2030-01-01"


async def change_rate_and_law(sessions: async_sessionmaker[AsyncSession]) -> None:
    """A second USD rate and an amended schedule set, so that both the rate and the law change
    within the days (this script and compare_exposure_answers.py start from the same data)."""
    async with sessions() as session:
        await record_exchange_rate(session, SYSTEM, "USD", Decimal("7.2"), date(2025, 6, 1), "dump")
        await session.commit()
        await update_penalty_schedules(session, SYSTEM, _changed_schedules("41"))


async def dump(url: str, days: list[date], out: Path) -> None:
    engine = create_engine(url)
    sessions = app_sessions(engine)
    await change_rate_and_law(sessions)
    snapshot = [c for c in ExposureSnapshot.__table__.columns if c.name != "computed_at"]
    pieces = list(ExposureSlice.__table__.columns)
    with out.open("w", encoding="utf-8") as file:
        for day in days:
            async with sessions() as session:
                await session.execute(delete(ExposureSnapshot))
                stored, unpriced = await fill_missing(session, day)
                await session.commit()
                file.write(f"day {day} stored {stored} unpriced {unpriced}\n")
                for row in await session.execute(
                    select(*snapshot).order_by(ExposureSnapshot.purchase_id)
                ):
                    file.write(f"S {tuple(row)!r}\n")
                for row in await session.execute(
                    select(*pieces).order_by(
                        ExposureSlice.purchase_id, ExposureSlice.what_if, ExposureSlice.position
                    )
                ):
                    file.write(f"X {tuple(row)!r}\n")
    await engine.dispose()


def parse_arguments() -> tuple[Path, int, list[date]]:
    """OUT, --purchases and --days, as this script and compare_exposure_answers.py take them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--days", default=DAYS)
    args = parser.parse_args()
    return args.out, args.purchases, [date.fromisoformat(d) for d in args.days.split(",")]


def main() -> None:
    out, purchases, days = parse_arguments()
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(f"sqlite+aiosqlite:///{Path(tmp) / 'dump.db'}")
        asyncio.run(seed(url, purchases))
        asyncio.run(dump(url, days, out))


if __name__ == "__main__":
    main()
