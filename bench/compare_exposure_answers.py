"""Dump every answer the exposure cache feeds, on the summary benchmark's purchases on several
days, to compare two versions of the code when what the cache stores changes (where
dump_exposure_digests.py, which compares the stored rows, cannot).

Usage: PYTHONPATH=<checkout> python bench/compare_exposure_answers.py OUT [--purchases N]
       [--days 2025-03-15,2025-12-01,...]
Seeds a temporary SQLite file as dump_exposure_digests.py does (a second USD rate and an amended
schedule set), and per day drops every digest, then writes, one line each: the GraphQL answer of
exposureSummary for each grouping and variant (asked twice: the first fills the cache, the
second reads it warm), the console's group totals of every grouping at once
(reads.group_summaries, with each group's purchase ids), the summary's groups with their
purchase ids (reads.summary), and purchases(first: 100){ exposure }. Run it once per checkout
and compare the files (cmp).
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import orjson
from bench_exposure_summary import seed  # bench/ is on sys.path
from dump_exposure_digests import change_rate_and_law, parse_arguments
from sqlalchemy import delete

from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.exposure import GroupBy
from procurement.exposure import reads as exposure
from procurement.models import ExposureSnapshot
from procurement.permissions import SYSTEM
from procurement.settings import load_settings, normalise_database_url
from procurement.web.app import create_app

SUMMARY = """{ exposureSummary(asOf: "%s", groupBy: %s, whatIf: %s, top: 20) {
  asOf whatIf scheduleVersion purchaseCount total { min max } conditionalMax
  groups { key purchaseCount total { min max } conditionalMax }
  top { purchase { id } exposure { total { min max } conditionalMax } }
  unpriced { purchase { id } reason } } }"""
PURCHASES = """{ purchases(first: 100) { edges { node { id
  exposure(asOf: "%s") { total { min max } conditionalMax } } } } }"""


def _plain(value: object) -> object:
    """Decimals as their strings (an exponent shows), dataclasses by their slots."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "__slots__"):
        return {s: _plain(getattr(value, s)) for s in value.__slots__}
    return value


async def dump(url: str, secret: str, days: list[date], out: Path) -> None:
    engine = create_engine(url)
    sessions = app_sessions(engine)
    await change_rate_and_law(sessions)
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    headers = {"authorization": f"Bearer {secret}"}
    with out.open("w", encoding="utf-8") as file:

        def write(*parts: object) -> None:
            file.write(orjson.dumps(_plain(parts), option=orjson.OPT_SORT_KEYS).decode() + "\n")

        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://dump", timeout=600
        ) as client:

            async def ask(query: str) -> object:
                response = await client.post("/graphql", json={"query": query}, headers=headers)
                return response.json()

            for day in days:
                async with sessions() as session:
                    await session.execute(delete(ExposureSnapshot))
                    await session.commit()
                for group_by in GroupBy:
                    for what_if in ("false", "true"):
                        query = SUMMARY % (day.isoformat(), group_by.value, what_if)
                        write(day, group_by, what_if, "cold", await ask(query))
                        write(day, group_by, what_if, "warm", await ask(query))
                for what_if_flag in (False, True):
                    async with sessions() as session:
                        found = await exposure.group_summaries(
                            session, SYSTEM, operator_id=None, as_of=day, what_if=what_if_flag
                        )
                        write(day, "group_summaries", what_if_flag, found)
                        for group_by in GroupBy:
                            _run, summary = await exposure.summary(
                                session, SYSTEM, operator_id=None, as_of=day, group_by=group_by,
                                what_if=what_if_flag, top_n=0,
                            )  # fmt: skip
                            write(day, "summary", group_by, what_if_flag, summary)
                write(day, "purchases", await ask(PURCHASES % day.isoformat()))
    await engine.dispose()


def main() -> None:
    out, purchases, days = parse_arguments()
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(f"sqlite+aiosqlite:///{Path(tmp) / 'answers.db'}")
        secret = asyncio.run(seed(url, purchases))
        asyncio.run(dump(url, secret, days, out))


if __name__ == "__main__":
    main()
