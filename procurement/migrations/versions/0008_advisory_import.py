"""Advisories: a pending re-match flag and the record as last matched (offline OSV imports)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 07:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advisories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rematch_pending", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("matched_data", sa.JSON(none_as_null=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_advisories_rematch_pending"), ["rematch_pending"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("advisories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advisories_rematch_pending"))
        batch_op.drop_column("matched_data")
        batch_op.drop_column("rematch_pending")
