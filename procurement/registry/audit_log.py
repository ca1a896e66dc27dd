"""The audit log as people search it: by actor, object and time, newest first.

Scoped like :func:`procurement.registry.reads.list_audit_events` (READ_AUDIT; admins see every
event, auditors their operator's). Never commits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import AuditEvent
from procurement.permissions import Action, Principal, require
from procurement.validation import contains_pattern

BATCH = 1000  # events per statement when the whole log is exported


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor: str | None = None  # part of the actor's name, any case
    object_type: str | None = None  # exactly, e.g. "Purchase"
    object_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class AuditPage:
    events: list[AuditEvent]
    total_count: int


def _filtered(principal: Principal, query: AuditQuery) -> Select[AuditEvent]:
    require(principal, Action.READ_AUDIT)
    stmt = select(AuditEvent)
    if not principal.is_admin:
        stmt = stmt.where(AuditEvent.operator_id == principal.operator_id)
    if query.actor:
        pattern = contains_pattern("actor", query.actor.lower())
        stmt = stmt.where(func.lower(AuditEvent.actor_name).like(pattern, escape="\\"))
    if query.object_type:
        stmt = stmt.where(AuditEvent.object_type == query.object_type)
    if query.object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == query.object_id)
    if query.since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < query.until)
    return stmt


async def audit_log_page(
    session: AsyncSession, principal: Principal, query: AuditQuery, offset: int, limit: int
) -> AuditPage:
    """One page of the matching events, newest first (by id: the order they were written)."""
    stmt = _filtered(principal, query)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.scalars(stmt.order_by(AuditEvent.id.desc()).offset(offset).limit(limit))
    return AuditPage(list(rows), int(total or 0))


def audit_log_batches(
    session: AsyncSession, principal: Principal, query: AuditQuery
) -> AsyncIterator[list[AuditEvent]]:
    """Every matching event, newest first, a batch at a time (for an export of any length).
    Permission is checked at the call, before the first batch is read."""
    return _batches(session, _filtered(principal, query).order_by(AuditEvent.id.desc()))


async def _batches(
    session: AsyncSession, ordered: Select[AuditEvent]
) -> AsyncIterator[list[AuditEvent]]:
    stmt = ordered.limit(BATCH)
    before: int | None = None
    while True:
        page = stmt if before is None else stmt.where(AuditEvent.id < before)
        batch = list(await session.scalars(page))
        if batch:
            yield batch
        if len(batch) < BATCH:
            return
        before = batch[-1].id
