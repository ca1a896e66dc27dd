"""Components get a sortable version key, indexed after the purl identity (where-used at scale)

Revision ID: 0019
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sbom.version_key import KEYED_TYPES, version_key

revision = "0019"
down_revision = "0021"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    op.add_column("sbom_components", sa.Column("version_key", sa.LargeBinary(), nullable=True))
    _backfill()
    # The new index starts with the old one's columns, which it replaces.
    op.drop_index("ix_sbom_components_purl_key", table_name="sbom_components")
    op.create_index(
        "ix_sbom_components_purl_version_key",
        "sbom_components",
        ["purl_type", "purl_namespace", "purl_name", "version_key"],
        unique=False,
    )


def _backfill() -> None:
    """Key every stored component of a keyed ecosystem, in id order, a batch at a time."""
    bind = op.get_bind()
    components = sa.table(
        "sbom_components",
        sa.column("id", sa.Integer()),
        sa.column("purl_type", sa.String()),
        sa.column("purl_version", sa.Text()),
        sa.column("version_key", sa.LargeBinary()),
    )
    update = (
        sa.update(components)
        .where(components.c.id == sa.bindparam("component_id"))
        .values(version_key=sa.bindparam("key"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(components.c.id, components.c.purl_type, components.c.purl_version)
            .where(
                components.c.id > last,
                components.c.purl_type.in_(sorted(KEYED_TYPES)),
                components.c.purl_version.is_not(None),
            )
            .order_by(components.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        keyed = [
            {"component_id": id_, "key": key}
            for id_, purl_type, version in rows
            if (key := version_key(purl_type, version)) is not None
        ]
        if keyed:
            bind.execute(update, keyed)


def downgrade() -> None:
    op.drop_index("ix_sbom_components_purl_version_key", table_name="sbom_components")
    op.create_index(
        "ix_sbom_components_purl_key",
        "sbom_components",
        ["purl_type", "purl_namespace", "purl_name"],
        unique=False,
    )
    op.drop_column("sbom_components", "version_key")
