"""SBOM versions say which standard they are in (CycloneDX or SPDX); serial numbers unbounded

Every version stored before this revision came through the CycloneDX-only upload, so the column
is backfilled with CYCLONEDX. ``serial_number`` becomes TEXT: an SPDX documentNamespace is a URI
with no length limit (PostgreSQL refused one over 200 characters).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_STANDARD = sa.Enum("CYCLONEDX", "SPDX", name="sbomstandard", native_enum=False, length=16)


def upgrade() -> None:
    with op.batch_alter_table("sbom_versions", schema=None) as batch_op:
        # server_default fills the existing rows, then goes: new rows always state it.
        batch_op.add_column(
            sa.Column("standard", _STANDARD, nullable=False, server_default="CYCLONEDX")
        )
        batch_op.alter_column(
            "serial_number",
            existing_type=sa.String(length=200),
            type_=sa.Text(),
            existing_nullable=True,
        )
    with op.batch_alter_table("sbom_versions", schema=None) as batch_op:
        batch_op.alter_column("standard", existing_type=_STANDARD, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("sbom_versions", schema=None) as batch_op:
        batch_op.alter_column(
            "serial_number",
            existing_type=sa.Text(),
            type_=sa.String(length=200),
            existing_nullable=True,
        )
        batch_op.drop_column("standard")
