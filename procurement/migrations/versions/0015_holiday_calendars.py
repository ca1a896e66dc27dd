"""Holiday schedules loaded by admins (State Council notices), and provisional due dates

Revision ID: 0015
Revises: 0016
Create Date: 2026-11-28 05:40:00.000000
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime
from procurement.reviews.holidays import PACKAGE_YEARS

revision = "0015"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("days_off", sa.JSON(), nullable=False),
        sa.Column("working_weekends", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("loaded_by_token_id", sa.Integer(), nullable=True),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["loaded_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_holiday_calendars_loaded_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_calendars")),
        sa.UniqueConstraint("year", name=op.f("uq_holiday_calendars_year")),
    )
    # Plain ALTER TABLE on both backends (as in 0010): a batch copy of review_cases would trip
    # the foreign keys that point at it.
    op.add_column(
        "review_cases",
        sa.Column("deadline_provisional", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    # No schedule was loaded before this revision, so a stored due date is provisional exactly
    # when it falls after the last year chinese-calendar knows (the count ran Monday-Friday
    # through that year); the next recount keeps the flag up to date.
    cases = sa.table(
        "review_cases", sa.column("deadline_due", sa.Date()), sa.column("deadline_provisional")
    )
    op.execute(
        cases.update()
        .where(cases.c.deadline_due > date(PACKAGE_YEARS[-1], 12, 31))
        .values(deadline_provisional=sa.true())
    )


def downgrade() -> None:
    op.drop_column("review_cases", "deadline_provisional")
    op.drop_table("holiday_calendars")
