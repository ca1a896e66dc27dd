"""Fresh, migrated databases for each test, on SQLite and on PostgreSQL.

Each backend is migrated once into a template; each test gets its own copy (a file copy for
SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL), so tests never see each other's rows and
the app under test can open as many sessions as it likes.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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


async def postgres_copy(server_url: str, template_name: str) -> tuple[str, str]:
    url = make_url(server_url)
    name = f"test_{next(_counter)}_{id(url) % 100000}"
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    finally:
        await conn.close()
    return url.set(database=name).render_as_string(hide_password=False), name


async def postgres_drop(server_url: str, name: str) -> None:
    url = make_url(server_url)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def open_database(backend: str, url: str) -> DatabaseUnderTest:
    engine = create_engine(url)
    log = QueryLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return DatabaseUnderTest(backend, url, engine, app_sessions(engine), log)
