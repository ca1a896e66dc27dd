"""Revision 0019: stored components get their sortable version key, on both backends."""

from __future__ import annotations

from sqlalchemy import text

from procurement import migrate
from tests.integration.test_migration_0007 import _VERSION
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.world import World

_COMPONENT = (
    "INSERT INTO sbom_components (version_id, position, path, type, name, purl_type, purl_version)"
    " VALUES (1, :position, :path, 'library', 'x', :purl_type, :purl_version)"
)


async def test_upgrade_backfills_version_keys(db: DatabaseUnderTest, world: World) -> None:
    # given a database at 0015 holding components of keyed and unkeyed ecosystems and versions
    await downgrade(db, "0015")
    stored = [
        ("maven", "2.14.1"), ("maven", "2.17.1.0"), ("npm", "1.0.0-rc.1"), ("pypi", "1.0"),
        ("golang", "v0.3.0"), ("deb", "1.2.3"), (None, None), ("npm", None),
    ]  # fmt: skip
    async with db.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO sboms (id, purchase_id, key, name, created_at) VALUES "
                 "(1, :p, 'default', 'SBOM', '2026-11-28 07:00:00')"),
            {"p": world.purchase_a_cn},
        )  # fmt: skip
        await connection.execute(
            text(_VERSION.format(extra_columns="standard, ", extra_values="'CYCLONEDX', ")),
            {"id": 1, "sha": "a" * 64, "serial": "urn:uuid:1", "doc": b"{}"},
        )
        await connection.execute(
            text(_COMPONENT),
            [
                {"position": i, "path": str(i), "purl_type": purl_type, "purl_version": version}
                for i, (purl_type, version) in enumerate(stored)
            ],
        )
    # when upgrading to the head
    await migrate.upgrade(db.engine)
    # then each row has the key its ecosystem orders by, or none
    async with db.engine.begin() as connection:
        rows = await connection.execute(
            text("SELECT version_key FROM sbom_components ORDER BY position")
        )
        keys = [None if key is None else bytes(key) for (key,) in rows]
    assert keys == [b"12.214.11", b"12.217.11", None, b"11", b"10.13", None, None, None]
    assert await migrate.current_revision(db.engine) == migrate.head_revision()
