"""Open-loop load against a running `procurement serve` (issue 14, "Load figures").

Requests start at a fixed rate for a fixed duration whatever the answers' pace (an open loop: a
slow server gets a queue, not fewer requests), and the script prints throughput, p50/p95/p99 per
operation, errors, and, given the server's pid, its CPU time per request served.

Mixes:
- ``read``: 70% ``purchases(first:20)`` with vendor, operator and screening, 30%
  ``pendingReviews(first:20)``;
- ``mixed``: 70% purchases, 20% pendingReviews, 10% ``registerPurchase``;
- ``register``: ``registerPurchase`` alone (the CPU a write costs, its background jobs included);
- ``realistic``: reviewers on ``pendingReviews`` (40%), procurement staff listing purchases (37%)
  and registering them (12%), legal generating agreements (``generateAgreement``, 8%), vendors
  uploading 5,000-component CycloneDX SBOMs (``PUT /api/purchases/{id}/sbom``, 3%; documents from
  bench/sbom_generate.py, several seeds rotated over the demo purchases). All with one admin
  token: the roles' permission checks cost the same; what differs is the work.

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
import functools
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
import orjson
import uvloop
from lean_http import HttpFailure, LeanClient
from sbom_generate import generate_cyclonedx_json

PURCHASES = """{ purchases(first: 20) { totalCount edges { node { id title status
  contractValue { amount currency }
  operator { name sector } vendor { name country ownership }
  screening { verdict score findings { rule severity } } } } } }"""
PENDING = """{ pendingReviews(first: 20) { totalCount edges { node { id state deadline overdue
  purchase { title vendor { name } } } } } }"""
REGISTER = """mutation R($input: RegisterPurchaseInput!) { registerPurchase(input: $input) {
  purchase { id screening { verdict } } errors { field message } } }"""
GENERATE = """mutation G($p: ID!, $l: String!) { generateAgreement(purchaseId: $p, language: $l) {
  agreement { id } errors { field message } } }"""
IDS = """{ vendors(first: 1) { edges { node { id } } } operators(first: 1) { edges { node { id } } }
  purchases(first: 50, filter: {status: ACTIVE}) { edges { node { id title } } } }"""
# Demo purchases whose operator has every fact an agreement needs, with the language of their
# agreements (bench_agreement_generate.py): a sent agreement refuses a draft in another language
AGREEMENT_TITLES = {
    "Core routers for the dispatch backbone": "zh",
    "Billing data storage array": "en",
}
MIXES = {
    "read": (("purchases", 0.7), ("pendingReviews", 0.3)),
    "mixed": (("purchases", 0.7), ("pendingReviews", 0.2), ("registerPurchase", 0.1)),
    # the mixed load's writes alone: their CPU per request, background jobs included
    "register": (("registerPurchase", 1.0),),
    "realistic": (
        ("pendingReviews", 0.40),
        ("purchases", 0.37),
        ("registerPurchase", 0.12),
        ("generateAgreement", 0.08),
        ("uploadSbom", 0.03),
    ),
}
SBOM_COMPONENTS = 5000
SBOM_VARIANTS = 6  # distinct documents (seeds), so that an upload is rarely a repeat
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


@dataclass(frozen=True)
class Call:
    """One request of the mix: a GraphQL document (POST /graphql) or a raw SBOM upload."""

    operation: str
    body: dict[str, object] | None = None  # GraphQL request
    sbom_path: str | None = None  # PUT this path with ``sbom`` as the body
    sbom: bytes = b""


async def one(client: LeanClient, call: Call, outcomes: Outcomes) -> None:
    operation = call.operation
    if call.sbom_path is not None:
        request = client.encode("PUT", call.sbom_path, call.sbom, "application/json")
    else:
        request = client.encode("POST", "/graphql", orjson.dumps(call.body), "application/json")
    started = time.perf_counter()
    try:
        response = await client.send(request)
    except HttpFailure as error:
        outcomes.error(operation, str(error)[:60])
        return
    elapsed = time.perf_counter() - started
    if call.sbom_path is not None:
        if response.status not in (200, 201, 202):
            outcomes.error(operation, f"HTTP {response.status}")
        else:
            outcomes.latencies[operation].append(elapsed)
        return
    if response.status != 200:
        outcomes.error(operation, f"HTTP {response.status}")
        return
    answer = orjson.loads(response.body)
    if answer.get("errors"):
        outcomes.error(operation, str(answer["errors"][0].get("message", "?"))[:60])
        return
    for payload in (answer.get("data") or {}).values():
        if isinstance(payload, dict) and payload.get("errors"):
            outcomes.error(operation, f"payload error {payload['errors'][0].get('message')}"[:80])
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


@dataclass
class Targets:
    """What the mutations and uploads act on, read from the server before the run."""

    vendor: str
    operator: str
    purchases: list[str]
    agreement_purchases: list[tuple[str, str]]  # (id, language)
    sboms: list[bytes]

    def call(self, operation: str, n: int) -> Call:
        if operation == "purchases":
            return Call(operation, {"query": PURCHASES})
        if operation == "pendingReviews":
            return Call(operation, {"query": PENDING})
        if operation == "registerPurchase":
            variables = register_input(self.vendor, self.operator, n)
            return Call(operation, {"query": REGISTER, "variables": variables})
        if operation == "generateAgreement":
            purchase, language = self.agreement_purchases[n % len(self.agreement_purchases)]
            variables = {"p": purchase, "l": language}
            return Call(operation, {"query": GENERATE, "variables": variables})
        purchase = self.purchases[n % len(self.purchases)]
        document = self.sboms[n % len(self.sboms)]
        return Call(operation, sbom_path=f"/api/purchases/{purchase}/sbom", sbom=document)


@functools.cache
def sbom_documents() -> tuple[bytes, ...]:
    return tuple(
        generate_cyclonedx_json(SBOM_COMPONENTS, seed=seed) for seed in range(SBOM_VARIANTS)
    )


async def targets(http: httpx.AsyncClient, mix: str) -> Targets:
    ids = (await http.post("/graphql", json={"query": IDS})).json()["data"]
    uploads = any(name == "uploadSbom" for name, _weight in MIXES[mix])
    sboms = list(sbom_documents()) if uploads else []
    return Targets(
        vendor=ids["vendors"]["edges"][0]["node"]["id"],
        operator=ids["operators"]["edges"][0]["node"]["id"],
        purchases=[edge["node"]["id"] for edge in ids["purchases"]["edges"]],
        agreement_purchases=[
            (edge["node"]["id"], AGREEMENT_TITLES[edge["node"]["title"]])
            for edge in ids["purchases"]["edges"]
            if edge["node"]["title"] in AGREEMENT_TITLES
        ],
        sboms=sboms,
    )


def server_cpu(pids: list[int]) -> float:
    """CPU seconds of the given processes and all their descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, ValueError, IndexError):
                continue
    family, pending = set(), list(pids)
    while pending:
        pid = pending.pop()
        if pid not in family:
            family.add(pid)
            pending.extend(child for child, parent in parents.items() if parent == pid)
    total = 0.0
    for pid in family:
        try:
            total += server_cpu_seconds(pid)
        except OSError:
            continue  # ended meanwhile
    return total


