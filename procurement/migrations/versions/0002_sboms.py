"""SBOMs: versions with the original document, components, dependencies, services, vulnerabilities

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 05:34:18.318966
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from procurement.db import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sboms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["purchase_id"], ["purchases.id"], name=op.f("fk_sboms_purchase_id_purchases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sboms")),
        sa.UniqueConstraint("purchase_id", "key", name=op.f("uq_sboms_purchase_id")),
    )
    with op.batch_alter_table("sboms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sboms_purchase_id"), ["purchase_id"], unique=False)

    op.create_table(
        "sbom_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sbom_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("spec_version", sa.String(length=8), nullable=False),
        sa.Column("serial_number", sa.String(length=200), nullable=True),
        sa.Column("bom_version", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("document_gzip", sa.LargeBinary(), nullable=False),
        sa.Column("metadata_json", sa.Text(), nullable=False),
        sa.Column("quality_score", sa.Float(), nullable=False),
        sa.Column("quality_json", sa.Text(), nullable=False),
        sa.Column("component_count", sa.Integer(), nullable=False),
        sa.Column("raw_component_count", sa.Integer(), nullable=False),
        sa.Column("dependency_count", sa.Integer(), nullable=False),
        sa.Column("service_count", sa.Integer(), nullable=False),
        sa.Column("vulnerability_count", sa.Integer(), nullable=False),
        sa.Column("warnings_json", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("uploaded_by_token_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sbom_id"], ["sboms.id"], name=op.f("fk_sbom_versions_sbom_id_sboms")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_sbom_versions_uploaded_by_token_id_api_tokens"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_versions")),
        sa.UniqueConstraint("sbom_id", "number", name="uq_sbom_versions_number"),
        sa.UniqueConstraint("sbom_id", "sha256", name="uq_sbom_versions_sha256"),
    )
    with op.batch_alter_table("sbom_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sbom_versions_sbom_id"), ["sbom_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sbom_versions_sha256"), ["sha256"], unique=False)

    op.create_table(
        "sbom_components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("bom_ref", sa.Text(), nullable=True),
        sa.Column("parent_ref", sa.Text(), nullable=True),
        sa.Column("group", sa.Text(), nullable=True),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("scope", sa.String(length=20), nullable=True),
        sa.Column("supplier", sa.Text(), nullable=True),
        sa.Column("purl", sa.Text(), nullable=True),
        sa.Column("purl_raw", sa.Text(), nullable=True),
        sa.Column("purl_type", sa.String(length=64), nullable=True),
        sa.Column("purl_namespace", sa.Text(), nullable=True),
        sa.Column("purl_name", sa.Text(), nullable=True),
        sa.Column("purl_version", sa.Text(), nullable=True),
        sa.Column("cpe", sa.Text(), nullable=True),
        sa.Column("swid_tag_id", sa.Text(), nullable=True),
        sa.Column("licenses_json", sa.Text(), nullable=True),
        sa.Column("hashes_json", sa.Text(), nullable=True),
        sa.Column("external_references_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sbom_versions.id"],
            name=op.f("fk_sbom_components_version_id_sbom_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_components")),
    )
    with op.batch_alter_table("sbom_components", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sbom_components_purl_key",
            ["purl_type", "purl_namespace", "purl_name"],
            unique=False,
        )
        batch_op.create_index(
            "ix_sbom_components_version_position", ["version_id", "position"], unique=False
        )

    op.create_table(
        "sbom_dependencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("depends_on_json", sa.Text(), nullable=False),
        sa.Column("provides_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sbom_versions.id"],
            name=op.f("fk_sbom_dependencies_version_id_sbom_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_dependencies")),
    )
    with op.batch_alter_table("sbom_dependencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sbom_dependencies_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "sbom_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("bom_ref", sa.Text(), nullable=True),
        sa.Column("parent_ref", sa.Text(), nullable=True),
        sa.Column("group", sa.Text(), nullable=True),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("provider", sa.Text(), nullable=True),
        sa.Column("endpoints_json", sa.Text(), nullable=True),
        sa.Column("authenticated", sa.Boolean(), nullable=True),
        sa.Column("trust_boundary", sa.Boolean(), nullable=True),
        sa.Column("data_flows_json", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sbom_versions.id"],
            name=op.f("fk_sbom_services_version_id_sbom_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_services")),
    )
    with op.batch_alter_table("sbom_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sbom_services_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "sbom_vulnerabilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("vuln_id", sa.String(length=200), nullable=True),
        sa.Column("bom_ref", sa.Text(), nullable=True),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("ratings_json", sa.Text(), nullable=False),
        sa.Column("cwes_json", sa.Text(), nullable=False),
        sa.Column("affects_json", sa.Text(), nullable=False),
        sa.Column("analysis_state", sa.String(length=40), nullable=True),
        sa.Column("analysis_justification", sa.String(length=80), nullable=True),
        sa.Column("analysis_response_json", sa.Text(), nullable=False),
        sa.Column("analysis_detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sbom_versions.id"],
            name=op.f("fk_sbom_vulnerabilities_version_id_sbom_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sbom_vulnerabilities")),
    )
    with op.batch_alter_table("sbom_vulnerabilities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sbom_vulnerabilities_version_id"), ["version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sbom_vulnerabilities_vuln_id"), ["vuln_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sbom_vulnerabilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sbom_vulnerabilities_vuln_id"))
        batch_op.drop_index(batch_op.f("ix_sbom_vulnerabilities_version_id"))

    op.drop_table("sbom_vulnerabilities")
    with op.batch_alter_table("sbom_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sbom_services_version_id"))

    op.drop_table("sbom_services")
    with op.batch_alter_table("sbom_dependencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sbom_dependencies_version_id"))

    op.drop_table("sbom_dependencies")
    with op.batch_alter_table("sbom_components", schema=None) as batch_op:
        batch_op.drop_index("ix_sbom_components_version_position")
        batch_op.drop_index("ix_sbom_components_purl_key")

    op.drop_table("sbom_components")
    with op.batch_alter_table("sbom_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sbom_versions_sha256"))
        batch_op.drop_index(batch_op.f("ix_sbom_versions_sbom_id"))

    op.drop_table("sbom_versions")
    with op.batch_alter_table("sboms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sboms_purchase_id"))

    op.drop_table("sboms")
