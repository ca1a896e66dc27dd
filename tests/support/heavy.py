"""The heaviest documents the limits allow and the hostile ones they refuse (issue 11), and a
probe that polls /healthz on a live server while one heavy request runs."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx
from graphql import get_introspection_query


def aliases(count: int, selection: str) -> str:
    return "{ " + " ".join(f"a{i}: {selection}" for i in range(count)) + " }"


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the one before twice: 2^levels fields once inlined."""
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return " ".join(fragments) + f" {{ ...F{levels} }}"


# Allowed under the default limits, and the slowest found: the introspection query every tool
# sends (pure CPU, about a second), and as many exposure summaries as the cost limit lets in.
HEAVY_ALLOWED = {
    "standard introspection query": get_introspection_query(descriptions=True),
    "9 aliases of exposureSummary": aliases(
        9, "exposureSummary(whatIf: true) { purchaseCount total { min max } conditionalMax }"
    ),
}

# Refused by the limits: the attacks of issue 11.
HOSTILE = {
    "fragment fan-out (2^22 fields)": fragment_bomb(22),
    "1,000 aliases of introspection": aliases(1000, "__schema { types { name } }"),
    "1,000 aliases of exposureSummary": aliases(1000, "exposureSummary { purchaseCount }"),
    "10,000 identical fields": "{ " + "__typename " * 10_000 + "}",
}


@dataclass
class HealthDuringHeavy:
    heavy_status: int
    heavy_errors: bool
    heavy_seconds: float
    # of the probes answered while the heavy request ran: seconds each took, seconds after the
    # heavy request was sent that each was answered, and their statuses
    health_latencies: list[float] = field(default_factory=list)
    health_answered_at: list[float] = field(default_factory=list)
    health_statuses: list[int] = field(default_factory=list)

    @property
    def answered_in_flight(self) -> int:
        return len(self.health_latencies)

    @property
    def answered_in_second_half(self) -> int:
        """Probes answered in the second half of the heavy request: none when it holds the event
        loop (only the probes before its execution began are answered, then it blocks)."""
        return sum(1 for at in self.health_answered_at if at > self.heavy_seconds / 2)


async def health_during_heavy(
    base_url: str, secret: str, document: str, *, interval: float = 0.02
) -> HealthDuringHeavy:
    """Send ``document`` and, on another connection, poll /healthz until it is answered; count
    the probes answered while the heavy request was still running. The document is sent once
    before, so that the race is with its execution (its parsing and validation are cached)."""
    headers = {"authorization": f"Bearer {secret}"}
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=120) as heavy_client,
        httpx.AsyncClient(base_url=base_url, timeout=120) as probe_client,
    ):
        await probe_client.get("/healthz")  # both connections open before the race
        await heavy_client.post("/graphql", json={"query": document}, headers=headers)
        started = time.perf_counter()
        heavy = asyncio.create_task(
            heavy_client.post("/graphql", json={"query": document}, headers=headers)
        )
        result = HealthDuringHeavy(0, False, 0.0)
        while not heavy.done():
            sent = time.perf_counter()
            probe = await probe_client.get("/healthz")
            if not heavy.done():
                answered = time.perf_counter()
                result.health_latencies.append(answered - sent)
                result.health_answered_at.append(answered - started)
                result.health_statuses.append(probe.status_code)
            await asyncio.sleep(interval)
        response = await heavy
        result.heavy_seconds = time.perf_counter() - started
        result.heavy_status = response.status_code
        result.heavy_errors = "errors" in response.json()
        return result
