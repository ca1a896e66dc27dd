"""Importing OSV advisories pasted as JSON (admin). A re-imported advisory replaces the stored one
when its content differs; a job enqueued in the same transaction matches the components it
touches again and rescreens the purchases whose matches changed
(procurement/screening/store/rematch.py, procurement/screening/jobs.py). Dumps on disk go through
:mod:`procurement.screening.actions.advisory_dump` instead, which shares the storing code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.errors import ErrorCode, InputError
from procurement.models import Job
from procurement.permissions import Action, Principal, require
from procurement.screening import Advisory, parse_osv, parse_osv_many
from procurement.screening.jobs import enqueue_rematch
from procurement.screening.messages import moved, said
from procurement.screening.store.advisories import (
    Incoming,
    is_matchable,
    save_advisories,
    stored_data,
)
from procurement.screening.store.rematch import has_pending
from procurement.texts import Text
from procurement.validation import Checker


@dataclass
class AdvisoryImport:
    file_name: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Advisories whose packages name no known ecosystem and no purl: stored, never matched.
    unmatchable: list[str] = field(default_factory=list)
    job: Job | None = None  # re-matches and rescreens, after commit


def _records(text: str | bytes) -> list[tuple[Advisory, dict[str, Any]]]:
    """Parse one OSV record, a JSON array of them, or an OSV API ``{"vulns": [...]}`` answer."""
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        not_json = Text("screening.error.json", {"error": str(exc)})
        raise InputError([said("osvJson", not_json)]) from None
    try:
        if isinstance(raw, Mapping) and "vulns" not in raw:
            return [(parse_osv(raw), dict(raw))]
        items = raw.get("vulns", []) if isinstance(raw, Mapping) else raw
        parsed = parse_osv_many(items)
    except InputError as error:
        raise InputError(
            [
                moved(
                    e,
                    f"osvJson{'' if (e.field or '').startswith('[') else '.'}{e.field}"
                    if e.field
                    else "osvJson",
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
        listed = Text("screening.error.advisories_twice", {"ids": ", ".join(twice)})
        raise InputError([said("osvJson", listed, ErrorCode.DUPLICATE)])
    if not records:
        none = Text("screening.error.no_advisories", {})
        raise InputError([said("osvJson", none, ErrorCode.REQUIRED)])

    stored = await stored_data(session, ids)
    result = AdvisoryImport(file_name=name)
    changed: list[Incoming] = []
    for advisory, data in records:
        if stored.get(advisory.id) == data:
            result.unchanged.append(advisory.id)
            continue
        changed.append(Incoming(advisory, data))
        if not is_matchable(advisory):
            result.unmatchable.append(advisory.id)
    saved = await save_advisories(session, changed, source=name, imported_by=principal.name)
    result.added, result.updated = saved.added, saved.updated
    if changed:
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
    # Also completes the re-match of an interrupted dump import, if one is pending.
    if await has_pending(session):
        result.job = await enqueue_rematch(session, principal, "advisories.imported")
    await session.commit()
    return result
