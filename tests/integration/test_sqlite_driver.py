"""The SQLite driver makes one hop to aiosqlite's thread per statement and none for ending a
read-only session (procurement/sqlite_driver.py), with the answers aiosqlite gave."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import aiosqlite
import pytest
from sqlalchemy import CursorResult, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from procurement.db import create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    made = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'hops.db'}")
    async with made.begin() as connection:
        await connection.execute(
            text("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
        )
        await connection.execute(text("INSERT INTO things (name) VALUES ('a'), ('b'), ('c')"))
    yield made
    await made.dispose()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every function sent to aiosqlite's thread, by name."""
    sent: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    yield sent


async def _warm(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:  # the pool's first connection is opened here
        await session.execute(text("SELECT 1"))


async def test_a_read_only_session_costs_one_hop_per_statement(
    engine: AsyncEngine, hops: list[str]
) -> None:
    # given a pooled connection
    sessions = async_sessionmaker(engine)
    await _warm(sessions)
    hops.clear()
    # when a session reads twice and ends (its rollback finds no transaction open)
    async with sessions() as session:
        names = (await session.execute(text("SELECT name FROM things ORDER BY id"))).scalars()
        count = await session.scalar(text("SELECT count(*) FROM things"))
    # then two hops, and the answers of the statements
    assert (list(names), count) == (["a", "b", "c"], 3)
    assert hops == ["_run", "_run"]


async def test_a_write_reports_rows_and_ids_and_commits_with_one_more_hop(
    engine: AsyncEngine, hops: list[str]
) -> None:
    # given a pooled connection
    sessions = async_sessionmaker(engine)
    await _warm(sessions)
    hops.clear()
    # when a session inserts, updates two rows and commits
    async with sessions() as session:
        inserted = await session.execute(text("INSERT INTO things (name) VALUES ('d')"))
        updated = await session.execute(text("UPDATE things SET name = name || '!' WHERE id < 3"))
        await session.commit()
    # then the new row's id and the rows changed are reported, and the commit is the third hop
    assert (
        cast(CursorResult[Any], inserted).lastrowid,
        cast(CursorResult[Any], updated).rowcount,
    ) == (4, 2)
    assert hops == ["_run", "_run", "commit"]
    async with sessions() as session:
        names = (await session.execute(text("SELECT name FROM things ORDER BY id"))).scalars()
        assert list(names) == ["a!", "b!", "c", "d"]


async def test_a_refused_write_raises_the_drivers_error_and_leaves_nothing(
    engine: AsyncEngine,
) -> None:
    # given a name that is taken
    sessions = async_sessionmaker(engine)
    # when a session inserts a new row and then the taken name
    async with sessions() as session:
        await session.execute(text("INSERT INTO things (name) VALUES ('e')"))
        with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: things\.name"):
            await session.execute(text("INSERT INTO things (name) VALUES ('a')"))
        await session.rollback()
    # then the first insert was rolled back with it
    async with sessions() as session:
        count = await session.scalar(text("SELECT count(*) FROM things"))
    assert count == 3


async def test_none_and_bytes_are_bound_through_registered_adapters_unchanged(
    engine: AsyncEngine,
) -> None:
    # given the driver's adapters (found at once, instead of searched for on every value)
    assert sqlite3.adapters[(type(None), sqlite3.PrepareProtocol)](None) is None
    assert sqlite3.adapters[(bytes, sqlite3.PrepareProtocol)](b"\x00k") == b"\x00k"
    # when rows holding NULLs and BLOBs are written with executemany and read back
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE kept (a, b)"))
        await connection.exec_driver_sql(
            "INSERT INTO kept (a, b) VALUES (?, ?)", [(None, b"\x00\xff"), (b"", None)]
        )
        stored = (
            await connection.execute(text("SELECT typeof(a), a, typeof(b), b FROM kept"))
        ).all()
    # then they are stored as NULL and BLOB, byte for byte
    assert [tuple(row) for row in stored] == [
        ("null", None, "blob", b"\x00\xff"),
        ("blob", b"", "null", None),
    ]
