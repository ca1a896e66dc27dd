"""Checking the audit log's hash chains against the database (``procurement audit verify``).

Reads each operator's chain (and the chain of events with no operator) in order, streamed, and
recomputes every hash with :mod:`procurement.audit_chain`. Read-only: it never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.audit_chain import ChainHead, ChainReport, ChainWalker, EventFields, StoredEvent
from procurement.models import AuditChainHead, AuditEvent, Operator
from procurement.models.audit import NO_OPERATOR_CHAIN

_COLUMNS = (
    AuditEvent.id,
    AuditEvent.occurred_at,
    AuditEvent.actor_token_id,
    AuditEvent.actor_name,
    AuditEvent.actor_role,
    AuditEvent.operator_id,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.before,
    AuditEvent.after,
    AuditEvent.chain_seq,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)
STREAM_BATCH = 2000


class UnknownOperator(LookupError):
    pass


def _stored(row: Any) -> StoredEvent:
    fields = EventFields(
        row.occurred_at,
        row.actor_token_id,
        row.actor_name,
        row.actor_role,
        row.operator_id,
        row.action,
        row.object_type,
        row.object_id,
        row.before,
        row.after,
    )
    return StoredEvent(row.id, fields, row.chain_seq, row.prev_hash, row.hash)


async def _chains(session: AsyncSession, operator_id: int | None) -> list[int | None]:
    """The chains to check: every operator with events or a head, and the no-operator chain."""
    if operator_id is not None:
        if await session.get(Operator, operator_id) is None:
            raise UnknownOperator(f"there is no operator {operator_id}")
        return [operator_id]
    with_events = set(await session.scalars(select(AuditEvent.operator_id).distinct()))
    with_head = {
        None if chain == NO_OPERATOR_CHAIN else chain
        for chain in await session.scalars(select(AuditChainHead.chain))
    }
    chains = with_events | with_head
    operators: list[int | None] = [c for c in sorted(c for c in chains if c is not None)]
    return operators + ([None] if None in chains else [])


async def verify_chain(session: AsyncSession, operator_id: int | None) -> ChainReport:
    key = NO_OPERATOR_CHAIN if operator_id is None else operator_id
    head_row = await session.get(AuditChainHead, key)
    head = None if head_row is None else ChainHead(head_row.seq, head_row.hash)
    owner = AuditEvent.operator_id
    stmt = (
        select(*_COLUMNS)
        .where(owner.is_(None) if operator_id is None else owner == operator_id)
        .order_by(AuditEvent.chain_seq.asc().nulls_first(), AuditEvent.id)
    )
    walker = ChainWalker(operator_id)
    result = await session.stream(stmt.execution_options(yield_per=STREAM_BATCH))
    try:
        async for rows in result.partitions():
            if not all(walker.feed(_stored(row)) for row in rows):
                break
    finally:
        await result.close()
    return walker.finish(head)


async def verify(session: AsyncSession, operator_id: int | None = None) -> list[ChainReport]:
    """Every chain's report (or the one of ``operator_id``); raises UnknownOperator."""
    reports: Sequence[int | None] = await _chains(session, operator_id)
    return [await verify_chain(session, chain) for chain in reports]


def describe(reports: Sequence[ChainReport]) -> tuple[list[str], bool]:
    """The lines ``procurement audit verify`` prints, and whether every chain is intact."""
    lines = []
    for r in reports:
        name = "no operator" if r.operator_id is None else f"operator {r.operator_id}"
        if r.intact:
            head = r.head_hash or "none"
            lines.append(f"chain of {name}: {r.events} events, intact, head {head}")
        else:
            lines.append(f"chain of {name}: BROKEN: {r.message}")
    broken = sum(1 for r in reports if not r.intact)
    total = sum(r.events for r in reports)
    if broken:
        lines.append(f"audit log TAMPERED: {broken} of {len(reports)} chains broken")
    else:
        lines.append(f"audit log intact: {len(reports)} chains, {total} events")
    return lines, broken == 0
