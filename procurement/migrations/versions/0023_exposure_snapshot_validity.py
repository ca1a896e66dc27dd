"""Exposure digests kept across days and dropped only where a change reaches: the span of days a
digest holds for, and the act kinds whose penalty schedules it consulted

Revision ID: 0023
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A cache: the stored digests have no span yet, so they are dropped and recomputed on demand.
    op.execute(sa.text("DELETE FROM exposure_snapshots"))
    op.add_column("exposure_snapshots", sa.Column("valid_from", sa.Date(), nullable=True))
    op.add_column("exposure_snapshots", sa.Column("valid_until", sa.Date(), nullable=True))
    op.add_column("exposure_snapshots", sa.Column("act_kinds", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("exposure_snapshots", "act_kinds")
    op.drop_column("exposure_snapshots", "valid_until")
    op.drop_column("exposure_snapshots", "valid_from")
