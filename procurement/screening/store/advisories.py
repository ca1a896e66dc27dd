"""Storing parsed OSV advisories: shared by the GraphQL import and the offline dump import.

Never commits, never checks permission. A stored record that is added or replaced is marked for
re-match (:mod:`procurement.screening.store.rematch`), keeping the version the screening last saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.db import utcnow
from procurement.models import AdvisoryPackage, AdvisoryRecord
from procurement.screening import Advisory

CHUNK = 500  # ids per IN list


@dataclass(frozen=True, slots=True)
class Incoming:
    advisory: Advisory
    data: Mapping[str, Any]


@dataclass
class Saved:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def is_matchable(advisory: Advisory) -> bool:
    """Whether any package of the advisory names an ecosystem or purl a component can meet."""
    return any(p.identity for p in advisory.affected)


async def stored_modified(session: AsyncSession, osv_ids: Sequence[str]) -> dict[str, str | None]:
    """``modified`` of the stored records among ``osv_ids`` (absent ids are not stored)."""
    out: dict[str, str | None] = {}
    for start in range(0, len(osv_ids), CHUNK):
        chunk = list(osv_ids[start : start + CHUNK])
        rows = await session.execute(
            select(AdvisoryRecord.osv_id, AdvisoryRecord.modified).where(
                AdvisoryRecord.osv_id.in_(chunk)
            )
        )
        out.update({osv_id: modified for osv_id, modified in rows})
    return out


async def stored_data(session: AsyncSession, osv_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = await session.execute(
        select(AdvisoryRecord.osv_id, AdvisoryRecord.data).where(
            AdvisoryRecord.osv_id.in_(list(osv_ids))
        )
    )
    return {osv_id: data for osv_id, data in rows}


async def save_advisories(
    session: AsyncSession, items: Sequence[Incoming], *, source: str, imported_by: str
) -> Saved:
    """Add or replace these advisories (ids unique, at most a few hundred per call) with their
    package identities, and mark each for re-match. The caller has decided they changed."""
    saved = Saved()
    if not items:
        return saved
    existing = {
        row.osv_id: row
        for row in await session.scalars(
            select(AdvisoryRecord).where(AdvisoryRecord.osv_id.in_([i.advisory.id for i in items]))
        )
    }
    now = utcnow()
    rows: list[tuple[AdvisoryRecord, Advisory]] = []
    for item in items:
        advisory = item.advisory
        row = existing.get(advisory.id)
        if row is None:
            row = AdvisoryRecord(osv_id=advisory.id, rematch_pending=True, matched_data=None)
            session.add(row)
            saved.added.append(advisory.id)
        else:
            if not row.rematch_pending:
                # An earlier change not yet re-matched keeps the version screening last saw.
                row.matched_data = row.data
                row.rematch_pending = True
            saved.updated.append(advisory.id)
        row.summary = advisory.summary
        row.modified = advisory.modified
        row.withdrawn = bool(advisory.withdrawn)
        row.data = dict(item.data)
        row.source_file_name = source[:255]
        row.imported_at = now
        row.imported_by = imported_by
        rows.append((row, advisory))
    await session.flush()
    replaced = [existing[i].id for i in saved.updated]
    if replaced:
        await session.execute(
            delete(AdvisoryPackage).where(AdvisoryPackage.advisory_id.in_(replaced))
        )
    packages = [
        {"advisory_id": row.id, "purl_type": t, "namespace": ns, "name": n}
        for row, advisory in rows
        for t, ns, n in sorted({p.identity for p in advisory.affected if p.identity})
    ]
    if packages:
        await session.execute(insert(AdvisoryPackage), packages)
    return saved
