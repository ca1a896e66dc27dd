"""Fresh, migrated databases for each test, on SQLite and on PostgreSQL.

Each backend is migrated once into a template; each test gets its own copy (a file copy for
SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL), so tests never see each other's rows and
the app under test can open as many sessions as it likes. Templates with seed data are built on
top (tests/support/templates.py).

Every name carries the pytest-xdist worker and the process id: workers (and two runs sharing one
``PROCUREMENT_TEST_POSTGRES_URL`` server) never create, copy or drop each other's databases.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from procurement import migrate
from procurement.composition import app_sessions
from procurement.db import create_engine

_counter = itertools.count()
T = TypeVar("T")


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)
    active: bool = True

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        """Collect the SQL statements run inside the block."""
        start = len(self.statements)
        captured: list[str] = []
        yield captured
        captured.extend(self.statements[start:])


@dataclass
class DatabaseUnderTest:
    backend: str
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    queries: QueryLog
    seeds: dict[str, Any] = field(default_factory=dict)  # seeds copied in, by name: the World...


def process_tag() -> str:
    """``gw0_1234``: the xdist worker ("main" without xdist) and the process id."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def run_in_thread(make_coro: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on its own loop, even when called from inside a running one
    (session fixtures are first requested from async, function-scoped fixtures)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coro())).result()


def migrate_template(url: str) -> None:
    async def run() -> None:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    run_in_thread(run)


def sqlite_copy(template: Path, directory: Path) -> str:
    target = directory / f"test-{next(_counter)}.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


@asynccontextmanager
async def _maintenance(server_url: str) -> AsyncIterator[asyncpg.Connection]:
    url = make_url(server_url)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        yield conn
    finally:
        await conn.close()


def postgres_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def postgres_create(server_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (empty, or a copy of ``template``); returns its URL."""
    source = f' TEMPLATE "{template}"' if template else ""
    async with _maintenance(server_url) as conn:
        await conn.execute(f'CREATE DATABASE "{name}"{source}')
    return postgres_url(server_url, name)


async def postgres_copy(server_url: str, template_name: str) -> tuple[str, str]:
    name = f"test_{process_tag()}_{next(_counter)}"
    return await postgres_create(server_url, name, template_name), name


async def postgres_drop(server_url: str, name: str) -> None:
    async with _maintenance(server_url) as conn:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill_template(backend: str, url: str, fill: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``fill`` once on the database at ``url`` through the app's session factory, then close
    every connection (PostgreSQL copies only a template nobody is connected to)."""

    async def run() -> T:
        database = open_database(backend, url)
        try:
            async with database.sessions() as session:
                return await fill(session)
        finally:
            await database.engine.dispose()

    return run_in_thread(run)


def open_database(backend: str, url: str, seeds: dict[str, Any] | None = None) -> DatabaseUnderTest:
    engine = create_engine(url)
    log = QueryLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return DatabaseUnderTest(backend, url, engine, app_sessions(engine), log, seeds or {})
