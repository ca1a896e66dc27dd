"""Keyset pagination shared by every domain's list reads (Relay connections page over these)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, Select, bindparam, func, select
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


PAGE_LIMIT = "page_limit"  # a prepared page's row limit, given at execution (the page size + 1)


def count_of(matching: Select[Any]) -> Select[Any]:
    """The number of ``matching`` rows."""
    return select(func.count()).select_from(matching.order_by(None).subquery())


def with_total(matching: Select[Any], page: Select[Any]) -> Select[Any]:
    """``page`` carrying the number of all ``matching`` rows as its last column: the count
    rides along as an uncorrelated scalar subquery (evaluated once per statement by SQLite and
    PostgreSQL), saving the separate count's round trip. ``page`` is ``matching`` with the
    keyset condition and order applied; its limit is given at execution (``{PAGE_LIMIT: n}``),
    so the statement can be built once and reused (procurement/prepared.py)."""
    total = count_of(matching).correlate(None).scalar_subquery().label("total_count")
    return page.add_columns(total).limit(bindparam(PAGE_LIMIT, type_=Integer))


async def page_with_total(
    session: AsyncSession, matching: Select[Any], page: Select[Any], limit: int, first_page: bool
) -> Page[Any]:
    """One statement for a page and the number of all ``matching`` rows (see ``with_total``)."""
    return await prepared_page(
        session, with_total(matching, page), count_of(matching), {}, limit, first_page
    )


async def prepared_page(
    session: AsyncSession,
    page: Select[Any],
    count: Select[Any],
    params: dict[str, Any],
    limit: int,
    first_page: bool,
) -> Page[Any]:
    """The page of ``page`` (made by ``with_total``) run with ``params`` (the cursor's values;
    ``count`` takes none). An empty page after a cursor asks ``count`` (``count_of`` the
    matching rows) alone: no row carried it; an empty first page means there is none."""
    rows = await prepared_rows_page(session, page, count, params, limit, first_page)
    return Page([row[0] for row in rows.items], rows.has_next, rows.total_count)


async def prepared_rows_page(
    session: AsyncSession,
    page: Select[Any],
    count: Select[Any],
    params: dict[str, Any],
    limit: int,
    first_page: bool,
) -> Page[Sequence[Any]]:
    """``prepared_page`` with whole rows for items (the total count still their last column):
    for a page whose statement also selects what its items point at."""
    rows = (await session.execute(page, {**params, PAGE_LIMIT: limit + 1})).all()
    if rows:
        count_ = int(rows[0][-1])
    elif first_page:
        count_ = 0
    else:
        count_ = int(await session.scalar(count) or 0)
    return Page(items=list(rows[:limit]), has_next=len(rows) > limit, total_count=count_)
