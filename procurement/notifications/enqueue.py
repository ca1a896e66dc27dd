"""A fan-out job for every transaction that wrote outbox events, enqueued in that transaction.

The outbox marks the session (``outbox.PENDING``) when it adds events; just before the commit this
hook adds one ``notifications.fan_out`` job to the same transaction, so an event and the job that
delivers it commit or roll back together. A job that fans out takes every event waiting, so when
a ``notifications.fan_out`` job is already queued and not yet claimed, that job will take this
transaction's events too and none is added: under a burst of changes one job serves many
commits instead of each commit paying for a job that finds nothing left. The waiting job is held
until this commit (``holds_waiting_job``), so it cannot be claimed and run before the events are
there to see. After the commit the job wake-up
(``procurement.jobs.wakeup``) hands the job to the in-process worker or to procrastinate. The
hook is switched on per session factory (``install``), so nothing global holds state.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from procurement.enums import Role
from procurement.jobs.store import enqueue_in_flush, holds_waiting_job
from procurement.outbox import PENDING
from procurement.permissions import Principal

HOOK = "notification_jobs"
FAN_OUT = "notifications.fan_out"
DELIVER = "notifications.deliver"
DISPATCHER = Principal(role=Role.ADMIN, name="notification dispatcher")


def _before_commit(session: Session) -> None:
    if session.info.pop(PENDING, False) and session.info.get(HOOK):
        session.flush()  # the events are written (and SQLite's write lock held) before the look
        if not holds_waiting_job(session, FAN_OUT):
            enqueue_in_flush(session, FAN_OUT, {}, DISPATCHER)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)  # those events were never written


event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))


def install(factory: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Make a commit of ``factory``'s sessions that wrote events enqueue their fan-out job."""
    info: dict[Any, Any] = dict(factory.kw.get("info") or {})
    info[HOOK] = True
    factory.configure(info=info)
    return factory
