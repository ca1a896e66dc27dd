"""People's accounts, their console sessions, and the account an API token belongs to

Revision ID: 0014
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

ROLES = sa.Enum(
    "admin",
    "procurement",
    "vendor",
    "legal",
    "reviewer",
    "auditor",
    name="role",
    native_enum=False,
    length=16,
)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("login", sa.String(length=80), nullable=False),
        sa.Column("role", ROLES, nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("oidc_identity", sa.String(length=320), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("disabled_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"]),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
        sa.UniqueConstraint("oidc_identity"),
    )
    op.create_index("ix_accounts_operator_id", "accounts", ["operator_id"])
    op.create_index("ix_accounts_vendor_id", "accounts", ["vendor_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    op.create_index("ix_web_sessions_account_id", "web_sessions", ["account_id"])
    # Existing tokens belong to no account and keep working.
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement; Alembic would want a batch
        # copy of api_tokens, which the tables referring to it do not survive.
        op.execute("ALTER TABLE api_tokens ADD COLUMN account_id INTEGER REFERENCES accounts (id)")
    else:
        op.add_column(
            "api_tokens",
            sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=True),
        )
    op.create_index("ix_api_tokens_account_id", "api_tokens", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_account_id", table_name="api_tokens")
    # Plain DROP COLUMN: a batch copy of api_tokens would break the tables that refer to it.
    op.drop_column("api_tokens", "account_id")
    op.drop_index("ix_web_sessions_account_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index("ix_accounts_vendor_id", table_name="accounts")
    op.drop_index("ix_accounts_operator_id", table_name="accounts")
    op.drop_table("accounts")
