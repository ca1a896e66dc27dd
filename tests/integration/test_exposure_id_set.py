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
    # given 40,000 ids, past SQLite's cap on a statement's parameters (32,766)
    ids = list(range(1, 40_001))
    # when compiled and run
    async with db.sessions() as session:
        connection = await session.connection()
        stmt = select(Purchase.id).where(among(Purchase.id, ids, connection.dialect.name))
        compiled = stmt.compile(dialect=connection.dialect)
        found = (await connection.scalars(stmt)).all()
    # then one parameter carries them all, and the statement runs (no purchase here)
    assert len(compiled.params) == 1
    assert found == []
