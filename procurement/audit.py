"""Audit events: written by services inside their own transaction, never committed here.

Each event is sealed into its operator's hash chain as it is inserted (see
``procurement.models.audit.seal``): by the ORM for :func:`record`, explicitly for bulk rows
written with :func:`insert_rows` (``seal_all``: each chain's head stored once for the lot).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from procurement import outbox
from procurement.db import Base
from procurement.models import AuditEvent
from procurement.models.audit import seal_all
from procurement.permissions import Principal


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # exact; a float would lose fen
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def snapshot(obj: Base, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The column values of a model instance as JSON-safe plain values."""
    mapper = inspect(type(obj))
    return {
        attr.key: json_value(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def record(
    session: AsyncSession,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    operator_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_token_id=principal.token_id,
        actor_name=principal.name,
        actor_role=principal.role.value,
        operator_id=operator_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )
    session.add(event)
    row = outbox.event_row(action, object_type, object_id, operator_id, before, after)
    outbox.add(session, row)  # in this transaction: see procurement/outbox.py
    return event


async def insert_rows(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows in bulk (Core, past the ORM's insert hook), each sealed into its chain."""
    if not rows:
        return

    def sealed(sync_session: Session) -> None:
        seal_all(sync_session.connection(), rows)

    await session.run_sync(sealed)
    await session.execute(insert(AuditEvent), rows)
