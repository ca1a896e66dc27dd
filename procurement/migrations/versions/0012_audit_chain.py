"""Audit events are hash-chained per operator; existing events are chained in id order

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from procurement import audit_chain
from procurement.db import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 1000

_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("occurred_at", UTCDateTime()),
    sa.column("actor_token_id", sa.Integer()),
    sa.column("actor_name", sa.String()),
    sa.column("actor_role", sa.String()),
    sa.column("operator_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("chain_seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
_heads = sa.table(
    "audit_chain_heads",
    sa.column("chain", sa.Integer()),
    sa.column("seq", sa.Integer()),
    sa.column("hash", sa.String()),
)


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_chain_heads",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_heads")),
    )
    _lift_append_only()
    _chain_existing_events()
    _restore_append_only()
    op.create_index("ix_audit_events_chain", "audit_events", ["operator_id", "chain_seq"])


def _chain_existing_events() -> None:
    """Hash the events already stored, in id order, exactly as the application would have."""
    bind = op.get_bind()
    heads: dict[int, tuple[int, str]] = {}
    stmt = sa.update(_events).where(_events.c.id == sa.bindparam("event_id"))
    stmt = stmt.values(
        chain_seq=sa.bindparam("s"), prev_hash=sa.bindparam("p"), hash=sa.bindparam("h")
    )
    last_id = 0
    while True:  # keyset batches: the whole log is never held in memory
        page = sa.select(_events).where(_events.c.id > last_id).order_by(_events.c.id)
        rows = bind.execute(page.limit(BATCH)).all()
        if not rows:
            break
        last_id = rows[-1].id
        bind.execute(stmt, [_sealed(row, heads) for row in rows])
    if heads:
        values = [{"chain": c, "seq": s, "hash": h} for c, (s, h) in sorted(heads.items())]
        bind.execute(sa.insert(_heads), values)


def _sealed(row: Any, heads: dict[int, tuple[int, str]]) -> dict[str, Any]:
    chain = row.operator_id or 0
    seq, prev = heads.get(chain, (0, audit_chain.GENESIS))
    fields = audit_chain.EventFields(
        occurred_at=row.occurred_at,
        actor_token_id=row.actor_token_id,
        actor_name=row.actor_name,
        actor_role=row.actor_role,
        operator_id=row.operator_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        before=row.before,
        after=row.after,
    )
    digest = audit_chain.event_hash(fields, seq + 1, prev)
    heads[chain] = (seq + 1, digest)
    return {"event_id": row.id, "s": seq + 1, "p": prev, "h": digest}


def _lift_append_only() -> None:
    # The owner running this migration lifts the triggers of 0001 for the backfill only.
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_events_no_{verb}")
    else:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")


def _restore_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
    else:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")


def downgrade() -> None:
    op.drop_index("ix_audit_events_chain", table_name="audit_events")
    op.drop_table("audit_chain_heads")
    op.drop_column("audit_events", "hash")
    op.drop_column("audit_events", "prev_hash")
    op.drop_column("audit_events", "chain_seq")
