"""Screening results and rule sets, imported advisories, review cases with history, pauses and
attachments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 05:40:46.513747
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import Money, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advisories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("osv_id", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("modified", sa.String(length=64), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source_file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisories")),
        sa.UniqueConstraint("osv_id", name=op.f("uq_advisories_osv_id")),
    )
    op.create_table(
        "advisory_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("advisory_id", sa.Integer(), nullable=False),
        sa.Column("purl_type", sa.String(length=64), nullable=False),
        sa.Column("namespace", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["advisory_id"],
            ["advisories.id"],
            name=op.f("fk_advisory_packages_advisory_id_advisories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_packages")),
    )
    with op.batch_alter_table("advisory_packages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advisory_packages_advisory_id"), ["advisory_id"], unique=False
        )
        batch_op.create_index("ix_advisory_packages_identity", ["purl_type", "name"], unique=False)

    op.create_table(
        "screening_rule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_by_token_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_screening_rule_sets_created_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_rule_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_screening_rule_sets_version")),
    )
    op.create_table(
        "screening_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum("YES", "NO", "NEEDS_ASSESSMENT", name="verdict", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_severity", sa.Integer(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("missing_facts", sa.JSON(), nullable=False),
        sa.Column("ruleset_version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("screened_at", UTCDateTime(), nullable=False),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["purchases.id"],
            name=op.f("fk_screening_results_purchase_id_purchases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_results")),
    )
    with op.batch_alter_table("screening_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_screening_results_current", ["purchase_id", "superseded_at"], unique=False
        )

    op.create_table(
        "review_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("open_purchase_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "PENDING_TRIAGE",
                "NOT_REQUIRED",
                "DECLARATION_PREPARED",
                "DECLARED",
                "NO_REVIEW_NEEDED",
                "UNDER_REVIEW",
                "SPECIAL_REVIEW",
                "PASSED",
                "FAILED",
                "WITHDRAWN",
                name="casestate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("complex", sa.Boolean(), nullable=False),
        sa.Column("state_since", sa.Date(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("assigned_token_id", sa.Integer(), nullable=True),
        sa.Column("assigned_name", sa.String(length=120), nullable=True),
        sa.Column("screening_id", sa.Integer(), nullable=True),
        sa.Column("risk_score", sa.Integer(), nullable=False),
        sa.Column("max_severity", sa.Integer(), nullable=False),
        sa.Column("value_cny", Money(), nullable=True),
        sa.Column("deadline_due", sa.Date(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_review_cases_assigned_token_id_api_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["open_purchase_id"],
            ["purchases.id"],
            name=op.f("fk_review_cases_open_purchase_id_purchases"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_review_cases_operator_id_operators")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"], ["purchases.id"], name=op.f("fk_review_cases_purchase_id_purchases")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["screening_results.id"],
            name=op.f("fk_review_cases_screening_id_screening_results"),
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_review_cases_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cases")),
        sa.UniqueConstraint("open_purchase_id", name=op.f("uq_review_cases_open_purchase_id")),
    )
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_cases_assigned_token_id"), ["assigned_token_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_cases_deadline_due"), ["deadline_due"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_cases_operator_id"), ["operator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_cases_purchase_id"), ["purchase_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_cases_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_cases_vendor_id"), ["vendor_id"], unique=False)

    op.create_table(
        "review_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "material",
            sa.Enum(
                "DECLARATION_FORM",
                "IMPACT_ANALYSIS_REPORT",
                "PROCUREMENT_DOCUMENTS",
                "OFFICE_REQUESTED_MATERIALS",
                name="declarationmaterial",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("uploaded_by_token_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["review_cases.id"],
            name=op.f("fk_review_attachments_case_id_review_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_review_attachments_uploaded_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_attachments")),
        sa.UniqueConstraint("case_id", "material", "sha256", name="uq_review_attachments_content"),
    )
    with op.batch_alter_table("review_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_attachments_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "from_state",
            sa.Enum(
                "PENDING_TRIAGE",
                "NOT_REQUIRED",
                "DECLARATION_PREPARED",
                "DECLARED",
                "NO_REVIEW_NEEDED",
                "UNDER_REVIEW",
                "SPECIAL_REVIEW",
                "PASSED",
                "FAILED",
                "WITHDRAWN",
                name="casestate",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "PENDING_TRIAGE",
                "NOT_REQUIRED",
                "DECLARATION_PREPARED",
                "DECLARED",
                "NO_REVIEW_NEEDED",
                "UNDER_REVIEW",
                "SPECIAL_REVIEW",
                "PASSED",
                "FAILED",
                "WITHDRAWN",
                name="casestate",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_review_events_actor_token_id_api_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_cases.id"], name=op.f("fk_review_events_case_id_review_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_events")),
    )
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "review_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_cases.id"], name=op.f("fk_review_pauses_case_id_review_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_pauses")),
    )
    with op.batch_alter_table("review_pauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_pauses_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_pauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_pauses_case_id"))

    op.drop_table("review_pauses")
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_events_case_id"))

    op.drop_table("review_events")
    with op.batch_alter_table("review_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_attachments_case_id"))

    op.drop_table("review_attachments")
    with op.batch_alter_table("review_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_cases_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_review_cases_state"))
        batch_op.drop_index(batch_op.f("ix_review_cases_purchase_id"))
        batch_op.drop_index(batch_op.f("ix_review_cases_operator_id"))
        batch_op.drop_index(batch_op.f("ix_review_cases_deadline_due"))
        batch_op.drop_index(batch_op.f("ix_review_cases_assigned_token_id"))

    op.drop_table("review_cases")
    with op.batch_alter_table("screening_results", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_results_current")

    op.drop_table("screening_results")
    op.drop_table("screening_rule_sets")
    with op.batch_alter_table("advisory_packages", schema=None) as batch_op:
        batch_op.drop_index("ix_advisory_packages_identity")
        batch_op.drop_index(batch_op.f("ix_advisory_packages_advisory_id"))

    op.drop_table("advisory_packages")
    op.drop_table("advisories")
