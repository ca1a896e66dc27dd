"""The where-used index covers a page's ordering and counts on PostgreSQL (issue 14)

Revision ID: 0032
Revises: 0029

componentUsages over 10 million stored components: the rows of a package are found, counted and
ordered from the index alone (version id, position and id included), and only the page's rows
are read from the table. SQLite has no INCLUDE: its index stays as it was.
"""

from __future__ import annotations

from alembic import op

revision = "0032"
down_revision = "0029"
branch_labels = None
depends_on = None

_NAME = "ix_sbom_components_purl_version_key"
_KEY = ["purl_type", "purl_namespace", "purl_name", "version_key"]


def _recreate(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(_NAME, table_name="sbom_components")
    op.create_index(_NAME, "sbom_components", _KEY, unique=False, postgresql_include=include)


def upgrade() -> None:
    _recreate(["version_id", "position", "id"])


def downgrade() -> None:
    _recreate([])
