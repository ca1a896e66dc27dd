"""A SQLite write lock held by another process, and a PostgreSQL server nobody answers at (issue
11): a write waits for the lock within a bound (SQLite's busy handler retries with backoff) and
goes through if it is released in time, else it is a 503 with Retry-After saying the database is
busy; an unreachable server is a 503 for GraphQL, REST and /healthz alike, never a 500."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest

from procurement import db as procurement_db
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.live_server import free_port
from tests.support.world import World, row_counts

BUSY = "the database is busy with other writes; nothing was changed: retry in a little while"
UNREACHABLE = "the database cannot be reached; nothing was changed: retry in a little while"
REGISTER = (
    'mutation { registerVendor(input: {name: "Locked Networks", country: "CN", '
    "ownership: PRIVATE}) { vendor { name } errors { message } } }"
)


@pytest.fixture
async def sqlite_client(
    db: DatabaseUnderTest, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    if db.backend != "sqlite":
        pytest.skip("a SQLite file lock")
    # a short wait, so the test does not sit out the five seconds the service waits
    monkeypatch.setattr(procurement_db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    settings = load_settings({"PROCUREMENT_DATABASE_URL": db.url})
    engine = procurement_db.create_engine(settings.database_url)
    app = create_app(settings, engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c, db.url.split(":///", 1)[1]
    await engine.dispose()


@contextmanager
def write_lock(path: str) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction on the file (BEGIN IMMEDIATE takes the write lock)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_write_lock_held_past_the_wait_is_a_503_saying_busy(
    sqlite_client: tuple[httpx.AsyncClient, str], db: DatabaseUnderTest, world: World
) -> None:
    client, path = sqlite_client
    headers = {"authorization": f"Bearer {world.secrets['admin']}"}
    async with db.sessions() as session:
        before = await row_counts(session)
    # given another process holding the write lock for longer than the service waits
    with write_lock(path):
        # when a person writes, and the probe is asked
        write = await client.post("/graphql", json={"query": REGISTER}, headers=headers)
        upload = await client.put(
            f"/api/purchases/{world.purchase_a_cn}/sbom",
            content=b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1}',
            headers={"authorization": f"Bearer {world.secrets['vendor']}"},
        )
        health = await client.get("/healthz")
    # then the write and the upload are 503s with Retry-After saying the database is busy
    assert (write.status_code, write.headers["retry-after"]) == (503, "5")
    assert write.json()["errors"][0]["message"] == BUSY
    assert write.json()["errors"][0]["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "database": "busy",
    }
    assert (upload.status_code, upload.json()) == (503, {"error": BUSY, "database": "busy"})
    assert (health.status_code, health.json()["database"]) == (503, "busy")
    # and nothing was written
    async with db.sessions() as session:
        assert await row_counts(session) == before
    # and once the lock is gone the same process writes again
    again = await client.post("/graphql", json={"query": REGISTER}, headers=headers)
    assert again.json() == {
        "data": {"registerVendor": {"vendor": {"name": "Locked Networks"}, "errors": []}}
    }


async def test_a_write_lock_released_within_the_wait_lets_the_write_through(
    sqlite_client: tuple[httpx.AsyncClient, str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, path = sqlite_client
    monkeypatch.setattr(procurement_db, "SQLITE_BUSY_TIMEOUT_MS", 5000)  # the service's own
    headers = {"authorization": f"Bearer {world.secrets['admin']}"}
    # given another process holding the write lock for half a second, well within the wait
    with write_lock(path) as other:
        release = asyncio.get_running_loop().call_later(0.5, other.execute, "COMMIT")
        # when a person writes meanwhile
        write = await client.post("/graphql", json={"query": REGISTER}, headers=headers)
        release.cancel()
        other.execute("BEGIN IMMEDIATE")  # for write_lock's ROLLBACK
    # then the write waited and went through
    assert (write.status_code, write.json()) == (
        200,
        {"data": {"registerVendor": {"vendor": {"name": "Locked Networks"}, "errors": []}}},
    )


async def test_a_postgresql_server_nobody_answers_at_is_a_503_everywhere() -> None:
    # given the service pointed at a PostgreSQL port where nothing listens (down, or restarting)
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/procurement"
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}))
    headers = {"authorization": "Bearer prt_whatever"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        # when GraphQL, REST and the probe are asked
        graphql = await c.post("/graphql", json={"query": "{ me { role } }"}, headers=headers)
        rest = await c.get("/api/sboms/1/document", headers=headers)
        health = await c.get("/healthz")
    await app.state.engine.dispose()
    # then each is a 503 with Retry-After saying the database cannot be reached
    assert (graphql.status_code, graphql.json()) == (503, {"errors": [{"message": UNREACHABLE}]})
    assert (rest.status_code, rest.json()) == (
        503,
        {"error": UNREACHABLE, "database": "unreachable"},
    )
    assert health.status_code == 503
    assert health.json()["database"] == "unreachable"
    assert {graphql.headers["retry-after"], rest.headers["retry-after"]} == {"5"}
