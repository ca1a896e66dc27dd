"""Optimistic row versions on review cases and agreements (concurrent changes are refused)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("review_cases", "agreements")


# Plain ALTER TABLE on both backends (SQLite has ADD and DROP COLUMN since 3.35): a batch
# copy of review_cases would trip the foreign keys that point at it.


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version")
