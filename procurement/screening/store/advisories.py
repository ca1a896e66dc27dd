"""Storing parsed OSV advisories: shared by the GraphQL import and the offline dump import.

Never commits, never checks permission. A stored record that is added or replaced is marked for
re-match (:mod:`procurement.screening.store.rematch`), keeping the version the screening last saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
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
    package identities, and mark each for re-match. The caller has decided they changed.

    Written with bulk statements, not one ORM object per record: SQLite would insert ORM rows
    one statement each (to return their ids), which was most of the time of a dump import.
    """
    saved = Saved()
    if not items:
        return saved
    ids = [i.advisory.id for i in items]
    existing = {
        row.osv_id: row
        for row in await session.execute(
            select(
                AdvisoryRecord.id,
                AdvisoryRecord.osv_id,
                AdvisoryRecord.data,
                AdvisoryRecord.rematch_pending,
            ).where(AdvisoryRecord.osv_id.in_(ids))
        )
    }
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    for item in items:
        advisory = item.advisory
        values: dict[str, Any] = {
            "summary": advisory.summary,
            "modified": advisory.modified,
            "withdrawn": bool(advisory.withdrawn),
            "data": dict(item.data),
            "source_file_name": source[:255],
            "imported_at": now,
            "imported_by": imported_by,
            "rematch_pending": True,
        }
        old = existing.get(advisory.id)
        if old is None:
            new_rows.append(values | {"osv_id": advisory.id, "matched_data": None})
            saved.added.append(advisory.id)
            continue
        if not old.rematch_pending:
            # An earlier change not yet re-matched keeps the version screening last saw.
            values["matched_data"] = old.data
        changed_rows.append(values | {"id": old.id})
        saved.updated.append(advisory.id)
    if new_rows:
        await session.execute(insert(AdvisoryRecord), new_rows)
    if changed_rows:
        await session.execute(update(AdvisoryRecord), changed_rows)  # by primary key
        await session.execute(
            delete(AdvisoryPackage).where(
                AdvisoryPackage.advisory_id.in_([r["id"] for r in changed_rows])
            )
        )
    row_ids = dict(
        (
            await session.execute(
                select(AdvisoryRecord.osv_id, AdvisoryRecord.id).where(
                    AdvisoryRecord.osv_id.in_(ids)
                )
            )
        ).all()
    )
    packages = [
        {"advisory_id": row_ids[item.advisory.id], "purl_type": t, "namespace": ns, "name": n}
        for item in items
        for t, ns, n in sorted({p.identity for p in item.advisory.affected if p.identity})
    ]
    if packages:
        await session.execute(insert(AdvisoryPackage), packages)
    return saved