async def run(args: argparse.Namespace) -> Report:
    headers = {"authorization": f"Bearer {args.token}"}
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=200)
    timeout = httpx.Timeout(args.timeout)
    pids: list[int] = args.server_pid or []
    database_pids: list[int] = args.database_pid or []
    async with httpx.AsyncClient(
        base_url=args.url, headers=headers, limits=limits, timeout=timeout
    ) as http:
        aims = await targets(http, args.mix)
        for query in (PURCHASES, PENDING):  # warm: the first request pays imports and caches
            (await http.post("/graphql", json={"query": query})).raise_for_status()
        # The load itself goes through the lean client: httpx cost 4-12 ms of CPU per request
        # on the cores the server uses (bench/lean_http.py).
        client = LeanClient(args.url, headers, MAX_IN_FLIGHT, args.timeout)
        names, weights = zip(*MIXES[args.mix], strict=True)
        chooser = random.Random(args.seed)
        total = int(args.rate * args.duration)
        outcomes = Outcomes()
        in_flight: set[asyncio.Task[None]] = set()
        cpu_before = server_cpu(pids) if pids else None
        database_before = server_cpu(database_pids) if database_pids else None
        client_before = time.process_time()
        load_before = os.getloadavg()
        start = time.perf_counter()
        for n in range(total):
            delay = start + n / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            call = aims.call(chooser.choices(names, weights)[0], n)
            if len(in_flight) >= MAX_IN_FLIGHT:
                outcomes.error(call.operation, "not sent: too many in flight")
                continue
            task = asyncio.create_task(one(client, call, outcomes))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        sent_for = time.perf_counter() - start
        await asyncio.gather(*in_flight)
        await client.close()
        wall = time.perf_counter() - start
        cpu_after = server_cpu(pids) if pids else None
        database_after = server_cpu(database_pids) if database_pids else None
        client_cpu = time.process_time() - client_before
    result = Report(args.mix, args.rate, args.duration, outcomes, total, sent_for, wall)
    result.client_cpu_seconds = client_cpu
    if database_before is not None and database_after is not None:
        result.database_cpu_seconds = database_after - database_before
    result.load_before, result.load_after = load_before[0], os.getloadavg()[0]
    if cpu_before is not None and cpu_after is not None:
        result.cpu_seconds = cpu_after - cpu_before
    result.print()
    return result


