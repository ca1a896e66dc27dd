"""Large SBOM uploads, held until their ingest job has run (issue 14)

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime

revision = "0030"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sbom_uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("purchase_id", sa.Integer(), sa.ForeignKey("purchases.id"), nullable=False),
        sa.Column("name", sa.String(500), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sbom_uploads_purchase_id", "sbom_uploads", ["purchase_id"])


def downgrade() -> None:
    op.drop_index("ix_sbom_uploads_purchase_id", table_name="sbom_uploads")
    op.drop_table("sbom_uploads")
