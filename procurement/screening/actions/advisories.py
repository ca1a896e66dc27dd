"""Importing OSV advisories (admin). A re-imported advisory replaces the stored one; every import
that adds or changes something rescreens the purchases that have an SBOM."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.models import AdvisoryPackage, AdvisoryRecord
from procurement.permissions import Action, Principal, require
from procurement.screening import Advisory, parse_osv, parse_osv_many
from procurement.screening.store.rescreen import (
    RescreenSummary,
    active_purchase_ids_with_sbom,
    rescreen_purchases,
)
from procurement.validation import Checker


@dataclass
class AdvisoryImport:
    file_name: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Advisories whose packages name no known ecosystem and no purl: stored, never matched.
    unmatchable: list[str] = field(default_factory=list)
    rescreen: RescreenSummary = field(default_factory=RescreenSummary)


def _records(text: str | bytes) -> list[tuple[Advisory, dict[str, Any]]]:
    """Parse one OSV record, a JSON array of them, or an OSV API ``{"vulns": [...]}`` answer."""
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError.single("osvJson", f"not valid JSON: {exc}", ErrorCode.INVALID) from None
    try:
        if isinstance(raw, Mapping) and "vulns" not in raw:
            return [(parse_osv(raw), dict(raw))]
        items = raw.get("vulns", []) if isinstance(raw, Mapping) else raw
        parsed = parse_osv_many(items)
    except InputError as error:
        raise InputError(
            [
                FieldError(
                    f"osvJson{'' if (e.field or '').startswith('[') else '.'}{e.field}"
                    if e.field
                    else "osvJson",
                    e.message,
                    e.code,
                )
                for e in error.errors
            ]
        ) from None
    return list(zip(parsed, (dict(r) for r in items), strict=True))


async def import_advisories(
    session: AsyncSession, principal: Principal, file_name: str, osv_json: str | bytes
) -> AdvisoryImport:
    require(principal, Action.MANAGE_SCREENING)
    check = Checker()
    name = check.text("fileName", file_name, max_len=255)
    check.done()
    assert name is not None
    records = _records(osv_json)
    ids = [a.id for a, _ in records]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InputError.single(
            "osvJson", f"advisories listed twice: {', '.join(twice)}", ErrorCode.DUPLICATE
        )
    if not records:
        raise InputError.single("osvJson", "contains no advisories", ErrorCode.REQUIRED)

    stored = {
        row.osv_id: row
        for row in await session.scalars(
            select(AdvisoryRecord).where(AdvisoryRecord.osv_id.in_(ids))
        )
    }
    result = AdvisoryImport(file_name=name)
    changed: list[tuple[AdvisoryRecord, Advisory]] = []
    for advisory, data in records:
        row = stored.get(advisory.id)
        if row is not None and row.data == data:
            result.unchanged.append(advisory.id)
            continue
        if row is None:
            row = AdvisoryRecord(osv_id=advisory.id)
            session.add(row)
            result.added.append(advisory.id)
        else:
            result.updated.append(advisory.id)
        row.summary = advisory.summary
        row.modified = advisory.modified
        row.withdrawn = bool(advisory.withdrawn)
        row.data = data
        row.source_file_name = name
        row.imported_at = utcnow()
        row.imported_by = principal.name
        changed.append((row, advisory))
        if not any(p.identity for p in advisory.affected):
            result.unmatchable.append(advisory.id)
    await session.flush()
    if changed:
        await session.execute(
            delete(AdvisoryPackage).where(
                AdvisoryPackage.advisory_id.in_([row.id for row, _ in changed])
            )
        )
        packages = [
            {"advisory_id": row.id, "purl_type": t, "namespace": ns, "name": n}
            for row, advisory in changed
            for t, ns, n in sorted({p.identity for p in advisory.affected if p.identity})
        ]
        if packages:
            await session.execute(insert(AdvisoryPackage), packages)
        audit.record(
            session,
            principal,
            "advisories.imported",
            "Advisory",
            None,
            after={
                "file_name": name,
                "added": result.added,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        result.rescreen = await rescreen_purchases(
            session,
            await active_purchase_ids_with_sbom(session),
            "advisories.imported",
            actor=principal,
        )
    await session.commit()
    return result
