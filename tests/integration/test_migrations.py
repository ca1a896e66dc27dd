"""The Alembic migrations and the SQLAlchemy models describe the same schema, on both backends."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from procurement import migrate
from procurement.db import Base
from procurement.models import Operator, Purchase
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def test_models_and_migrations_do_not_drift(db: DatabaseUnderTest) -> None:
    # given a database migrated to head
    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    # when comparing it with the models
    async with db.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    # then there is nothing to migrate
    assert differences == []


async def test_database_is_at_head(db: DatabaseUnderTest) -> None:
    assert await migrate.current_revision(db.engine) == migrate.head_revision()


async def test_upgrade_is_idempotent(db: DatabaseUnderTest) -> None:
    # when upgrading a database that is already at head
    await migrate.upgrade(db.engine)
    # then nothing changes and it stays at head
    assert await migrate.current_revision(db.engine) == migrate.head_revision()


def test_every_relationship_raises_instead_of_lazy_loading() -> None:
    # given every mapped class
    for mapper in Base.registry.mappers:
        for relationship in mapper.relationships:
            # then no relationship can issue a query behind the caller's back
            assert relationship.lazy == "raise", f"{mapper.class_.__name__}.{relationship.key}"


async def test_money_and_times_round_trip_exactly(db: DatabaseUnderTest, world: World) -> None:
    # given a purchase stored with a large exact amount
    async with db.sessions() as session:
        purchase = await session.get(Purchase, world.purchase_a_cn)
        assert purchase is not None
        purchase.contract_value = Decimal("123456789012345.67")
        await session.commit()
    # when reading it back in a new session
    async with db.sessions() as session:
        row = await session.execute(select(Purchase).where(Purchase.id == world.purchase_a_cn))
        stored = row.scalar_one()
        operator = await session.get(Operator, world.operator_a)
    # then the amount is the same Decimal and times are timezone-aware UTC
    assert stored.contract_value == Decimal("123456789012345.67")
    assert isinstance(stored.contract_value, Decimal)
    assert stored.contract_date == date(2025, 3, 1)
    assert operator is not None and operator.created_at.tzinfo == UTC


async def test_all_tables_are_created(db: DatabaseUnderTest) -> None:
    def names(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with db.engine.connect() as connection:
        tables = await connection.run_sync(names)
    assert tables - {"alembic_version"} == set(Base.metadata.tables)
