"""Open-loop load against a running `procurement serve` (issue 14, "Load figures").

Requests start at a fixed rate for a fixed duration whatever the answers' pace (an open loop: a
slow server gets a queue, not fewer requests), and the script prints throughput, p50/p95/p99 per
operation, errors, and, given the server's pid, its CPU time per request served.

Mixes:
- ``read``: 70% ``purchases(first:20)`` with vendor, operator and screening, 30%
  ``pendingReviews(first:20)``;
- ``mixed``: 70% purchases, 20% pendingReviews, 10% ``registerPurchase``.

Bounded and loopback only: the URL must name 127.0.0.1, ::1 or localhost; rate at most 500/s,
duration at most 120 s, at most 2,000 requests in flight.

    export PROCUREMENT_DATABASE_URL=sqlite:////tmp/load.db
    procurement demo
    TOKEN=$(procurement token create --role admin --name load | tail -n 1)
    procurement serve --port 8765 & PID=$!
    python bench/load_mix.py --url http://127.0.0.1:8765 --token "$TOKEN" --mix read \
        --rate 20 --duration 20 --server-pid $PID
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

PURCHASES = """{ purchases(first: 20) { totalCount edges { node { id title status
  contractValue { amount currency }
  operator { name sector } vendor { name country ownership }
  screening { verdict score findings { rule severity } } } } } }"""
PENDING = """{ pendingReviews(first: 20) { totalCount edges { node { id state deadline overdue
  purchase { title vendor { name } } } } } }"""
REGISTER = """mutation R($input: RegisterPurchaseInput!) { registerPurchase(input: $input) {
  purchase { id screening { verdict } } errors { field message } } }"""
IDS = (
    "{ vendors(first: 1) { edges { node { id } } } operators(first: 1) { edges { node { id } } } }"
)
MIXES = {
    "read": (("purchases", 0.7), ("pendingReviews", 0.3)),
    "mixed": (("purchases", 0.7), ("pendingReviews", 0.2), ("registerPurchase", 0.1)),
}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_IN_FLIGHT = 2000


@dataclass
class Outcomes:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def error(self, operation: str, kind: str) -> None:
        self.errors[operation][kind] = self.errors[operation].get(kind, 0) + 1


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its finished children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def one(
    http: httpx.AsyncClient, operation: str, body: dict[str, object], outcomes: Outcomes
) -> None:
    started = time.perf_counter()
    try:
        response = await http.post("/graphql", json=body)
    except httpx.HTTPError as error:
        outcomes.error(operation, type(error).__name__)
        return
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        outcomes.error(operation, f"HTTP {response.status_code}")
        return
    answer = response.json()
    if answer.get("errors"):
        outcomes.error(operation, str(answer["errors"][0].get("message", "?"))[:60])
        return
    payload = (answer.get("data") or {}).get("registerPurchase")
    if payload and payload.get("errors"):
        outcomes.error(operation, f"payload error {payload['errors'][0].get('field')}")
        return
    outcomes.latencies[operation].append(elapsed)


def register_input(vendor: str, operator: str, n: int) -> dict[str, object]:
    return {
        "input": {
            "vendorId": vendor,
            "operatorId": operator,
            "title": f"Load test switch {n}",
            "category": "CORE_NETWORK_EQUIPMENT",
            "contractValue": {"amount": "125000.50", "currency": "CNY"},
            "taxIncluded": True,
            "contractDate": "2025-05-01",
            "persons": [{"name": "Zhang", "role": "PERSON_IN_CHARGE"}],
        }
    }


async def run(args: argparse.Namespace) -> None:
    headers = {"authorization": f"Bearer {args.token}"}
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=200)
    timeout = httpx.Timeout(args.timeout)
    async with httpx.AsyncClient(
        base_url=args.url, headers=headers, limits=limits, timeout=timeout
    ) as http:
        ids = (await http.post("/graphql", json={"query": IDS})).json()["data"]
        vendor = ids["vendors"]["edges"][0]["node"]["id"]
        operator = ids["operators"]["edges"][0]["node"]["id"]
        for query in (PURCHASES, PENDING):  # warm: the first request pays imports and caches
            (await http.post("/graphql", json={"query": query})).raise_for_status()
        names, weights = zip(*MIXES[args.mix], strict=True)
        chooser = random.Random(args.seed)
        total = int(args.rate * args.duration)
        outcomes = Outcomes()
        in_flight: set[asyncio.Task[None]] = set()
        cpu_before = server_cpu_seconds(args.server_pid) if args.server_pid else None
        load_before = os.getloadavg()
        start = time.perf_counter()
        for n in range(total):
            delay = start + n / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            operation = chooser.choices(names, weights)[0]
            if operation == "purchases":
                body: dict[str, object] = {"query": PURCHASES}
            elif operation == "pendingReviews":
                body = {"query": PENDING}
            else:
                body = {"query": REGISTER, "variables": register_input(vendor, operator, n)}
            if len(in_flight) >= MAX_IN_FLIGHT:
                outcomes.error(operation, "not sent: too many in flight")
                continue
            task = asyncio.create_task(one(http, operation, body, outcomes))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        sent_for = time.perf_counter() - start
        await asyncio.gather(*in_flight)
        wall = time.perf_counter() - start
        cpu_after = server_cpu_seconds(args.server_pid) if args.server_pid else None
    report(args, outcomes, total, sent_for, wall, load_before, cpu_before, cpu_after)


def report(
    args: argparse.Namespace,
    outcomes: Outcomes,
    total: int,
    sent_for: float,
    wall: float,
    load_before: tuple[float, float, float],
    cpu_before: float | None,
    cpu_after: float | None,
) -> None:
    answered = sum(len(v) for v in outcomes.latencies.values())
    failed = sum(sum(e.values()) for e in outcomes.errors.values())
    print(
        f"mix={args.mix} rate={args.rate}/s duration={args.duration}s: {total} requests sent in "
        f"{sent_for:.1f} s, all answered after {wall:.1f} s; {answered} ok, {failed} errors; "
        f"throughput {answered / wall:.1f} ok/s"
    )
    print(
        f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} "
        f"(1 min; {os.cpu_count()} cores, shared)"
    )
    if cpu_before is not None and cpu_after is not None and total:
        cpu = cpu_after - cpu_before
        print(f"server CPU {cpu:.2f} s: {1000 * cpu / total:.1f} ms per request")
    print(f"{'operation':<18}{'ok':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  errors")
    for operation, _weight in MIXES[args.mix]:
        values = outcomes.latencies.get(operation, [])
        errors = outcomes.errors.get(operation, {})
        cells = (
            [f"{1000 * percentile(values, p):>10.1f}" for p in (50, 95, 99)]
            if values
            else [f"{'-':>10}"] * 3
        )
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "0"
        print(f"{operation:<18}{len(values):>6}{''.join(cells)}  {detail}")
    everything = [v for values in outcomes.latencies.values() for v in values]
    if everything:
        print(
            f"all: p50 {1000 * statistics.median(everything):.1f} ms, "
            f"p95 {1000 * percentile(everything, 95):.1f} ms"
        )


def bounded(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low}-{high}")
        return value

    return parse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (loopback)")
    parser.add_argument("--token", required=True, help="an admin API token of that server")
    parser.add_argument("--mix", choices=sorted(MIXES), default="read", help="read or mixed")
    parser.add_argument("--rate", type=bounded(1, 500), default=20.0, help="requests/s")
    parser.add_argument("--duration", type=bounded(1, 120), default=20.0, help="seconds")
    parser.add_argument("--timeout", type=bounded(1, 300), default=60.0, help="per request")
    parser.add_argument("--server-pid", type=int, help="the server's pid, for CPU per request")
    parser.add_argument("--seed", type=int, default=14, help="seed of the operation choice")
    args = parser.parse_args()
    host = urlsplit(args.url).hostname
    if host not in LOOPBACK:
        parser.error(f"--url must be on loopback (127.0.0.1, ::1, localhost), not {host!r}")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
