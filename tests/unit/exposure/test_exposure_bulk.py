"""procurement.exposure.bulk.execute_rows: rows reach the driver uncopied when every bind
processor leaves their values as they are, converted otherwise, and store the same either way."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from procurement.exposure.bulk import execute_rows

_METADATA = MetaData()
_FLAGS = Table("flags", _METADATA, Column("id", Integer, primary_key=True), Column("flag", Boolean))
_DAYS = Table("days", _METADATA, Column("id", Integer, primary_key=True), Column("day", Date))
_EXECUTE = AsyncConnection.exec_driver_sql


async def _written(
    table: Table, names: tuple[str, ...], rows: list[tuple[Any, ...]], monkeypatch: Any
) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """(the parameter rows the driver was given, the rows read back)."""
    given: list[Any] = []

    async def spying(self: AsyncConnection, sql: str, parameters: Any = None) -> Any:
        given.extend(parameters)
        return await _EXECUTE(self, sql, parameters)

    monkeypatch.setattr(AsyncConnection, "exec_driver_sql", spying)
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.run_sync(_METADATA.create_all)
        await execute_rows(connection, insert(table), names, rows)
        stored = [tuple(r) for r in await connection.execute(select(table).order_by(table.c.id))]
    await engine.dispose()
    return given, stored


async def test_rows_a_processor_leaves_alone_reach_the_driver_uncopied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a Boolean column's values as 0 and 1 (SQLite's Boolean processor returns them as is)
    rows = [(1, 0), (2, 1), (3, 1)]
    # when written
    given, stored = await _written(_FLAGS, ("id", "flag"), rows, monkeypatch)
    # then the driver got the very tuples, and they read back as booleans
    assert all(g is r for g, r in zip(given, rows, strict=True))
    assert stored == [(1, False), (2, True), (3, True)]


async def test_rows_a_processor_changes_are_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    # given booleans, and days (SQLite's Date processor writes them as text)
    flags = [(1, False), (2, True)]
    days = [(1, date(2025, 1, 2)), (2, date(2025, 1, 2)), (3, None)]
    # when written
    given_flags, stored_flags = await _written(_FLAGS, ("id", "flag"), flags, monkeypatch)
    given_days, stored_days = await _written(_DAYS, ("id", "day"), days, monkeypatch)
    # then the driver got the processed values, and the same rows read back
    assert given_flags == [(1, 0), (2, 1)]
    assert given_days == [(1, "2025-01-02"), (2, "2025-01-02"), (3, None)]
    assert (stored_flags, stored_days) == (flags, days)
