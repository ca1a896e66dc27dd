"""Write docs/reliability.md from a fresh run of the reliability probes (a few minutes).

    .venv/bin/python scripts/reliability_report.py [--output docs/reliability.md]

Every figure on the page comes from this run: the access matrix (node ids and root queries per
role, leaks counted against each role's own lists), the fuzzing (requests, 5xx, internal
errors), the review-decision races, the database faults (read-only and locked SQLite, a
PostgreSQL restart under load), and the query limits (time to refuse each hostile document,
/healthz beside the heaviest allowed ones). PostgreSQL runs when its server binaries are here
(the private cluster the test suite uses); otherwise the page says it was skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from procurement.demo import load_demo  # noqa: E402
from tests.support import postgres, reliability  # noqa: E402
from tests.support.databases import (  # noqa: E402
    fill_template,
    migrate_template,
    postgres_create,
)
from tests.support.heavy import HEAVY_ALLOWED, health_during_heavy  # noqa: E402
from tests.support.live_server import live_server  # noqa: E402
from tests.support.world import World, build_world_as_of_opening  # noqa: E402

FUZZ_PER_FIELD = 12


async def _seed(session: Any) -> World:
    # As the test suite seeds it: the world as of its opening date, so its dated review history
    # (a triage in April 2025...) follows the cases' opening, then the demo data.
    world = await build_world_as_of_opening(session)
    await load_demo(session)
    return world


def fresh_database(backend: str, where: str) -> tuple[str, World]:
    """A migrated database with the test world and the demo data; its URL and the world."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{where}"
    else:
        url = asyncio.run(postgres_create(where, f"reliability_{time.monotonic_ns()}"))
    migrate_template(url)
    return url, fill_template(backend, url, _seed)


async def probe_backend(backend: str, url: str, world: World) -> dict[str, Any]:
    client, engine = reliability.app_client(url)
    async with client:
        started = time.perf_counter()
        access = await reliability.access_matrix(client, world.secrets)
        fuzz = await reliability.fuzz_all(client, world.secrets, FUZZ_PER_FIELD)
        races = await reliability.review_races(url, world, client, pairs=10)
        refusals = await reliability.refusal_times(client, world.secrets["procurement"])
        seconds = time.perf_counter() - started
    await engine.dispose()
    return {
        "access": access,
        "fuzz": fuzz,
        "races": races,
        "refusals": refusals,
        "seconds": seconds,
    }


async def probe_health(url: str, world: World) -> list[tuple[str, Any]]:
    found = []
    with live_server(url) as base_url:
        for name, document in HEAVY_ALLOWED.items():
            found.append(
                (name, await health_during_heavy(base_url, world.secrets["admin"], document))
            )
    return found