@dataclass
class Report:
    mix: str
    rate: float
    duration: float
    outcomes: Outcomes
    total: int
    sent_for: float
    wall: float
    load_before: float = 0.0
    load_after: float = 0.0
    cpu_seconds: float | None = None
    database_cpu_seconds: float | None = None
    client_cpu_seconds: float | None = None  # this load generator's own (it shares the cores)

    @property
    def answered(self) -> int:
        return sum(len(v) for v in self.outcomes.latencies.values())

    @property
    def failed(self) -> int:
        return sum(sum(e.values()) for e in self.outcomes.errors.values())

    def p95_ms(self) -> float | None:
        everything = [v for values in self.outcomes.latencies.values() for v in values]
        return 1000 * percentile(everything, 95) if everything else None

    def print(self) -> None:
        print(
            f"mix={self.mix} rate={self.rate:g}/s duration={self.duration:g}s: {self.total} "
            f"requests sent in {self.sent_for:.1f} s, all answered after {self.wall:.1f} s; "
            f"{self.answered} ok, {self.failed} errors; throughput "
            f"{self.answered / self.wall:.1f} ok/s"
        )
        print(
            f"load average before {self.load_before:.2f}, after {self.load_after:.2f} "
            f"(1 min; {os.cpu_count()} cores, shared)"
        )
        if self.cpu_seconds is not None and self.total:
            print(
                f"server CPU {self.cpu_seconds:.2f} s: "
                f"{1000 * self.cpu_seconds / self.total:.1f} ms per request"
            )
        for label, seconds in (
            ("database", self.database_cpu_seconds),
            ("load generator", self.client_cpu_seconds),
        ):
            if seconds is not None and self.total:
                print(
                    f"{label} CPU {seconds:.2f} s: {1000 * seconds / self.total:.1f} ms per request"
                )
        print(f"{'operation':<18}{'ok':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  errors")
        for operation, _weight in MIXES[self.mix]:
            values = self.outcomes.latencies.get(operation, [])
            errors = self.outcomes.errors.get(operation, {})
            cells = (
                [f"{1000 * percentile(values, p):>10.1f}" for p in (50, 95, 99)]
                if values
                else [f"{'-':>10}"] * 3
            )
            detail = ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "0"
            print(f"{operation:<18}{len(values):>6}{''.join(cells)}  {detail}")
        everything = [v for values in self.outcomes.latencies.values() for v in values]
        if everything:
            print(
                f"all: p50 {1000 * statistics.median(everything):.1f} ms, "
                f"p95 {1000 * percentile(everything, 95):.1f} ms, "
                f"p99 {1000 * percentile(everything, 99):.1f} ms"
            )


def bounded(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low}-{high}")
        return value

    return parse


def make_parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    made.add_argument("--url", default="http://127.0.0.1:8000", help="the server (loopback)")
    made.add_argument("--token", required=True, help="an admin API token of that server")
    made.add_argument("--mix", choices=sorted(MIXES), default="read", help="see above")
    made.add_argument("--rate", type=bounded(1, 500), default=20.0, help="requests/s")
    made.add_argument("--duration", type=bounded(1, 120), default=20.0, help="seconds")
    made.add_argument("--timeout", type=bounded(1, 300), default=60.0, help="per request")
    made.add_argument(
        "--server-pid",
        type=int,
        action="append",
        help="a server process (with its children), for CPU per request; may repeat",
    )
    made.add_argument(
        "--database-pid",
        type=int,
        action="append",
        help="the database server (e.g. PostgreSQL's postmaster, with its backends), for its "
        "CPU per request apart from the app's; may repeat",
    )
    made.add_argument("--seed", type=int, default=14, help="seed of the operation choice")
    return made


def checked_args(argv: list[str] | None = None) -> argparse.Namespace:
    arguments = make_parser()
    args = arguments.parse_args(argv)
    host = urlsplit(args.url).hostname
    if host not in LOOPBACK:
        arguments.error(f"--url must be on loopback (127.0.0.1, ::1, localhost), not {host!r}")
    return args


def run_sync(args: argparse.Namespace) -> Report:
    """One run on uvloop (the generator's own event loop costs less CPU on the shared cores)."""
    return uvloop.run(run(args))


def main() -> None:
    run_sync(checked_args())


if __name__ == "__main__":
    main()
