"""Foundation: operators, CII systems, vendors, restriction lists, purchases, persons, tokens, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-21 05:18:23.193583
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import Money, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column(
            "sector",
            sa.Enum(
                "PUBLIC_TELECOM_AND_INFORMATION_SERVICES",
                "ENERGY",
                "TRANSPORT",
                "WATER_CONSERVANCY",
                "FINANCE",
                "PUBLIC_SERVICES",
                "E_GOVERNMENT",
                "NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY",
                "OTHER",
                name="sector",
                native_enum=False,
                length=64,
            ),
            nullable=False,
        ),
        sa.Column("is_cii_operator", sa.Boolean(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_operators_credit_code")),
    )
    op.create_table(
        "restriction_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_lists")),
        sa.UniqueConstraint("name", name=op.f("uq_restriction_lists_name")),
    )
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("registration_id", sa.String(length=64), nullable=True),
        sa.Column(
            "ownership",
            sa.Enum(
                "STATE",
                "PRIVATE",
                "FOREIGN_CONTROLLED",
                "JOINT_VENTURE",
                "OTHER",
                name="ownership",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ultimate_parent_name", sa.String(length=200), nullable=True),
        sa.Column("ultimate_parent_country", sa.String(length=2), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("contact_name", sa.String(length=120), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendors")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "procurement",
                "vendor",
                "legal",
                "reviewer",
                "auditor",
                name="role",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_api_tokens_operator_id_operators")
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_api_tokens_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_tokens_secret_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_tokens_operator_id"), ["operator_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_api_tokens_vendor_id"), ["vendor_id"], unique=False)

    op.create_table(
        "cii_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("business_critical", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_cii_systems_operator_id_operators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cii_systems")),
        sa.UniqueConstraint("operator_id", "name", name=op.f("uq_cii_systems_operator_id")),
    )
    with op.batch_alter_table("cii_systems", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cii_systems_operator_id"), ["operator_id"], unique=False
        )

    op.create_table(
        "restriction_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("supplier_name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["restriction_lists.id"],
            name=op.f("fk_restriction_entries_list_id_restriction_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_restriction_entries_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_entries")),
    )
    with op.batch_alter_table("restriction_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_entries_list_id"), ["list_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_restriction_entries_vendor_id"), ["vendor_id"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_audit_events_actor_token_id_api_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_audit_events_operator_id_operators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_events_operator_id"), ["operator_id"], unique=False
        )

    op.create_table(
        "purchases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("cii_system_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "CORE_NETWORK_EQUIPMENT",
                "IMPORTANT_TELECOM_PRODUCT",
                "HIGH_PERFORMANCE_COMPUTER_SERVER",
                "MASS_STORAGE_DEVICE",
                "LARGE_DATABASE_APPLICATION_SOFTWARE",
                "NETWORK_SECURITY_EQUIPMENT",
                "CLOUD_COMPUTING_SERVICE",
                "OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE",
                "OUTSIDE_SCOPE",
                name="purchasecategory",
                native_enum=False,
                length=64,
            ),
            nullable=False,
        ),
        sa.Column("contract_value", Money(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tax_included", sa.Boolean(), nullable=False),
        sa.Column("contract_date", sa.Date(), nullable=False),
        sa.Column("in_use_date", sa.Date(), nullable=True),
        sa.Column("handles_core_data", sa.Boolean(), nullable=False),
        sa.Column("handles_important_data", sa.Boolean(), nullable=False),
        sa.Column("handles_personal_information", sa.Boolean(), nullable=False),
        sa.Column("personal_information_subjects", sa.BigInteger(), nullable=True),
        sa.Column("vendor_remote_maintenance", sa.Boolean(), nullable=False),
        sa.Column("vendor_update_channel", sa.Boolean(), nullable=False),
        sa.Column("single_source", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("ACTIVE", "CANCELLED", name="purchasestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("contract_value > 0", name=op.f("ck_purchases_contract_value_positive")),
        sa.CheckConstraint(
            "personal_information_subjects IS NULL OR personal_information_subjects >= 0",
            name=op.f("ck_purchases_pi_subjects_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["cii_system_id"],
            ["cii_systems.id"],
            name=op.f("fk_purchases_cii_system_id_cii_systems"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_purchases_operator_id_operators")
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_purchases_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchases")),
    )
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchases_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_purchases_cii_system_id"), ["cii_system_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_purchases_operator_id"), ["operator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_purchases_vendor_id"), ["vendor_id"], unique=False)

    op.create_table(
        "responsible_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "PERSON_IN_CHARGE",
                "OTHER_RESPONSIBLE",
                name="personrole",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["purchases.id"],
            name=op.f("fk_responsible_persons_purchase_id_purchases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsible_persons")),
    )
    with op.batch_alter_table("responsible_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_responsible_persons_purchase_id"), ["purchase_id"], unique=False
        )
    _install_audit_append_only_triggers()


def _install_audit_append_only_triggers() -> None:
    """Audit events are append-only for every client, not just this application."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    with op.batch_alter_table("responsible_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responsible_persons_purchase_id"))

    op.drop_table("responsible_persons")
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchases_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_purchases_operator_id"))
        batch_op.drop_index(batch_op.f("ix_purchases_cii_system_id"))
        batch_op.drop_index(batch_op.f("ix_purchases_category"))

    op.drop_table("purchases")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_operator_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    with op.batch_alter_table("restriction_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_entries_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_restriction_entries_list_id"))

    op.drop_table("restriction_entries")
    with op.batch_alter_table("cii_systems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cii_systems_operator_id"))

    op.drop_table("cii_systems")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_api_tokens_operator_id"))

    op.drop_table("api_tokens")
    op.drop_table("vendors")
    op.drop_table("restriction_lists")
    op.drop_table("operators")
