"""Review cases are assigned to people (accounts), not only to API tokens: a person signed in to
the console has no token. Existing token assignments map to the token's account where it has one

Revision ID: 0022
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain column, no foreign key: SQLite adds one only by rebuilding review_cases, which
    # events, pauses and attachments point at (see 0018). Accounts are never deleted (only
    # disabled), and the action checks the account when it writes the id.
    op.add_column("review_cases", sa.Column("assigned_account_id", sa.Integer(), nullable=True))
    op.create_index(
        op.f("ix_review_cases_assigned_account_id"),
        "review_cases",
        ["assigned_account_id"],
        unique=False,
    )
    # A token made for a person (issue 10: tokens belong to accounts) assigned the case to that
    # person; a machine's token (no account) stays a token assignment.
    op.execute(
        sa.text(
            "UPDATE review_cases SET assigned_account_id = (SELECT api_tokens.account_id FROM "
            "api_tokens WHERE api_tokens.id = review_cases.assigned_token_id) "
            "WHERE assigned_token_id IS NOT NULL"
        )
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_cases_assigned_account_id"), table_name="review_cases")
    op.drop_column("review_cases", "assigned_account_id")
