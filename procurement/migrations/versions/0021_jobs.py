"""Background jobs (issue 14): the jobs table on both backends, and procrastinate's own schema on
PostgreSQL (in a schema of its own, so that it stays out of the models' way)

Revision ID: 0021
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

from procurement.db import UTCDateTime

revision = "0021"
down_revision = "0017"
branch_labels = None
depends_on = None

# procurement/jobs/queue.py connects with search_path set to this schema.
PROCRASTINATE_SCHEMA = "procrastinate"


def _procrastinate_schema() -> None:
    """procrastinate's schema.sql of the installed version, run as one script (it holds
    PL/pgSQL bodies, so it cannot be split into statements) on the migration's connection.
    A later procrastinate release ships migrations of its own: apply them in a new revision."""
    from procrastinate.schema import SchemaManager

    connection = op.get_bind()
    raw = connection.connection.driver_connection  # asyncpg: a multi-statement script is fine
    assert raw is not None
    previous = connection.scalar(sa.text("SELECT current_setting('search_path')"))
    connection.execute(sa.text(f"CREATE SCHEMA {PROCRASTINATE_SCHEMA}"))
    connection.execute(sa.text(f"SET LOCAL search_path TO {PROCRASTINATE_SCHEMA}"))
    await_only(raw.execute(SchemaManager.get_schema()))
    connection.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": previous})


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "QUEUED",
                "RUNNING",
                "SUCCEEDED",
                "FAILED",
                name="jobstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column(
            "actor_role",
            sa.Enum(
                "admin",
                "procurement",
                "legal",
                "reviewer",
                "vendor",
                "auditor",
                name="role",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.Column("actor_account_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("run_after", UTCDateTime(), nullable=False),
        sa.Column("claim", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_account_id"], ["accounts.id"], name=op.f("fk_jobs_actor_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["actor_token_id"], ["api_tokens.id"], name=op.f("fk_jobs_actor_token_id_api_tokens")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_jobs_operator_id_operators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_operator_id"), ["operator_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _procrastinate_schema()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SCHEMA IF EXISTS {PROCRASTINATE_SCHEMA} CASCADE")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_operator_id"))
        batch_op.drop_index(batch_op.f("ix_jobs_state"))
    op.drop_table("jobs")
