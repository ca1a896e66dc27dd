"""OSV dumps uploaded over HTTP, held until their import job has run (issue 14)

Revision ID: 0029
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime

revision = "0029"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advisory_uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("gzipped", sa.Boolean(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("advisory_uploads")
