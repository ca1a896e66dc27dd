"""The where-used index covers a page's ordering and counts on PostgreSQL (issue 14)

Revision ID: 0032
Revises: 0029

componentUsages over 10 million stored components: the rows of a package are found, counted and
ordered from the index alone (version id, position and id included), and only the page's rows
are read from the table. SQLite has no INCLUDE: its index stays as it was.

Extended statistics on the purl identity: the planner otherwise multiplies the selectivities of
type, namespace and name as if independent and expects one row for a package in every SBOM
(nested loops per row instead of hash joins: several times slower for 1,000 usages).
"""

from __future__ import annotations

from alembic import op

revision = "0032"
down_revision = "0029"
branch_labels = None
depends_on = None

_NAME = "ix_sbom_components_purl_version_key"
_KEY = ["purl_type", "purl_namespace", "purl_name", "version_key"]
_STATISTICS = "st_sbom_components_purl"


def _recreate(include: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(_NAME, table_name="sbom_components")
    op.create_index(_NAME, "sbom_components", _KEY, unique=False, postgresql_include=include)


def upgrade() -> None:
    _recreate(["version_id", "position", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE STATISTICS IF NOT EXISTS {_STATISTICS} (ndistinct, dependencies)"
            " ON purl_type, purl_namespace, purl_name FROM sbom_components"
        )
        op.execute("ANALYZE sbom_components")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP STATISTICS IF EXISTS {_STATISTICS}")
    _recreate([])
