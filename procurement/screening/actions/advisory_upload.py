"""Accepting an OSV dump over HTTP (admin): checked cheaply, stored, and imported by a job.

What can be told from the file's first bytes (not a zip nor JSON, an unreadable zip, an empty
or oversized JSON file) is refused at once with nothing stored; everything else is the job's
(:func:`import_dump`), whose error field tells what went wrong.

The job imports the dump, re-matches the stored components and rescreens the purchases whose
matches changed, all in the job's one transaction: the runner commits it with the job's outcome
(the import report the request used to answer with) and the upload is deleted in it, so a failed
attempt leaves no advisory behind and keeps the upload for the next attempt.
"""

from __future__ import annotations

import asyncio
import gzip
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.jobs.runner import JobContext
from procurement.jobs.store import enqueue
from procurement.models import AdvisoryUpload, Job
from procurement.permissions import Principal
from procurement.screening.actions.advisory_dump import check_may_import, import_osv_dump
from procurement.screening.osv_dump import check_dump, is_zip

IMPORT_DUMP = "screening.import_dump"


def _checked_and_stored_form(path: Path, name: str) -> tuple[bytes, bool, int]:
    """Refuse what is plainly no dump, then the bytes to store (blocking: run in a thread; a
    zip's central directory of many thousand records takes a while to read)."""
    check_dump(path, name)
    raw = path.read_bytes()
    if is_zip(raw[:4]):
        return raw, False, len(raw)  # a zip: compressed already
    return gzip.compress(raw, compresslevel=1), True, len(raw)  # JSON shrinks, quickly


async def upload_osv_dump(
    session: AsyncSession, principal: Principal, path: Path, name: str
) -> Job:
    """Store the dump at ``path`` and enqueue its import; commits both at once. Raises
    :class:`InputError` (nothing stored) for a file that is plainly not a dump."""
    check_may_import(principal)
    content, gzipped, size = await asyncio.to_thread(_checked_and_stored_form, path, name)
    upload = AdvisoryUpload(
        name=name,
        content=content,
        gzipped=gzipped,
        size=size,
        uploaded_by=principal.name[:200],
        created_at=utcnow(),
    )
    session.add(upload)
    await session.flush()
    arguments = {"upload": upload.id, "name": upload.name}
    job = await enqueue(session, IMPORT_DUMP, arguments, principal)
    audit.record(
        session,
        principal,
        "advisories.dump_uploaded",
        "Advisory",
        None,
        after={"name": name, "bytes": size, "job": job.id},
    )
    await session.commit()
    return job


def _write(target: Path, content: bytes, gzipped: bool) -> None:
    target.write_bytes(gzip.decompress(content) if gzipped else content)


async def import_dump(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    upload_id = int(job.arguments["upload"])
    upload = await session.get(AdvisoryUpload, upload_id)
    if upload is None:
        raise LookupError(f"the uploaded dump {upload_id} is no longer stored")
    with tempfile.TemporaryDirectory(prefix="osv-job-") as directory:
        path = Path(directory) / "dump"
        await asyncio.to_thread(_write, path, upload.content, upload.gzipped)
        report = await import_osv_dump(
            session, job.actor, [(path, upload.name)], in_job=True, progress=job.progress
        )
    await session.delete(upload)
    await session.flush()
    return report.as_dict()
