"""Probes behind docs/reliability.md (scripts/reliability_report.py): each runs against the app
in-process on a database it is given and returns counts, never a judgement typed by hand."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from procurement import db as procurement_db
from procurement.clock import pinned_today
from procurement.enums import PurchaseCategory
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from procurement.settings import load_settings
from procurement.web.app import create_app
from schema.api import schema
from tests.support import fuzzing
from tests.support.databases import DatabaseUnderTest, open_database
from tests.support.heavy import HOSTILE
from tests.support.reviews import OFFICE, declare, gid, open_case_id
from tests.support.world import WORLD_BUILT_ON, World, gql, purchase_input

# Types whose visible set a role can list: a node(id) answered outside that set is a leak.
LISTS = {
    "Purchase": "purchases(first: 100) { edges { node { id } } }",
    "Vendor": "vendors(first: 100) { edges { node { id } } }",
    "Operator": "operators(first: 100) { edges { node { id } } }",
}
CALLERS = (*fuzzing.ROLES, "procurement_b")


def app_client(url: str) -> tuple[httpx.AsyncClient, Any]:
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    return client, app.state.engine


@dataclass
class AccessTally:
    callers: int = 0
    node_lookups: int = 0  # node(id) sent, ids of every node type and forged ones
    answered: int = 0  # of those, answered with an object
    judged: int = 0  # of the answered, of a listable type: compared with the caller's own list
    leaks: int = 0  # answered although the caller's list does not hold it
    root_queries: int = 0  # root query fields sent, per caller
    root_internal_errors: int = 0
    leak_examples: list[str] = field(default_factory=list)


async def access_matrix(client: httpx.AsyncClient, secrets: dict[str, str]) -> AccessTally:
    """node(id) of every id (valid for pks 1-20 of every node type, and forged) per caller, and
    every root query with no argument required; leaks judged against the caller's own lists."""
    tally = AccessTally(callers=len(CALLERS))
    graphql_schema = schema.graphql_schema
    ids = fuzzing.odd_ids(graphql_schema, range(1, 21))
    query_type = graphql_schema.query_type
    assert query_type is not None
    for caller in CALLERS:
        secret = secrets[caller]
        _status, body = await gql(
            client,
            secret,
            "{ "
            + " ".join(f"{name.lower()}s: {selection}" for name, selection in LISTS.items())
            + " }",
        )
        visible = {
            edge["node"]["id"]
            for connection in (body.get("data") or {}).values()
            for edge in connection["edges"]
        }
        for node_id in ids:
            _status, body = await gql(
                client,
                secret,
                "query($id: ID!) { node(id: $id) { __typename id } }",
                {"id": node_id},
            )
            tally.node_lookups += 1
            node: dict[str, str] = (body.get("data") or {}).get("node") or {}
            type_name = node.get("__typename")
            tally.answered += bool(node)
            tally.judged += type_name in LISTS
            if type_name in LISTS and node["id"] not in visible:
                tally.leaks += 1
                tally.leak_examples.append(f"{caller}: {type_name} {node['id']}")
        for name, definition in query_type.fields.items():
            if any(
                arg.type.__class__.__name__ == "GraphQLNonNull" for arg in definition.args.values()
            ):
                continue
            _status, body = await gql(client, secret, "{ " + name + " { __typename } }")
            tally.root_queries += 1
            tally.root_internal_errors += fuzzing.masked(body)
    return tally


async def fuzz_all(
    client: httpx.AsyncClient, secrets: dict[str, str], per_field: int
) -> fuzzing.FuzzTally:
    graphql_schema = schema.graphql_schema
    scalars = fuzzing.custom_scalars(fuzzing.odd_ids(graphql_schema))
    tally = await fuzzing.fuzz_graphql(
        client, secrets, graphql_schema, fuzzing.root_fields(graphql_schema), per_field, scalars
    )
    tally.add(await fuzzing.fuzz_rest(client, secrets))
    return tally


@dataclass
class RaceTally:
    pairs: int = 0
    one_winner: int = 0
    both_won: int = 0
    none_won: int = 0
    conflicts: int = 0  # losers refused with CONFLICT
    invalid_state: int = 0  # losers that came after the winner committed
    server_errors: int = 0


async def _open_case(database: DatabaseUnderTest, world: World, number: int) -> str:
    async with database.sessions() as session:
        purchase = await purchases.register_purchase(
            session,
            SYSTEM,
            purchase_input(
                world.operator_a,
                world.vendor_us,
                f"Raced storage {number}",
                category=PurchaseCategory.MASS_STORAGE_DEVICE,
                currency="USD",
            ),
        )
        return gid("ReviewCase", await open_case_id(session, purchase.id))


