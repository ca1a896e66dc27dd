"""Revision 0007: SBOM versions state their standard (old rows are CycloneDX) and keep an SPDX
documentNamespace of any length, on both backends."""

from __future__ import annotations

from sqlalchemy import text

from procurement import migrate
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.world import World

LONG_NAMESPACE = "https://spdx.example.org/spdxdocs/" + "router-firmware-" * 20 + "1"


_VERSION = (
    "INSERT INTO sbom_versions (id, sbom_id, number, sha256, format, {extra_columns}"
    "spec_version, serial_number, bom_version, size_bytes, document_gzip, metadata_json, "
    "quality_score, quality_json, component_count, raw_component_count, dependency_count, "
    "service_count, vulnerability_count, warnings_json, uploaded_by, uploaded_at) VALUES "
    "(:id, 1, :id, :sha, 'json', {extra_values}'1.6', :serial, 1, 2, :doc, '{{}}', 50.0, '{{}}', "
    "0, 0, 0, 0, 0, '[]', 'test', '2026-11-28 07:00:00')"
)


async def test_upgrade_backfills_cyclonedx_and_takes_a_long_spdx_namespace(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a database at 0006 holding one SBOM version (stored before SPDX was accepted)
    await downgrade(db, "0006")
    async with db.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO sboms (id, purchase_id, key, name, created_at) VALUES "
                 "(1, :p, 'default', 'SBOM', '2026-11-28 07:00:00')"),
            {"p": world.purchase_a_cn},
        )  # fmt: skip
        await connection.execute(
            text(_VERSION.format(extra_columns="", extra_values="")),
            {"id": 1, "sha": "a" * 64, "serial": "urn:uuid:1", "doc": b"{}"},
        )
    # when upgrading to the head
    await migrate.upgrade(db.engine)
    # then the old version is CycloneDX, and an SPDX version with a 355-character namespace fits
    async with db.engine.begin() as connection:
        await connection.execute(
            text(_VERSION.format(extra_columns="standard, ", extra_values="'SPDX', ")),
            {"id": 2, "sha": "b" * 64, "serial": LONG_NAMESPACE, "doc": b"{}"},
        )
        rows = (
            await connection.execute(
                text("SELECT id, standard, serial_number FROM sbom_versions ORDER BY id")
            )
        ).all()
    assert len(LONG_NAMESPACE) == 355
    assert [tuple(r) for r in rows] == [
        (1, "CYCLONEDX", "urn:uuid:1"),
        (2, "SPDX", LONG_NAMESPACE),
    ]
    assert await migrate.current_revision(db.engine) == migrate.head_revision()
