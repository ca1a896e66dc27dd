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


async def page_with_total(
    session: AsyncSession, matching: Select[Any], page: Select[Any], limit: int, first_page: bool
) -> Page[Any]:
    """One statement for a page and the number of all ``matching`` rows: the count rides along
    as an uncorrelated scalar subquery (evaluated once per statement by SQLite and PostgreSQL),
    saving the separate count's round trip. ``page`` is ``matching`` with the keyset condition
    and order applied, without its limit. An empty page after a cursor asks for the count alone
    (no row carried it); an empty first page means there is none."""
    total = (
        select(func.count())
        .select_from(matching.order_by(None).subquery())
        .correlate(None)
        .scalar_subquery()
        .label("total_count")
    )
    rows = (await session.execute(page.add_columns(total).limit(limit + 1))).all()
    if rows:
        count = int(rows[0][-1])
    elif first_page:
        count = 0
    else:
        count = int(await session.scalar(select(func.count()).select_from(
            matching.order_by(None).subquery())) or 0)  # fmt: skip
    items = [row[0] for row in rows]
    return Page(items=items[:limit], has_next=len(items) > limit, total_count=count)
