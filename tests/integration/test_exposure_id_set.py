"""procurement.exposure.id_set.among: a column matched against many ids through one bind
parameter selects exactly the rows ``in_`` would, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from procurement.exposure.id_set import FEW, among
from procurement.models import Purchase
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def _matched(db: DatabaseUnderTest, ids: list[int]) -> list[int]:
    async with db.sessions() as session:
        connection = await session.connection()
        stmt = select(Purchase.id).where(among(Purchase.id, ids, connection.dialect.name))
        return list((await connection.scalars(stmt.order_by(Purchase.id))).all())


@pytest.mark.parametrize("unknown", [1, FEW + 1], ids=["a plain list", "one parameter"])
async def test_among_selects_the_listed_ids_only(
    db: DatabaseUnderTest, world: World, unknown: int
) -> None:
    # given the world's three purchases (ids 1 to 3)
    # when matched against two of them, a duplicate and unknown ids (few, or more than FEW)
    found = await _matched(db, [3, 1, 3, *range(1000, 1000 + unknown)])
    # then exactly the two listed purchases
    assert found == [1, 3]


async def test_among_an_empty_list_matches_nothing(db: DatabaseUnderTest, world: World) -> None:
    assert await _matched(db, []) == []


async def test_among_takes_one_bind_parameter_for_many_ids(db: DatabaseUnderTest) -> None:
    # given 40,000 ids with gaps, past SQLite's cap on a statement's parameters (32,766)
    ids = list(range(1, 80_001, 2))
    # when compiled and run
    async with db.sessions() as session:
        connection = await session.connection()
        stmt = select(Purchase.id).where(among(Purchase.id, ids, connection.dialect.name))
        compiled = stmt.compile(dialect=connection.dialect)
        found = (await connection.scalars(stmt)).all()
    # then one parameter carries them all, and the statement runs (no purchase here)
    assert len(compiled.params) == 1
    assert found == []


async def _compiled(db: DatabaseUnderTest, ids: list[int]) -> tuple[list[int], list[object]]:
    """The purchases matched, and the statement's bound values."""
    async with db.sessions() as session:
        connection = await session.connection()
        stmt = select(Purchase.id).where(among(Purchase.id, ids, connection.dialect.name))
        compiled = stmt.compile(dialect=connection.dialect)
        found = list((await connection.scalars(stmt.order_by(Purchase.id))).all())
    return found, list(compiled.params.values())


async def test_among_every_id_between_two_is_a_range(db: DatabaseUnderTest, world: World) -> None:
    # given the world's three purchases (ids 1 to 3)
    # when matched against every id from 2 to FEW + 2, in any order and with a duplicate
    found, bound = await _compiled(db, [*range(FEW + 2, 1, -1), 3])
    # then purchases 2 and 3, through a range of two bound values
    assert found == [2, 3]
    assert bound == [2, FEW + 2]


async def test_among_a_gap_keeps_the_id_list(db: DatabaseUnderTest, world: World) -> None:
    # given the world's three purchases (ids 1 to 3)
    # when matched against as many ids as 1 to FEW + 2 spans, but 2 missing and 1 twice
    found, bound = await _compiled(db, [1, 1, *range(3, FEW + 3)])
    # then purchases 1 and 3 only, through the one-parameter list
    assert found == [1, 3]
    assert len(bound) == 1
