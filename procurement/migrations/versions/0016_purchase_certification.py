"""Purchases record the certificate or test report of critical network equipment (CSL Art. 23)

Revision ID: 0016
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing purchases have none recorded: screening then asks for it (an INFO finding).
    op.add_column("purchases", sa.Column("certification_reference", sa.String(300), nullable=True))


def downgrade() -> None:
    op.drop_column("purchases", "certification_reference")
