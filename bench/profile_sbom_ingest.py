"""Profile the server path of one SBOM upload in-process (issue 14, ingest).

Runs the upload action (procurement.sboms.actions.ingest_sbom: read, store, rescreen, audit,
commit) on a fresh demo database, with the worker-thread steps run inline so that one cProfile
sees everything, and prints the CPU time (time.process_time) per upload to the commit, and
apart from it the release the upload route makes after answering; with
``--profile``, the most expensive functions.

    .venv/bin/python bench/profile_sbom_ingest.py --size 10000 --runs 3 [--profile]
    .venv/bin/python bench/profile_sbom_ingest.py --database-url postgresql+asyncpg://...
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

from sbom_generate import generate_cyclonedx_json  # noqa: E402

LIMIT = 512 * 1024 * 1024


async def _inline(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


async def run(args: argparse.Namespace, url: str) -> None:
    from procurement.composition import app_sessions
    from procurement.db import create_engine
    from procurement.permissions import SYSTEM
    from procurement.sboms import actions
    from procurement.sboms.aftermath import Aftermath
    from procurement.settings import load_settings

    settings = load_settings()
    engine = create_engine(settings.database_url)
    sessions = app_sessions(engine, settings)
    asyncio.to_thread = _inline  # type: ignore[assignment]  # one thread: one profile
    documents = [generate_cyclonedx_json(args.size, seed=200 + i) for i in range(args.runs + 1)]
    profile = cProfile.Profile()
    cpus, releases = [], []
    try:
        for i, document in enumerate(documents):
            async with sessions() as session:
                measured = i > 0  # the first upload warms caches (schemas, statements)
                cpu = time.process_time()
                if measured and args.profile:
                    profile.enable()
                # As the upload route: what reading built is released after the answer.
                aftermath = Aftermath()
                await actions.ingest_sbom(
                    session, SYSTEM, i + 1, document, max_bytes=LIMIT, max_components=1_000_000,
                    aftermath=aftermath,
                )  # fmt: skip
                if measured and args.profile:
                    profile.disable()
                committed = time.process_time()
                await aftermath.release()
                if measured:
                    cpus.append(committed - cpu)
                    releases.append(time.process_time() - committed)
    finally:
        await engine.dispose()
    print(
        f"{args.size:,} components ({url.split(':')[0]}): CPU median "
        f"{statistics.median(cpus):.3f} s/upload to the commit, runs "
        f"{', '.join(f'{c:.3f}' for c in cpus)}; released after the answer: median "
        f"{statistics.median(releases):.3f} s, runs {', '.join(f'{c:.3f}' for c in releases)}"
    )
    if args.profile:
        if os.environ.get("PROFILE_DUMP"):
            profile.dump_stats(os.environ["PROFILE_DUMP"])
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'profile.db'}"
        os.environ.update(
            PROCUREMENT_DATABASE_URL=url,
            PROCUREMENT_MAX_UPLOAD_BYTES=str(LIMIT),
            PROCUREMENT_LOG_LEVEL="WARNING",
        )
        subprocess.run(
            [sys.executable, "-m", "procurement", "demo"], check=True, capture_output=True
        )
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
