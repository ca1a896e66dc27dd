"""Fixtures shared by every test layer: databases on both backends, the app, tokens per role."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import postgres
from tests.support.databases import (
    DatabaseUnderTest,
    migrate_template,
    open_database,
    postgres_copy,
    postgres_drop,
    run_in_thread,
    sqlite_copy,
)
from tests.support.world import World, build_world

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "sbom-corpus"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    reason = postgres.unavailable_reason()
    if reason is not None:
        if os.environ.get("PROCUREMENT_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here (PROCUREMENT_REQUIRE_POSTGRES): {reason}")
        pytest.skip(reason)
    server = postgres.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    import asyncpg
    from sqlalchemy.engine import make_url

    name = "procurement_template"
    url = make_url(pg_server)

    async def recreate() -> None:
        conn = await asyncpg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            database=url.database,
        )
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    run_in_thread(recreate)
    migrate_template(url.set(database=name).render_as_string(hide_password=False))
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_template(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DatabaseUnderTest]:
    """A fresh, migrated database of each backend (the test runs once per backend)."""
    backend: str = request.param
    if backend == "sqlite":
        url = sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
        database = open_database(backend, url)
        try:
            yield database
        finally:
            await database.engine.dispose()
    else:
        server: str = request.getfixturevalue("pg_server")
        template: str = request.getfixturevalue("pg_template")
        url, name = await postgres_copy(server, template)
        database = open_database(backend, url)
        try:
            yield database
        finally:
            await database.engine.dispose()
            await postgres_drop(server, name)


@pytest.fixture
async def world(db: DatabaseUnderTest) -> World:
    async with db.sessions() as session:
        return await build_world(session)


@pytest.fixture
async def client(db: DatabaseUnderTest) -> AsyncIterator[httpx.AsyncClient]:
    from procurement.settings import load_settings
    from procurement.web.app import create_app

    settings = load_settings({"PROCUREMENT_DATABASE_URL": db.url})
    app = create_app(settings, engine=db.engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
