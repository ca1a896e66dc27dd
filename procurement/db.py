"""Declarative base, engine and session factories.

Relationships are declared ``lazy="raise"`` across the models so that a missed DataLoader fails
loudly instead of issuing one query per row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    MetaData,
    Numeric,
    String,
    TypeDecorator,
    event,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeEngine

from procurement.sqlite_driver import OneHopDbapi

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no time zone type and hands back naive values; this stores UTC and always
    returns aware datetimes, and refuses naive input so no local time sneaks in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """An exact money amount with two decimal places.

    PostgreSQL stores NUMERIC(20, 2). SQLite has no exact decimal type (NUMERIC columns hold
    binary floats, which lose fen beyond 15 significant digits), so there it is an integer
    number of fen: exact, and still sortable and summable in SQL.
    """

    impl = Numeric(20, 2)
    cache_ok = True
    _FEN = Decimal("0.01")

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(20, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be a Decimal, not a float")
        amount = Decimal(value)
        if dialect.name == "sqlite":
            return int((amount * 100).to_integral_exact())
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(self._FEN)
        return Decimal(value).quantize(self._FEN)


class ExactDecimal(TypeDecorator[Decimal]):
    """An exact decimal of any scale (exchange rates): NUMERIC on PostgreSQL, text on SQLite,
    whose NUMERIC columns would hold a binary float."""

    impl = Numeric(28, 10)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(28, 10, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimals must not be floats")
        return str(Decimal(value)) if dialect.name == "sqlite" else Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value)).normalize()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


# How long a write waits for another connection's write lock before "database is locked" (a
# 503 with Retry-After): SQLite's busy handler retries meanwhile, sleeping 1, 2, 5, 10 ... 100 ms.
SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
    cursor.close()


def _connect_as_dbapi_error(dialect: Dialect, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Open a connection; a refused or dropped socket becomes the driver's OperationalError.
    asyncpg raises the bare OSError when the server is down or restarting, which SQLAlchemy
    passes through unwrapped: callers would meet a 500 instead of "cannot be reached" (503)."""
    try:
        return dialect.connect(*cargs, **cparams)
    except OSError as error:
        raise dialect.loaded_dbapi.OperationalError(f"cannot connect: {error}") from error


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; SQLite gets foreign keys and WAL on every connection."""
    # Parameters carry row data (and token hashes): never in a log line or an error message.
    kwargs.setdefault("hide_parameters", True)
    if database_url.startswith("postgresql"):
        # After a server restart the pooled connections are dead: test each one as it is taken
        # (one round trip) so the first request after the restart gets a fresh one.
        kwargs.setdefault("pool_pre_ping", True)
    elif database_url.startswith("sqlite+aiosqlite"):
        # One thread hop per statement instead of four (procurement/sqlite_driver.py).
        kwargs.setdefault("module", OneHopDbapi())
    engine = create_async_engine(database_url, **kwargs)
    event.listen(engine.sync_engine, "do_connect", _connect_as_dbapi_error)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A bare session factory. The app, the CLI and the tests use ``procurement.composition``,
    which adds the domains' session listeners (the exposure cache invalidation) to it."""
    # expire_on_commit=False: resolvers read objects after the service has committed.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def has_uncommitted_writes(session: AsyncSession) -> bool:
    """Whether the session's transaction has written anything yet (flushed or executed), as the
    database sees it: PostgreSQL assigns a transaction id on the first write; SQLite's driver
    begins its transaction only before the first write."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return bool(
            await connection.scalar(text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL"))
        )
    driver: Any = (await connection.get_raw_connection()).driver_connection
    return bool(driver.in_transaction)