async def review_races(url: str, world: World, client: httpx.AsyncClient, pairs: int) -> RaceTally:
    """``pairs`` declared cases, each sent two contradictory office decisions at once."""
    database = open_database("sqlite" if url.startswith("sqlite") else "postgresql", url)
    reviewer = world.secrets["reviewer"]
    cases = []
    try:
        for number in range(pairs):
            # Opened on the world's date, so the 2025 triage and filing below follow the opening.
            with pinned_today(WORLD_BUILT_ON):
                case = await _open_case(database, world, number)
            cases.append(case)
    finally:
        await database.engine.dispose()
    tally = RaceTally()
    for case in cases:
        await declare(client, reviewer, case, "2025-09-15", "2025-09-26")

        async def decide(decision: str, case: str = case) -> tuple[int, dict[str, Any]]:
            variables = {"input": {"caseId": case, "decision": decision, "on": "2025-10-10"}}
            return await gql(client, reviewer, OFFICE, variables)

        answers = await asyncio.gather(decide("REVIEW_STARTED"), decide("NO_REVIEW_NEEDED"))
        tally.pairs += 1
        tally.server_errors += sum(status >= 500 for status, _body in answers)
        payloads = [
            (body.get("data") or {}).get("recordOfficeDecision") or {} for _s, body in answers
        ]
        winners = sum(p.get("errors") == [] for p in payloads)
        tally.one_winner += winners == 1
        tally.both_won += winners == 2
        tally.none_won += winners == 0
        codes = [e["code"] for p in payloads for e in p.get("errors") or ()]
        tally.conflicts += codes.count("CONFLICT")
        tally.invalid_state += codes.count("INVALID_STATE")
    return tally


REGISTER = (
    'mutation { registerVendor(input: {name: "Probe Networks NAME", country: "CN", '
    "ownership: PRIVATE}) { vendor { id } errors { message } } }"
)


@dataclass
class FaultResult:
    condition: str
    backend: str
    write_status: int
    retry_after: str | None
    database: str | None  # what the 503 named
    healthz_status: int
    recovered_status: int | None = None  # the first write once the condition cleared
    detail: str = ""


async def read_only_sqlite(path: str, secret: str) -> FaultResult:
    client, engine = app_client(f"sqlite:///file:{path}?mode=ro&uri=true")
    async with client:
        headers = {"authorization": f"Bearer {secret}"}
        write = await client.post(
            "/graphql", json={"query": REGISTER.replace("NAME", "ro")}, headers=headers
        )
        health = await client.get("/healthz")
    await engine.dispose()
    return FaultResult(
        "read-only file",
        "sqlite",
        write.status_code,
        write.headers.get("retry-after"),
        _named(write),
        health.status_code,
    )


async def locked_sqlite(url: str, path: str, secret: str, busy_ms: int = 300) -> FaultResult:
    """A write lock held by another connection past the wait, then released."""
    saved = procurement_db.SQLITE_BUSY_TIMEOUT_MS
    procurement_db.SQLITE_BUSY_TIMEOUT_MS = busy_ms
    client, engine = app_client(url)
    headers = {"authorization": f"Bearer {secret}"}
    try:
        async with client:
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            write = await client.post(
                "/graphql", json={"query": REGISTER.replace("NAME", "lk")}, headers=headers
            )
            waited = time.perf_counter() - started
            health = await client.get("/healthz")
            other.execute("ROLLBACK")
            other.close()
            again = await client.post(
                "/graphql", json={"query": REGISTER.replace("NAME", "lk")}, headers=headers
            )
    finally:
        procurement_db.SQLITE_BUSY_TIMEOUT_MS = saved
        await engine.dispose()
    return FaultResult(
        f"write lock held elsewhere (wait bound {busy_ms} ms)",
        "sqlite",
        write.status_code,
        write.headers.get("retry-after"),
        _named(write),
        health.status_code,
        again.status_code,
        f"answered after {waited * 1000:.0f} ms",
    )


def _named(response: httpx.Response) -> str | None:
    body = response.json()
    if body.get("errors"):
        return str((body["errors"][0].get("extensions") or {}).get("database"))
    return body.get("database") if isinstance(body, dict) else None


@dataclass
class RestartTally:
    requests_during: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    internal_errors: int = 0
    healthz_while_down: int = 0
    first_after: int = 0  # status of the first request once the server was back
    down_seconds: float = 0.0


async def postgres_restart(url: str, secret: str, halt: Any, resume: Any) -> RestartTally:
    """Requests from three clients while the server is stopped (fast) and started again."""
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}))
    tally = RestartTally()
    headers = {"authorization": f"Bearer {secret}"}
    stop = asyncio.Event()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:

        async def load() -> None:
            while not stop.is_set():
                response = await c.post(
                    "/graphql", json={"query": "{ me { role } }"}, headers=headers
                )
                tally.requests_during += 1
                tally.statuses[response.status_code] = (
                    tally.statuses.get(response.status_code, 0) + 1
                )
                tally.internal_errors += fuzzing.masked(response.json())
                await asyncio.sleep(0.01)

        await c.post("/graphql", json={"query": "{ me { role } }"}, headers=headers)
        tasks = [asyncio.create_task(load()) for _ in range(3)]
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        await asyncio.to_thread(halt)
        await asyncio.sleep(0.3)
        tally.healthz_while_down = (await c.get("/healthz")).status_code
        await asyncio.to_thread(resume)
        tally.down_seconds = time.perf_counter() - started
        stop.set()
        await asyncio.gather(*tasks)
        first = await c.post("/graphql", json={"query": "{ me { role } }"}, headers=headers)
        tally.first_after = first.status_code
    await app.state.engine.dispose()
    return tally


async def refusal_times(
    client: httpx.AsyncClient, secret: str
) -> list[tuple[str, int, int, float, str]]:
    """(name, bytes, status, seconds to the refusal, code) for each hostile document."""
    found = []
    headers = {"authorization": f"Bearer {secret}", "accept": "application/graphql-response+json"}
    for name, document in HOSTILE.items():
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": document}, headers=headers)
        elapsed = time.perf_counter() - started
        code = response.json()["errors"][0].get("extensions", {}).get("code", "")
        found.append((name, len(document.encode()), response.status_code, elapsed, code))
    return found
