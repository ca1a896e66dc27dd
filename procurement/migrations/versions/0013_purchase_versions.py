"""Optimistic row versions on purchases and agreement obligations (stale edits are refused)

Revision ID: 0013
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("purchases", "agreement_obligations")


# Plain ALTER TABLE on both backends (SQLite has ADD and DROP COLUMN since 3.35): a batch copy
# of purchases would trip the foreign keys that point at it.


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version")
