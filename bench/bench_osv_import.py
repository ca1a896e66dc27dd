"""Offline OSV dump import: a real-size dump, the incremental re-import, and the re-match.

1. Generates (bench/osv_generate.py, deterministic) a dump of --records OSV records as a zip
   like OSV's all.zip, and imports it into a fresh database: wall time, records/s, peak RSS
   of the import (VmHWM, reset before it starts).
2. Imports the same zip again: every record is skipped.
3. Bulk-inserts --sboms purchases with one SBOM each (50-200 components drawn from the dump's
   packages, one in ten named by some advisory), screens them all once (what every import used to
   cost), then imports a dump of
   --changed records whose ``fixed`` versions moved: time of the import, of the re-match and
   rescreen inside it, and how many purchases were rescreened.

    .venv/bin/python bench/bench_osv_import.py                          # fresh SQLite file
    .venv/bin/python bench/with_postgres.py bench/bench_osv_import.py   # throwaway PostgreSQL
    BENCH_POSTGRES_URL=postgresql://... .venv/bin/python bench/bench_osv_import.py  # empty DB
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import osv_generate  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from procurement import migrate  # noqa: E402
from procurement.composition import app_sessions  # noqa: E402
from procurement.db import create_engine, utcnow  # noqa: E402
from procurement.models import Purchase, Sbom, SbomComponent, SbomVersion  # noqa: E402
from procurement.permissions import SYSTEM  # noqa: E402
from procurement.screening.actions import advisory_dump  # noqa: E402
from procurement.screening.store import rematch  # noqa: E402
from procurement.screening.store.rescreen import rescreen_purchases  # noqa: E402
from procurement.settings import normalise_database_url  # noqa: E402
from tests.support.world import build_world  # noqa: E402

PURL_TYPE = {e: t for e, t, _ in osv_generate.ECOSYSTEMS}
# Share of SBOM components drawn from the packages the dump's advisories name; the rest are
# packages with no advisory (as most of a real SBOM is).
ADVISED_SHARE = 0.1


def vm(field: str) -> float:
    match = re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux >= 4.0)


async def timed_import(sessions: async_sessionmaker[AsyncSession], path: Path, label: str) -> Any:
    async with sessions() as session:
        started = time.perf_counter()
        report = await advisory_dump.import_osv_dump(session, SYSTEM, [(path, label)])
        return report, time.perf_counter() - started


async def insert_sboms(
    sessions: async_sessionmaker[AsyncSession], count: int, advised_share: float
) -> list[int]:
    """``count`` purchases copied from the world's first one, each with one SBOM version."""
    rng = random.Random(42)
    pools = {e: osv_generate.package_pool_cached(e) for e, t, _ in osv_generate.ECOSYSTEMS}
    ecosystems = [e for e, _, _ in osv_generate.ECOSYSTEMS if e != "Bitnami"]
    async with sessions() as session:
        world = await build_world(session)
        template = (
            (
                await session.execute(
                    select(Purchase.__table__).where(Purchase.id == world.purchase_a_cn)
                )
            )
            .mappings()
            .one()
        )
        base = {k: v for k, v in template.items() if k != "id"}
        await session.execute(
            insert(Purchase), [base | {"title": f"Bench purchase {i}"} for i in range(count)]
        )
        ids = list(
            await session.scalars(
                select(Purchase.id).where(Purchase.title.like("Bench purchase %"))
            )
        )
        await session.execute(
            insert(Sbom), [{"purchase_id": p, "key": "fw", "name": "fw"} for p in ids]
        )
        sbom_ids = dict(
            (
                await session.execute(
                    select(Sbom.purchase_id, Sbom.id).where(Sbom.purchase_id.in_(ids))
                )
            ).all()
        )
        now = utcnow()
        versions = []
        for p in ids:
            versions.append(
                {
                    "sbom_id": sbom_ids[p], "number": 1, "sha256": f"{p:064d}", "format": "json",
                    "spec_version": "1.6", "bom_version": 1, "size_bytes": 1, "document_gzip": b"",
                    "metadata_json": "{}", "quality_score": 80.0, "quality_json": "{}",
                    "component_count": 0, "raw_component_count": 0, "dependency_count": 0,
                    "service_count": 0, "vulnerability_count": 0, "warnings_json": "[]",
                    "uploaded_by": "bench", "uploaded_at": now,
                }
            )  # fmt: skip
        await session.execute(insert(SbomVersion), versions)
        version_ids = list(
            await session.scalars(
                select(SbomVersion.id).where(SbomVersion.sbom_id.in_(list(sbom_ids.values())))
            )
        )
        rows: list[dict[str, Any]] = []
        for vid in version_ids:
            for pos in range(rng.randint(50, 200)):
                eco = rng.choice(ecosystems)
                if rng.random() < advised_share:
                    ns, name = rng.choice(pools[eco])
                else:  # most packages of a real SBOM have no advisory at all
                    ns, name = (
                        None,
                        f"clean-{rng.choice(osv_generate._WORDS)}-{rng.randint(0, 99999)}",
                    )
                ptype = PURL_TYPE[eco]
                ns = "debian" if ptype == "deb" else ns
                version = f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"
                purl = f"pkg:{ptype}/{ns + '/' if ns else ''}{name}@{version}"
                rows.append(
                    {
                        "version_id": vid, "position": pos, "path": str(pos), "type": "library",
                        "name": name, "bom_ref": purl, "group": ns, "version": version,
                        "supplier": "Bench", "purl": purl, "purl_type": ptype,
                        "purl_namespace": ns, "purl_name": name, "purl_version": version,
                    }
                )  # fmt: skip
            if len(rows) > 20_000:
                await session.execute(insert(SbomComponent), rows)
                rows = []
        if rows:
            await session.execute(insert(SbomComponent), rows)
        await session.commit()
        if session.get_bind().dialect.name == "postgresql":
            # Fresh statistics, as autovacuum would have made them (the throwaway cluster of
            # with_postgres.py runs without it): without them PostgreSQL planned the re-match
            # query as if the table were empty and took 44 s instead of 0.3 s.
            await session.execute(text("ANALYZE"))
            await session.commit()
        return ids


