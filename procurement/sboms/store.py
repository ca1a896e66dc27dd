"""Session helpers for stored SBOMs: the bulk writes of one version's records. They never commit
and never check permission (the upload action does both)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.sboms import rows as sbom_rows
from procurement.sboms.rows import PreparedSbom


async def insert_records(session: AsyncSession, version_id: int, prepared: PreparedSbom) -> None:
    """Components, dependencies, services and vulnerabilities of a new version."""
    for table, columns, rows in (
        ("sbom_components", sbom_rows.COMPONENT_COLUMNS, prepared.components),
        ("sbom_dependencies", sbom_rows.DEPENDENCY_COLUMNS, prepared.dependencies),
        ("sbom_services", sbom_rows.SERVICE_COLUMNS, prepared.services),
        ("sbom_vulnerabilities", sbom_rows.VULNERABILITY_COLUMNS, prepared.vulnerabilities),
    ):
        if rows:
            await bulk_insert(session, table, columns, version_id, rows)


async def bulk_insert(
    session: AsyncSession,
    table: str,
    columns: Sequence[str],
    version_id: int,
    rows: list[tuple[Any, ...]],
) -> None:
    """Insert many rows of one SBOM version inside the session's transaction: COPY on
    PostgreSQL, one executemany on SQLite. ``rows`` hold ``columns``; ``version_id`` is added."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        records = ((version_id, *row) for row in rows)
        await driver.copy_records_to_table(table, records=records, columns=["version_id", *columns])
        return
    names = ", ".join(f'"{c}"' for c in ("version_id", *columns))
    # The version id is our own integer, so it can be part of the statement text.
    marks = ", ".join([str(int(version_id))] + ["?"] * len(columns))
    await connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
