"""Agreements: zh/en language versions as one pair, due dates counted from signing, Chinese names
of operators, CII systems, vendors and purchases, and version 2 of the shipped templates

Revision ID: 0018
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime

revision = "0018"
down_revision = "0019"
branch_labels = None
depends_on = None

# Version 2 of the shipped templates (entrusted-processing clause, due dates from signing, no
# codes in the Chinese text). Version 1 stays stored: agreements generated from it keep it.
_SHIPPED = {("security-agreement", "zh", 2), ("security-agreement", "en", 2)}


def upgrade() -> None:
    # Optional: existing records have no Chinese name until someone records one.
    op.add_column("operators", sa.Column("name_zh", sa.String(200), nullable=True))
    op.add_column("cii_systems", sa.Column("name_zh", sa.String(200), nullable=True))
    op.add_column("vendors", sa.Column("name_zh", sa.String(200), nullable=True))
    op.add_column("purchases", sa.Column("title_zh", sa.String(300), nullable=True))
    # Existing obligations keep their dates (they were computed and shown); no rule is invented.
    op.add_column(
        "agreement_obligations",
        sa.Column("due_rule", sa.String(200), nullable=False, server_default=""),
    )
    # A plain column, no foreign key: SQLite can add a foreign key only by rebuilding the table,
    # and the rebuild fails while obligations and checks point at its rows. Agreements are never
    # deleted, and the link is written once, at generation, to an agreement of the same purchase.
    op.add_column("agreements", sa.Column("language_version_of_id", sa.Integer(), nullable=True))
    op.create_index(
        op.f("ix_agreements_language_version_of_id"),
        "agreements",
        ["language_version_of_id"],
        unique=False,
    )
    _seed_shipped_templates()


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM agreement_templates WHERE shipped AND version = 2 "
            "AND template_id = 'security-agreement' AND id NOT IN "
            "(SELECT template_version_id FROM agreements)"
        )
    )
    op.drop_index(op.f("ix_agreements_language_version_of_id"), table_name="agreements")
    op.drop_column("agreements", "language_version_of_id")
    op.drop_column("agreement_obligations", "due_rule")
    op.drop_column("purchases", "title_zh")
    op.drop_column("vendors", "name_zh")
    op.drop_column("cii_systems", "name_zh")
    op.drop_column("operators", "name_zh")


def _seed_shipped_templates() -> None:
    """Store version 2 unless a version 2 is already stored (an upload may have taken it)."""
    import hashlib
    from datetime import UTC, datetime

    from contract_templates import load_manifest, template_bytes

    bind = op.get_bind()
    table = sa.table(
        "agreement_templates",
        sa.column("template_id", sa.String()),
        sa.column("language", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("shipped", sa.Boolean()),
        sa.column("file_name", sa.String()),
        sa.column("content", sa.LargeBinary()),
        sa.column("sha256", sa.String()),
        sa.column("size_bytes", sa.Integer()),
        sa.column("fields", sa.JSON()),
        sa.column("clauses", sa.JSON()),
        sa.column("uploaded_by", sa.String()),
        sa.column("uploaded_at", UTCDateTime()),
    )
    taken = set(
        bind.execute(sa.select(table.c.template_id, table.c.language, table.c.version)).all()
    )
    rows = []
    for info in load_manifest():
        key = (info.id, info.language, info.version)
        if key not in _SHIPPED or key in taken:
            continue
        data = template_bytes(info)
        rows.append(
            {
                "template_id": info.id,
                "language": info.language,
                "version": info.version,
                "title": info.title,
                "shipped": True,
                "file_name": info.file,
                "content": data,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size_bytes": len(data),
                "fields": list(info.fields),
                "clauses": list(info.clauses),
                "uploaded_by": "shipped with the service",
                "uploaded_at": datetime.now(UTC),
            }
        )
    if rows:
        op.bulk_insert(table, rows)
