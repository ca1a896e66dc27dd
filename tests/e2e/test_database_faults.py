"""When the database cannot take a write (read-only, full), callers get a 503 with Retry-After
and a message saying so, /healthz reports it without writing, and the service recovers by
itself when the condition clears (issue 11: 500s, 'internal error' and a green /healthz)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text

from procurement.db import create_engine
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, firmware_sbom
from tests.support.world import World

REGISTER = (
    'mutation { registerVendor(input: {name: "Example Networks", country: "CN", '
    "ownership: PRIVATE}) { vendor { id } errors { message } } }"
)


def bearer(world: World, role: str = "procurement") -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


async def _client(url: str, **engine_kwargs: Any) -> tuple[httpx.AsyncClient, Any]:
    settings = load_settings({"PROCUREMENT_DATABASE_URL": url})
    engine = create_engine(settings.database_url, **engine_kwargs)
    app = create_app(settings, engine=engine)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t"), engine


@pytest.fixture
async def sqlite_only(db: DatabaseUnderTest) -> AsyncIterator[DatabaseUnderTest]:
    if db.backend != "sqlite":
        pytest.skip("a SQLite file condition")
    yield db


async def test_a_read_only_sqlite_answers_503_and_healthz_says_read_only(
    sqlite_only: DatabaseUnderTest, world: World
) -> None:
    # given the service started on a database it may only read (as on a read-only mount)
    path = sqlite_only.url.split(":///", 1)[1]
    client, engine = await _client(f"sqlite:///file:{path}?mode=ro&uri=true")
    async with client:
        # when a person reads, then writes
        read = await client.post(
            "/graphql", json={"query": "{ me { role } }"}, headers=bearer(world)
        )
        write = await client.post("/graphql", json={"query": REGISTER}, headers=bearer(world))
        upload = await client.put(
            f"/api/purchases/{world.purchase_a_cn}/sbom",
            content=firmware_sbom([COMMONS]),
            headers=bearer(world, "vendor"),
        )
        health = await client.get("/healthz")
    await engine.dispose()
    # then reading works, the write and the upload are 503s saying why, and the probe reports it
    assert (upload.status_code, upload.json()["database"]) == (503, "read-only")
    assert read.json() == {"data": {"me": {"role": "PROCUREMENT"}}}
    assert (write.status_code, write.headers["retry-after"]) == (503, "5")
    error = write.json()["errors"][0]
    assert (
        error["message"]
        == "the database is read-only just now; nothing was changed: retry in a little while"
    )
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "database": "read-only"}
    assert (health.status_code, health.json()["database"]) == (503, "read-only")


async def test_a_full_sqlite_answers_503_then_recovers_without_a_restart(
    sqlite_only: DatabaseUnderTest, world: World
) -> None:
    # given a database that can grow by no page (as on a full disk)
    limit = {"pages": 0}  # 0: no more than it has now
    client, engine = await _client(sqlite_only.url)

    @event.listens_for(engine.sync_engine, "checkout")
    def _cap(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        pages = limit["pages"]
        if pages == 0:
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    async with client:
        # when writes go on until the file has no room left, then the disk "clears"
        answers = []
        for attempt in range(300):
            register = REGISTER.replace("Example Networks", f"Example Networks {attempt}")
            answers.append(
                await client.post("/graphql", json={"query": register}, headers=bearer(world))
            )
            if answers[-1].status_code != 200:
                break
        full = answers[-1]
        while_full = await client.get("/healthz")
        limit["pages"] = 1_000_000
        again = await client.post("/graphql", json={"query": REGISTER}, headers=bearer(world))
        after = await client.get("/healthz")
    await engine.dispose()
    # then the writes that fitted went through, the first that did not is a 503 naming the full
    # disk, the probe says so, and once space is back the same process writes and reports healthy
    assert [a.status_code for a in answers[:-1]] == [200] * (len(answers) - 1)
    assert full.status_code == 503
    assert full.json()["errors"][0]["extensions"]["database"] == "full"
    assert (while_full.status_code, while_full.json()["database"]) == (503, "full")
    assert again.status_code == 200
    assert again.json()["data"]["registerVendor"]["errors"] == []
    assert (after.status_code, after.json()) == (200, {"status": "ok"})


async def test_a_read_only_postgresql_answers_503_and_healthz_says_so(
    db: DatabaseUnderTest, world: World
) -> None:
    if db.backend != "postgresql":
        pytest.skip("a PostgreSQL server setting")
    # given the database switched to read-only (as a standby, or an operator's emergency stop)
    name = db.url.rsplit("/", 1)[1]
    async with db.engine.connect() as connection:
        await connection.execute(
            text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        )
        await connection.commit()
    client, engine = await _client(db.url)
    async with client:
        write = await client.post("/graphql", json={"query": REGISTER}, headers=bearer(world))
        health = await client.get("/healthz")
    await engine.dispose()
    async with db.engine.connect() as connection:
        await connection.execute(
            text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')
        )
        await connection.commit()
    # then the write is a 503 with the reason, and the probe reports read-only
    assert write.status_code == 503
    assert write.json()["errors"][0]["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "database": "read-only",
    }
    assert (health.status_code, health.json()["database"]) == (503, "read-only")


async def test_a_healthy_database_is_reported_ok(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})
