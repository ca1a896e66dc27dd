"""Waking the dispatcher right after a commit that wrote outbox events.

Only an optimisation of latency: the dispatcher also polls, and another app process (which this
wake-up never reaches) finds the events on its next poll. The hook is the ``info`` of the
sessions a factory makes, so nothing global holds state between apps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from procurement.outbox import PENDING

HOOK = "notification_wake"


def _after_commit(session: Session) -> None:
    if session.info.pop(PENDING, False):
        wake: Callable[[], None] | None = session.info.get(HOOK)
        if wake is not None:
            wake()


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))


def install(
    factory: async_sessionmaker[AsyncSession], wake: Callable[[], None]
) -> async_sessionmaker[AsyncSession]:
    """Make the sessions of ``factory`` call ``wake`` after a commit that wrote events."""
    info: dict[Any, Any] = dict(factory.kw.get("info") or {})
    info[HOOK] = wake
    factory.configure(info=info)
    return factory
