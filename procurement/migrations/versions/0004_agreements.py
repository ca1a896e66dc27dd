"""Article 20 agreements: template versions (the shipped ones seeded), agreements, obligations,
supervision checks

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-21 05:46:37.675512
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("shipped", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("clauses", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("uploaded_by_token_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.id"],
            name=op.f("fk_agreement_templates_operator_id_operators"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_agreement_templates_uploaded_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_templates")),
        sa.UniqueConstraint(
            "template_id", "language", "version", name="uq_agreement_templates_version"
        ),
    )
    with op.batch_alter_table("agreement_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_templates_operator_id"), ["operator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_agreement_templates_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("template_version_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.String(length=64), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "DRAFT",
                "SENT",
                "SIGNED",
                "SUPERSEDED",
                "TERMINATED",
                name="agreementstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_size", sa.Integer(), nullable=False),
        sa.Column("document_file_name", sa.String(length=255), nullable=False),
        sa.Column("context_snapshot", sa.JSON(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("generated_by", sa.String(length=120), nullable=False),
        sa.Column("generated_by_token_id", sa.Integer(), nullable=True),
        sa.Column("generated_at", UTCDateTime(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signatories", sa.JSON(), nullable=True),
        sa.Column("signed_copy", sa.LargeBinary(), nullable=True),
        sa.Column("signed_copy_sha256", sa.String(length=64), nullable=True),
        sa.Column("signed_copy_size", sa.Integer(), nullable=True),
        sa.Column("signed_copy_file_name", sa.String(length=255), nullable=True),
        sa.Column("signed_copy_content_type", sa.String(length=100), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["generated_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_agreements_generated_by_token_id_api_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"], ["purchases.id"], name=op.f("fk_agreements_purchase_id_purchases")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["agreements.id"],
            name=op.f("fk_agreements_superseded_by_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["agreement_templates.id"],
            name=op.f("fk_agreements_template_version_id_agreement_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreements_purchase_id"), ["purchase_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agreements_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agreements_template_version_id"), ["template_version_id"], unique=False
        )

    op.create_table(
        "agreement_obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("clause_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "recurrence",
            sa.Enum("once", "annual", "on_event", name="recurrence", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("window_hours", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN", "MET", "NOT_MET", name="obligationstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("last_checked_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_obligations_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_obligations")),
        sa.UniqueConstraint("agreement_id", "code", name="uq_agreement_obligations_code"),
    )
    with op.batch_alter_table("agreement_obligations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_obligations_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_agreement_obligations_due_on"), ["due_on"], unique=False
        )

    op.create_table(
        "supervision_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column(
            "result",
            sa.Enum("MET", "NOT_MET", name="checkresult", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("attachment", sa.LargeBinary(), nullable=True),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("attachment_size", sa.Integer(), nullable=True),
        sa.Column("attachment_file_name", sa.String(length=255), nullable=True),
        sa.Column("attachment_content_type", sa.String(length=100), nullable=True),
        sa.Column("checked_by", sa.String(length=120), nullable=False),
        sa.Column("checked_by_token_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checked_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_supervision_checks_checked_by_token_id_api_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["agreement_obligations.id"],
            name=op.f("fk_supervision_checks_obligation_id_agreement_obligations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_checks")),
    )
    with op.batch_alter_table("supervision_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervision_checks_obligation_id"), ["obligation_id"], unique=False
        )

    _seed_shipped_templates()


def downgrade() -> None:
    with op.batch_alter_table("supervision_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_checks_obligation_id"))

    op.drop_table("supervision_checks")
    with op.batch_alter_table("agreement_obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_obligations_due_on"))
        batch_op.drop_index(batch_op.f("ix_agreement_obligations_agreement_id"))

    op.drop_table("agreement_obligations")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_template_version_id"))
        batch_op.drop_index(batch_op.f("ix_agreements_state"))
        batch_op.drop_index(batch_op.f("ix_agreements_purchase_id"))

    op.drop_table("agreements")
    with op.batch_alter_table("agreement_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_templates_template_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_templates_operator_id"))

    op.drop_table("agreement_templates")


# The templates shipped when this revision was written; later shipped versions are registered by
# procurement.agreements.actions.templates.ensure_shipped_templates when first used.
_SHIPPED = {("security-agreement", "zh", 1), ("security-agreement", "en", 1)}


def _seed_shipped_templates() -> None:
    import hashlib
    from datetime import UTC, datetime

    from contract_templates import load_manifest, template_bytes

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
    rows = []
    for info in load_manifest():
        if (info.id, info.language, info.version) not in _SHIPPED:
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
    op.bulk_insert(table, rows)
