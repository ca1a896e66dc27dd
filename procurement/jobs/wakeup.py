"""Handing the jobs a transaction enqueued to the runner, right after its commit.

Like the notification wake-up (procurement/notifications/wakeup.py), only an optimisation of
latency: the in-process worker polls and the PostgreSQL sweeper re-dispatches QUEUED jobs, so a
crash between commit and dispatch delays a job and never loses it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from procurement.jobs.store import PENDING_JOBS

HOOK = "jobs_dispatch"
Dispatch = Callable[[Sequence[int]], None]


def _after_commit(session: Session) -> None:
    ids: list[int] | None = session.info.pop(PENDING_JOBS, None)
    dispatch: Dispatch | None = session.info.get(HOOK)
    if ids and dispatch is not None:
        dispatch(list(ids))


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING_JOBS, None)  # those jobs were never written


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))


def install(
    factory: async_sessionmaker[AsyncSession], dispatch: Dispatch
) -> async_sessionmaker[AsyncSession]:
    """Make the sessions of ``factory`` call ``dispatch(job_ids)`` after a commit that enqueued."""
    info: dict[Any, Any] = dict(factory.kw.get("info") or {})
    info[HOOK] = dispatch
    factory.configure(info=info)
    return factory