def changed_records(count: int, total: int) -> Any:
    """``count`` records of the dump, spread over it, modified later with moved ``fixed``."""
    step = max(1, total // count)
    for i in range(0, step * count, step):
        record = osv_generate.generate_record(i)
        record["modified"] = "2025-09-01T00:00:00Z"
        for rng in record["affected"][0]["ranges"]:
            if rng["type"] != "GIT":
                rng["events"] = [{"introduced": "0"}, {"fixed": "3.0.0"}]
        yield record


async def run(url: str, records: int, sboms: int, changed: int, share: float) -> None:
    engine = create_engine(normalise_database_url(url))
    await migrate.upgrade(engine)
    sessions = app_sessions(engine)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "all.zip"
        started = time.perf_counter()
        osv_generate.write_zip(dump, osv_generate.records(records))
        print(
            f"generated {records} records: {dump.stat().st_size / 1e6:.1f} MB zip "
            f"in {time.perf_counter() - started:.1f} s"
        )
        rss_before = vm("VmRSS")
        reset_peak()
        report, seconds = await timed_import(sessions, dump, "all.zip")
        print(
            f"import: {seconds:.1f} s, {records / seconds:.0f} records/s; added {report.added}, "
            f"withdrawn {report.withdrawn}, unmatchable {report.unmatchable}, invalid "
            f"{report.invalid_count}; RSS before {rss_before:.0f} MB, peak during import "
            f"{vm('VmHWM'):.0f} MB"
        )
        report, seconds = await timed_import(sessions, dump, "all.zip")
        print(f"re-import: {seconds:.1f} s, skipped {report.skipped}, added {report.added}")

        started = time.perf_counter()
        ids = await insert_sboms(sessions, sboms, share)
        print(f"inserted {len(ids)} purchases with SBOMs in {time.perf_counter() - started:.1f} s")
        async with sessions() as session:
            started = time.perf_counter()
            full = await rescreen_purchases(session, ids, "bench")
            await session.commit()
        print(
            f"full rescreen of {full.screened} purchases (what every import did before): "
            f"{time.perf_counter() - started:.1f} s"
        )
        small = Path(tmp) / "changed.zip"
        osv_generate.write_zip(small, changed_records(changed, records))
        inner: list[float] = []
        original = advisory_dump.rematch_pending

        async def timed_rematch(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                inner.append(time.perf_counter() - t0)

        rescreen_time: list[float] = []
        original_rescreen = rematch.rescreen_purchases

        async def timed_rescreen(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await original_rescreen(*args, **kwargs)
            finally:
                rescreen_time.append(time.perf_counter() - t0)

        advisory_dump.rematch_pending = timed_rematch  # type: ignore[assignment]
        rematch.rescreen_purchases = timed_rescreen  # type: ignore[assignment]
        report, seconds = await timed_import(sessions, small, "changed.zip")
        r = report.rematch
        print(
            f"changed dump of {changed} records: import {seconds:.2f} s, of which re-match + "
            f"rescreen {inner[0]:.2f} s (rescreen alone {sum(rescreen_time):.2f} s): "
            f"{r.advisories} advisories, {r.components} stored "
            f"components matched again, {r.purchases} purchases with changed matches, "
            f"{r.rescreen.screened} rescreened ({r.rescreen.changed} new results)"
        )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--sboms", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=300)
    parser.add_argument("--advised-share", type=float, default=ADVISED_SHARE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        print(f"database: {url.split('@')[-1] if '@' in url else url}")
        asyncio.run(run(url, args.records, args.sboms, args.changed, args.advised_share))


if __name__ == "__main__":
    main()
