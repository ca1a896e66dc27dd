"""/healthz is answered while the heaviest request the limits allow runs (issue 11), on a real
server: the introspection query resolves without an await and used to hold the event loop for
its whole second, so a load balancer's probe timed out behind it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
import pytest

from tests.support.databases import DatabaseUnderTest
from tests.support.heavy import HEAVY_ALLOWED, health_during_heavy
from tests.support.live_server import live_server
from tests.support.world import World


@pytest.mark.parametrize("heavy", sorted(HEAVY_ALLOWED))
async def test_healthz_is_answered_while_a_heavy_request_runs(
    heavy: str, db: DatabaseUnderTest, world: World, demo: str
) -> None:
    # given the service on a real socket, with the demo data to summarise
    with live_server(db.url) as base_url:
        # when the heaviest allowed request is sent and /healthz polled beside it, up to
        # ATTEMPTS times: on a fast run the request can end (0.16 s was seen in CI) before a
        # probe slowed by the worker thread's share of the GIL comes back, which proves nothing
        # either way; a request holding the event loop lets no probe through in any attempt
        runs = []
        for _ in range(ATTEMPTS):
            seen = await health_during_heavy(
                base_url, world.secrets["admin"], HEAVY_ALLOWED[heavy], interval=0.005
            )
            runs.append(seen)
            if seen.answered_in_second_half >= 1:
                break
    # then every heavy request succeeded and every probe was answered ready, and in some run a
    # probe was answered in the second half of the heavy request
    assert {(run.heavy_status, run.heavy_errors) for run in runs} == {(200, False)}
    assert {status for run in runs for status in run.health_statuses} <= {200}
    assert runs[-1].answered_in_second_half >= 1, "; ".join(
        f"probes answered at {[round(at, 3) for at in run.health_answered_at]}"
        f" of {run.heavy_seconds:.3f} s"
        for run in runs
    )


ATTEMPTS = 5


async def _longest_loop_stall(client: httpx.AsyncClient, secret: str, document: str) -> Stall:
    """Send ``document`` through the app in this process while a ticker on the same event loop
    notes the longest gap between its turns: a resolver holding the loop shows as a gap as long
    as its execution; one run in a worker thread leaves gaps of a few GIL switch intervals."""
    headers = {"authorization": f"Bearer {secret}"}
    await client.post("/graphql", json={"query": document}, headers=headers)  # warm caches
    longest = 0.0
    started = time.perf_counter()
    heavy = asyncio.create_task(client.post("/graphql", json={"query": document}, headers=headers))
    last = time.perf_counter()
    while not heavy.done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    response = await heavy
    assert (response.status_code, "errors" in response.json()) == (200, False)
    return Stall(longest, time.perf_counter() - started)


@dataclass(frozen=True)
class Stall:
    longest_gap: float
    heavy_seconds: float


async def test_introspection_does_not_hold_the_event_loop(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the app in this process and the introspection query every tool sends
    document = HEAVY_ALLOWED["standard introspection query"]
    # when it runs while a ticker shares the event loop (best of ATTEMPTS: a loaded machine can
    # deschedule the whole process, which stalls the ticker whatever the app does)
    stalls = [await _longest_loop_stall(client, world.secrets["admin"], document)]
    while stalls[-1].longest_gap >= stalls[-1].heavy_seconds / 3 and len(stalls) < ATTEMPTS:
        stalls.append(await _longest_loop_stall(client, world.secrets["admin"], document))
    # then the loop had its turn at least three times while the request ran: executed on the
    # loop, the longest gap is the whole execution, most of the request's time
    assert stalls[-1].longest_gap < stalls[-1].heavy_seconds / 3, stalls
