"""Importing OSV dumps from disk or an upload (admin): ``procurement advisories import`` and
``POST /api/advisories/import``.

Streamed: records are read one by one (:mod:`procurement.screening.osv_dump`) and stored in
batches of :data:`BATCH`, each committed on its own, so memory stays flat whatever the dump's
size. Incremental: a record whose ``modified`` is not newer than the stored one is skipped after
reading its id and ``modified``, before it is validated or written. Then the components the
changed records touch are matched again and only purchases whose matches changed are rescreened,
and one audit event records the import, in a last transaction.

An interrupted import leaves whole batches stored and marked for re-match; running it again skips
them and completes the re-match (so does any later import, including the GraphQL one).

The upload over HTTP runs as a background job instead (:mod:`procurement.screening.dump_jobs`):
there the whole import, re-match and audit event are one transaction that the job's runner
commits with the job's outcome (``in_job``), so a failed attempt leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.errors import InputError
from procurement.permissions import Action, Principal, require
from procurement.screening import parse_osv
from procurement.screening.osv_dump import (
    DumpEntry,
    check_dump,
    header,
    is_newer,
    read_dump,
    record_count,
)
from procurement.screening.store.advisories import (
    Incoming,
    is_matchable,
    save_advisories,
    stored_modified,
)
from procurement.screening.store.rematch import RematchSummary, rematch_pending

BATCH = 500  # records per transaction: a few MB of JSON at most
MAX_LISTED_INVALID = 1000  # the report names this many invalid records, and counts all


@dataclass(frozen=True, slots=True)
class InvalidRecord:
    source: str  # file (and member inside the zip) of the record
    error: str


@dataclass
class DumpReport:
    sources: list[str]
    read: int = 0
    added: int = 0
    updated: int = 0
    skipped: int = 0  # unchanged: ``modified`` not newer than the stored record's
    # Of the added and updated: records carrying ``withdrawn`` (stored, never matched) and
    # records naming no ecosystem or purl that a component can meet (stored, never matched).
    withdrawn: int = 0
    unmatchable: int = 0
    invalid_count: int = 0
    invalid: list[InvalidRecord] = field(default_factory=list)
    rematch: RematchSummary = field(default_factory=RematchSummary)

    def add_invalid(self, source: str, error: str) -> None:
        self.invalid_count += 1
        if len(self.invalid) < MAX_LISTED_INVALID:
            self.invalid.append(InvalidRecord(source, error))

    def as_dict(self) -> dict[str, Any]:
        rescreen = self.rematch.rescreen
        return {
            "sources": self.sources,
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "withdrawn": self.withdrawn,
            "unmatchable": self.unmatchable,
            "invalidCount": self.invalid_count,
            "invalid": [{"source": i.source, "error": i.error} for i in self.invalid],
            "rematch": {
                "advisories": self.rematch.advisories,
                "components": self.rematch.components,
                "purchases": self.rematch.purchases,
            },
            "rescreen": {
                "screened": rescreen.screened,
                "changed": rescreen.changed,
                "verdictsChanged": rescreen.verdicts_changed,
                "casesOpened": rescreen.cases_opened,
            },
        }


def check_may_import(principal: Principal) -> None:
    """Refuse early (before an upload is read) a caller who may not import advisories."""
    require(principal, Action.MANAGE_SCREENING)


def _parse(entries: Sequence[DumpEntry]) -> list[Incoming | InvalidRecord]:
    out: list[Incoming | InvalidRecord] = []
    for entry in entries:
        assert entry.record is not None
        try:
            out.append(Incoming(parse_osv(entry.record), entry.record))
        except InputError as error:
            message = "; ".join(
                f"{e.field}: {e.message}" if e.field else e.message for e in error.errors
            )
            out.append(InvalidRecord(entry.source, message))
    return out


async def _import_batch(
    session: AsyncSession,
    principal: Principal,
    source: str,
    entries: list[DumpEntry],
    report: DumpReport,
    *,
    commit: bool,
) -> None:
    candidates: dict[str, DumpEntry] = {}
    for entry in entries:
        report.read += 1
        if entry.record is None:
            report.add_invalid(entry.source, entry.error or "unreadable")
            continue
        osv_id, modified = header(entry.record)
        if osv_id is None or modified is None:
            missing = "id" if osv_id is None else "modified"
            report.add_invalid(entry.source, f"{missing}: is required in an OSV record")
            continue
        prior = candidates.get(osv_id)
        if prior is not None and not is_newer(modified, header(prior.record or {})[1]):
            report.skipped += 1  # listed twice (in two ecosystems' dumps): the newer one counts
            continue
        if prior is not None:
            report.skipped += 1
        candidates[osv_id] = entry
    stored = await stored_modified(session, list(candidates))
    to_parse = []
    for osv_id, entry in candidates.items():
        modified = header(entry.record or {})[1]
        if osv_id in stored and modified is not None and not is_newer(modified, stored[osv_id]):
            report.skipped += 1
        else:
            to_parse.append(entry)
    incoming: list[Incoming] = []
    for item in await asyncio.to_thread(_parse, to_parse):  # CPU work off the event loop
        if isinstance(item, InvalidRecord):
            report.add_invalid(item.source, item.error)
            continue
        incoming.append(item)
        report.withdrawn += bool(item.advisory.withdrawn)
        report.unmatchable += not is_matchable(item.advisory)
    saved = await save_advisories(session, incoming, source=source, imported_by=principal.name)
    report.added += len(saved.added)
    report.updated += len(saved.updated)
    if commit:
        await session.commit()
    else:
        await session.flush()


def _batches(sources: Sequence[tuple[Path, str | None]]) -> Iterator[tuple[str, list[DumpEntry]]]:
    for path, label in sources:
        entries = read_dump(path, label)
        while batch := list(islice(entries, BATCH)):
            yield label or str(path), batch


async def import_osv_dump(
    session: AsyncSession,
    principal: Principal,
    sources: Sequence[tuple[Path, str | None]],
    *,
    in_job: bool = False,
    progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> DumpReport:
    """Import the dumps at these paths (each with the name to report it by, or None for the
    path itself). Raises :class:`InputError` for a file that is not a dump at all; records
    stored by earlier batches stay stored (see the module docstring). ``in_job``: never commit
    (the job's runner commits everything at once); ``progress(done, total)`` is then told the
    records read so far after each batch, out of the total when the dump's kind tells it."""
    check_may_import(principal)
    for path, label in sources:
        check_dump(path, label)  # refuse a wrong path before anything is stored
    report = DumpReport(sources=[label or str(path) for path, label in sources])
    counts = [record_count(path) for path, _ in sources]
    total = None if None in counts else sum(c for c in counts if c is not None)
    batches = _batches(sources)
    while True:
        # Reading and inflating the zip is blocking I/O: a worker thread, as the parsing.
        item = await asyncio.to_thread(next, batches, None)
        if item is None:
            break
        await _import_batch(session, principal, *item, report, commit=not in_job)
        if progress is not None and total is not None:
            await progress(report.read, max(total, report.read))
    report.rematch = await rematch_pending(session, "advisories.imported", actor=principal)
    audit.record(
        session,
        principal,
        "advisories.dump_imported",
        "Advisory",
        None,
        after={k: v for k, v in report.as_dict().items() if k != "invalid"},
    )
    if progress is not None:
        await progress(report.read, report.read)
    if in_job:
        await session.flush()
    else:
        await session.commit()
    return report