def run(output: Path) -> None:
    load_before = os.getloadavg()[0]
    results: dict[str, dict[str, Any]] = {}
    faults: list[reliability.FaultResult] = []
    health: dict[str, list[tuple[str, Any]]] = {}
    restart: reliability.RestartTally | None = None
    skipped: str | None = postgres.unavailable_reason()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "reliability.db")
        url, world = fresh_database("sqlite", path)
        results["SQLite"] = asyncio.run(probe_backend("sqlite", url, world))
        health["SQLite"] = asyncio.run(probe_health(url, world))
        faults.append(asyncio.run(reliability.locked_sqlite(url, path, world.secrets["admin"])))
        faults.append(asyncio.run(reliability.read_only_sqlite(path, world.secrets["admin"])))
    if skipped is None:
        server = postgres.start()
        try:
            url, world = fresh_database("postgresql", server.url)
            results["PostgreSQL"] = asyncio.run(probe_backend("postgresql", url, world))
            health["PostgreSQL"] = asyncio.run(probe_health(url, world))
            restart = asyncio.run(
                reliability.postgres_restart(
                    url, world.secrets["admin"], server.halt, server.resume
                )
            )
        finally:
            server.stop()
    load = (load_before, os.getloadavg()[0])
    output.write_text(render(results, faults, health, restart, skipped, load), encoding="utf-8")
    print(f"wrote {output}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def render(
    results: dict[str, dict[str, Any]],
    faults: list[reliability.FaultResult],
    health: dict[str, list[tuple[str, Any]]],
    restart: reliability.RestartTally | None,
    skipped: str | None,
    load: tuple[float, float],
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Reliability figures",
        "",
        "Generated by `python scripts/reliability_report.py`; do not edit by hand. Run "
        f"{now} on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {load[0]:.1f} at the start "
        f"and {load[1]:.1f} at the end. Timings are of this one run on a shared machine: read "
        "them as orders of magnitude. Each backend starts from the test world and the demo data.",
        "",
    ]
    if skipped:
        lines += [f"PostgreSQL was skipped: {skipped}.", ""]
    lines += ["## Access matrix", ""]
    lines += [
        "| backend | callers | node(id) lookups | answered | judged against the caller's lists "
        "| leaks | root queries | internal errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        a = r["access"]
        lines.append(
            f"| {backend} | {a.callers} | {a.node_lookups} | {a.answered} | {a.judged} | "
            f"{a.leaks} | {a.root_queries} | {a.root_internal_errors} |"
        )
    lines += [
        "",
        "Node ids: pks 1-20 of every node type and forged ones (tests/support/fuzzing.py), sent "
        "by every role and by a second operator's buyer. A leak is an object answered to a "
        "caller whose own `purchases`, `vendors` or `operators` list does not hold it.",
        "",
        "## Fuzzing",
        "",
        "| backend | requests | operations covered | HTTP 5xx | internal errors |",
        "|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        f = r["fuzz"]
        lines.append(
            f"| {backend} | {f.requests} | {len(f.operations)} | {f.server_errors} | "
            f"{f.internal_errors} |"
        )
    lines += [
        "",
        f"{FUZZ_PER_FIELD} documents per root query and mutation (hypothesis-graphql, "
        "derandomized), the roles taking turns, plus every REST path with odd ids. The test "
        "suite runs a smaller share of the same (tests/e2e/test_fuzz.py).",
        "",
        "## Concurrency: two contradictory office decisions on one case at once",
        "",
        "| backend | pairs raced | exactly one winner | both won | none won | CONFLICT "
        "| INVALID_STATE | HTTP 5xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        c = r["races"]
        lines.append(
            f"| {backend} | {c.pairs} | {c.one_winner} | {c.both_won} | {c.none_won} | "
            f"{c.conflicts} | {c.invalid_state} | {c.server_errors} |"
        )
    lines += [
        "",
        "## Database faults",
        "",
        "| condition | backend | write answered | Retry-After | 503 names | /healthz "
        "| first write after | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fault in faults:
        lines.append(
            f"| {fault.condition} | {fault.backend} | {fault.write_status} | "
            f"{fault.retry_after} | {fault.database} | {fault.healthz_status} | "
            f"{fault.recovered_status or ''} | {fault.detail} |"
        )
    if restart is not None:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(restart.statuses.items()))
        lines += [
            "",
            f"PostgreSQL stopped (`pg_ctl stop -m fast`) and started again under load from "
            f"three clients, down {restart.down_seconds:.2f} s: {restart.requests_during} "
            f"requests answered ({statuses}), {restart.internal_errors} internal errors; "
            f"/healthz while down: {restart.healthz_while_down}; the first request after the "
            f"restart: {restart.first_after}.",
        ]
    lines += [
        "",
        "## Query limits",
        "",
        "| backend | hostile document | bytes | answer | code | time to refusal |",
        "|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        for name, size, status, seconds, code in r["refusals"]:
            lines.append(f"| {backend} | {name} | {size} | {status} | {code} | {_ms(seconds)} |")
    lines += [
        "",
        "/healthz polled on a live server (uvicorn) beside the heaviest allowed requests:",
        "",
        "| backend | heavy request | its time | probes answered meanwhile | median | slowest |",
        "|---|---|---|---|---|---|",
    ]
    for backend, rows in health.items():
        for name, seen in rows:
            latencies = seen.health_latencies or [0.0]
            lines.append(
                f"| {backend} | {name} | {_ms(seen.heavy_seconds)} | {seen.answered_in_flight} "
                f"| {_ms(statistics.median(latencies))} | {_ms(max(latencies))} |"
            )
    lines += [
        "",
        "Probe time per backend (access, fuzzing, races, refusals): "
        + ", ".join(f"{b} {r['seconds']:.0f} s" for b, r in results.items())
        + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "reliability.md")
    run(parser.parse_args().output)


if __name__ == "__main__":
    main()
