"""Keyset pagination shared by every domain's list reads (Relay connections page over these)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Page(Generic[M]):
    items: list[M]
    has_next: bool
    total_count: int


async def keyset_page(
    session: AsyncSession, stmt: Select[Any], key: Any, after: int | None, limit: int
) -> Page[Any]:
    """Keyset pagination on an ordered integer column (the primary key, or a position):
    stable under inserts; a count and one query per page."""
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if after is not None:
        stmt = stmt.where(key > after)
    rows = list(await session.scalars(stmt.order_by(key).limit(limit + 1)))
    return Page(items=rows[:limit], has_next=len(rows) > limit, total_count=int(total or 0))
