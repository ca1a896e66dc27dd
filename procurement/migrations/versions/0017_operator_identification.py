"""Operators' CII identification periods; purchases' limitation facts (APL Art. 36)

Revision ID: 0017
Revises: 0015
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

# An operator recorded as a CII operator before this revision has no known identification date:
# it gets an open period from the day the Cybersecurity Law put the first CII duties in force,
# marked assumed, so that no exposure shown before is hidden (procurement.identification).
ASSUMED_START = date(2017, 6, 1)


def upgrade() -> None:
    op.create_table(
        "operator_identifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "operator_id",
            sa.Integer(),
            sa.ForeignKey("operators.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("assumed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("reference", sa.String(300), nullable=True),
        sa.Column("end_reference", sa.String(300), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on > identified_on",
            name="identification_ends_after_start",
        ),
    )
    op.create_index(
        "ix_operator_identifications_operator_id", "operator_identifications", ["operator_id"]
    )
    # Plain ALTER TABLE on both backends: a batch copy would trip the foreign keys pointing here.
    op.add_column(
        "operators", sa.Column("version", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column(
        "purchases",
        sa.Column(
            "harm_to_life_or_finance", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column("purchases", sa.Column("under_investigation_since", sa.Date(), nullable=True))
    op.execute(
        sa.text(
            "INSERT INTO operator_identifications "
            "(operator_id, identified_on, ended_on, assumed, reference, recorded_at) "
            "SELECT id, :start, NULL, :assumed, NULL, CURRENT_TIMESTAMP FROM operators "
            "WHERE is_cii_operator = :cii"
        ).bindparams(start=ASSUMED_START, assumed=True, cii=True)
    )


def downgrade() -> None:
    op.drop_column("purchases", "under_investigation_since")
    op.drop_column("purchases", "harm_to_life_or_finance")
    op.drop_column("operators", "version")
    op.drop_index("ix_operator_identifications_operator_id", "operator_identifications")
    op.drop_table("operator_identifications")
