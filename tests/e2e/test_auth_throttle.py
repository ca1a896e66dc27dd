"""Failed authentications are throttled per client address and token prefix, answered 429 with
Retry-After, and audited once when the throttling starts (issue 11)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from procurement.models import AuditEvent
from procurement.web.throttle import MAX_FAILURES, FailedAuthentications, TooManyFailedAttempts
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

ME = {"query": "{ me { role } }"}


async def test_the_eleventh_bad_token_in_a_row_gets_429_and_one_audit_event(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # when a client keeps guessing tokens
    answers = [
        await client.post(
            "/graphql", json=ME, headers={"authorization": f"Bearer prt_guess{i:04d}xxxxxxxx"}
        )
        for i in range(MAX_FAILURES + 1)
    ]
    # then the first ten are 401s, and from then on it is told to wait
    assert [a.status_code for a in answers] == [401] * MAX_FAILURES + [429]
    last = answers[-1]
    assert 1 <= int(last.headers["retry-after"]) <= 301
    assert last.json()["error"].startswith("too many failed authentications; try again in ")
    # and the same address is held off on the REST routes too, even with a good token
    upload = await client.put(
        f"/api/purchases/{world.purchase_a_cn}/sbom",
        content=b"{}",
        headers={"authorization": f"Bearer {world.secrets['vendor']}"},
    )
    assert upload.status_code == 429
    async with db.sessions() as session:
        events = list(
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.throttled"))
        )
    assert len(events) == 1
    assert events[0].after == {"keys": ["address:127.0.0.1", "prefix:prt_guess000"]}


def test_failures_age_out_of_the_window() -> None:
    now = [1000.0]
    throttle = FailedAuthentications(max_failures=2, window=60.0, clock=lambda: now[0])
    keys = ["address:10.0.0.1"]
    assert throttle.failed(keys) is False
    assert throttle.failed(keys) is True  # the second failure starts the refusals
    with pytest.raises(TooManyFailedAttempts) as refused:
        throttle.check(keys)
    assert refused.value.retry_after == 61
    now[0] += 60.0
    throttle.check(keys)  # a minute later both failures are out of the window


def test_a_client_inventing_prefixes_cannot_grow_the_table_without_bound() -> None:
    # given a small table, and failures each with a new key
    now = [0.0]
    throttle = FailedAuthentications(
        max_failures=3, window=60.0, max_keys=100, clock=lambda: now[0]
    )
    for i in range(1_000):
        now[0] += 0.001
        throttle.failed([f"prefix:prt_{i:08d}"])
    # then the table never held more than its cap
    assert len(throttle._failures) <= 100
    # and a key failing now is still counted and throttled
    hot = ["address:10.0.0.9"]
    for _ in range(3):
        throttle.failed(hot)
    with pytest.raises(TooManyFailedAttempts):
        throttle.check(hot)
