"""Exposure data: exchange rates (with source) and versions of the penalty schedules

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 06:43:12.489516
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import ExactDecimal, UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_to_cny", ExactDecimal(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_by_token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_exchange_rates_created_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint("currency", "valid_from", name="uq_exchange_rates_day"),
    )
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_rates_currency"), ["currency"], unique=False)

    op.create_table(
        "penalty_schedule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_by_token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_penalty_schedule_sets_created_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_schedule_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_penalty_schedule_sets_version")),
    )

    op.create_table(
        "exposure_snapshots",
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("vendor", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("total_min", sa.String(length=48), nullable=False),
        sa.Column("total_max", sa.String(length=48), nullable=False),
        sa.Column("worst", sa.String(length=48), nullable=False),
        sa.Column("what_if_total_min", sa.String(length=48), nullable=False),
        sa.Column("what_if_total_max", sa.String(length=48), nullable=False),
        sa.Column("what_if_worst", sa.String(length=48), nullable=False),
        sa.Column("articles", sa.Text(), nullable=False),
        sa.Column("what_if_articles", sa.Text(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["purchases.id"],
            name=op.f("fk_exposure_snapshots_purchase_id_purchases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("purchase_id", name=op.f("pk_exposure_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("exposure_snapshots")
    op.drop_table("penalty_schedule_sets")
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_rates_currency"))

    op.drop_table("exchange_rates")
