"""The composition root: the session factory every entry point uses, with the domains' listeners.

``procurement.db`` knows nothing of the domains; the app, the CLI, the tests and the benchmarks get
their sessions here, so the exposure cache is invalidated whichever of them changes a purchase.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from procurement.db import session_factory
from procurement.exposure import invalidation


def app_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory of a running service: a bare factory plus the domains' listeners."""
    return invalidation.install(session_factory(engine))
