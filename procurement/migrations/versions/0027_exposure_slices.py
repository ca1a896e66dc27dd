"""Exposure digests as integer slices SQL can add exactly: the warm portfolio summary becomes a
GROUP BY over the cached digests instead of decoding each one in Python

Revision ID: 0027
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A cache: the stored digests have no slices yet, so they are dropped and recomputed.
    op.execute(sa.text("DELETE FROM exposure_snapshots"))
    amounts = [
        sa.Column(f"{name}_{part}", sa.BigInteger() if part != "exp" else sa.Integer(),
                  nullable=False)
        for name in ("min", "max", "worst")
        for part in ("whole", "frac", "exp")
    ]  # fmt: skip
    op.create_table(
        "exposure_slices",
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("what_if", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        *amounts,
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["exposure_snapshots.purchase_id"],
            name=op.f("fk_exposure_slices_purchase_id_exposure_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "purchase_id", "what_if", "position", name=op.f("pk_exposure_slices")
        ),
    )


def downgrade() -> None:
    op.drop_table("exposure_slices")
