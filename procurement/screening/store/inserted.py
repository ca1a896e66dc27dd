"""Bulk inserts that need the new rows' ids back, in as few statements as the backends allow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


async def insert_with_ids(
    session: AsyncSession,
    model: type[Any],
    rows: list[dict[str, Any]],
    key: str,
    look_up: Callable[[], Awaitable[dict[int, int]]],
) -> dict[int, int]:
    """Insert ``rows`` of ``model``; returns each new row's id by its ``key`` value.

    One row (a purchase registered or changed): INSERT ... RETURNING, one statement. More: a
    plain executemany, then ``look_up()`` for the ids, because RETURNING with ordered rows would
    make SQLite insert one row per statement.
    """
    if len(rows) == 1:
        identity: InstrumentedAttribute[int] = model.id
        new_id = await session.scalar(insert(model).values(rows[0]).returning(identity))
        assert new_id is not None
        return {rows[0][key]: new_id}
    await session.execute(insert(model), rows)
    return await look_up()
