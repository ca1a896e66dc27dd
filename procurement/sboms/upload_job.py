"""Large SBOM uploads as background jobs (issue 14).

An upload whose document (uncompressed) is larger than ``PROCUREMENT_SBOM_ASYNC_BYTES`` is
checked cheaply (empty, too large, an unsupported encoding, neither JSON, XML nor tag-value, more
components than allowed, all told from the bytes), then stored gzip-compressed in
``sbom_uploads`` in the transaction that enqueues its job, and answered at once with the job.
Smaller uploads are ingested inside the request, as before.

The job (:func:`ingest_upload`) validates, reads, stores the records, rescreens the purchase and
deletes the upload, all in its one transaction: the runner commits it with the job's outcome, so
a refused document or a killed worker leaves no record behind and keeps the upload for the next
attempt. A refused document's job fails with the located errors (``file/components/3/name: ...``).
"""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.ids import to_global_id
from procurement.jobs.runner import JobContext
from procurement.jobs.store import enqueue
from procurement.memory import release_memory
from procurement.models import Job, Purchase, SbomUpload
from procurement.permissions import Action, Principal, require
from procurement.sboms import rows as sbom_rows
from procurement.sboms.actions import (
    MAX_REPORTED_ERRORS,
    IngestResult,
    SbomRejectedError,
    ingest_sbom,
    record_rejection,
    store_prepared,
    visible_purchase,
)
from procurement.sboms.aftermath import Aftermath
from procurement.settings import MAX_SBOM_COMPONENTS_VARIABLE
from sbom import SbomRejected
from sbom.component_count import refuse_json_over_limit
from sbom.decode import GZIP_MAGIC, decode_input, sniff_format
from sbom.models import SbomFormat
from sbom.parse import gc_paused

INGEST_UPLOAD = "sboms.ingest_upload"
STEPS = 2  # read and validated; stored and rescreened


@dataclass(frozen=True, slots=True)
class _Checked:
    content: bytes  # gzip
    size: int  # of the document, uncompressed


def _may_be_large(data: bytes, threshold: int, content_encoding: str | None) -> bool:
    """Whether the document may be over the threshold: a compressed body may inflate past it."""
    encoding = (content_encoding or "").strip().lower()
    return len(data) > threshold or data.startswith(GZIP_MAGIC) or encoding not in ("", "identity")


def _check(
    data: bytes, max_bytes: int, content_encoding: str | None, max_components: int
) -> _Checked:
    """What the bytes tell at once (raises SbomRejected); blocking: run it in a thread."""
    document = decode_input(data, max_bytes=max_bytes, content_encoding=content_encoding)
    if sniff_format(document) is SbomFormat.JSON:
        refuse_json_over_limit(document, max_components, MAX_SBOM_COMPONENTS_VARIABLE)
    if document is data:
        return _Checked(gzip.compress(document, compresslevel=1), len(document))
    return _Checked(data, len(document))  # it came gzip: store it as sent


async def upload_sbom(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    data: bytes,
    *,
    max_bytes: int,
    async_bytes: int,
    max_components: int,
    content_encoding: str | None = None,
    name: str | None = None,
    aftermath: Aftermath | None = None,
) -> IngestResult | Job:
    """Ingest at once (an :class:`IngestResult`), or store the upload and return its QUEUED job
    when the document is larger than ``async_bytes``. Raises what :func:`ingest_sbom` raises
    for what can be told at once (no permission, no such purchase, a refused document).
    ``aftermath``: as :func:`ingest_sbom`'s, for an upload ingested at once."""

    async def now() -> IngestResult:
        return await ingest_sbom(
            session, principal, purchase_id, data, max_bytes=max_bytes,
            content_encoding=content_encoding, name=name, max_components=max_components,
            aftermath=aftermath,
        )  # fmt: skip

    if not _may_be_large(data, async_bytes, content_encoding):
        return await now()
    require(principal, Action.UPLOAD_SBOM)
    purchase = await visible_purchase(session, principal, purchase_id)
    operator_id = purchase.operator_id
    await session.commit()  # no read transaction (SQLite lock) held while decompressing
    try:
        checked = await asyncio.to_thread(_check, data, max_bytes, content_encoding, max_components)
    except SbomRejected as rejected:
        await record_rejection(session, principal, purchase_id, operator_id, data, rejected.errors)
        raise SbomRejectedError(rejected.errors[:MAX_REPORTED_ERRORS]) from None
    if checked.size <= async_bytes:  # a compressed body of a small document
        return await now()
    upload = SbomUpload(
        purchase_id=purchase_id,
        name=name.strip()[:500] if name and name.strip() else None,
        content=checked.content,
        size=checked.size,
        uploaded_by=principal.name[:200],
        created_at=utcnow(),
    )
    session.add(upload)
    await session.flush()
    arguments = {
        "upload": upload.id,
        "purchase": purchase_id,
        "max_bytes": max_bytes,
        "max_components": max_components,
    }
    job = await enqueue(session, INGEST_UPLOAD, arguments, principal, operator_id=operator_id)
    audit.record(
        session, principal, "sbom.upload_queued", "Purchase", purchase_id,
        operator_id=operator_id, after={"bytes": checked.size, "job": job.id},
    )  # fmt: skip
    await session.commit()
    return job


async def ingest_upload(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    """The job: read, store and rescreen a stored upload in the job's one transaction."""
    upload_id = int(job.arguments["upload"])
    upload = await session.get(SbomUpload, upload_id)
    if upload is None:
        raise LookupError(f"the uploaded SBOM {upload_id} is no longer stored")
    # The request checked that the uploader may see the purchase (a job's actor does not carry
    # a vendor's scope); the purchase is read for its operator, the right checked again.
    require(job.actor, Action.UPLOAD_SBOM)
    purchase = await session.get_one(Purchase, upload.purchase_id)
    try:
        with gc_paused():  # until the rows are garbage (see actions.store_prepared)
            result = await _ingest(session, job, upload, purchase.operator_id)
    finally:
        await asyncio.to_thread(release_memory)  # what reading built is garbage now
    await session.delete(upload)
    await session.flush()
    await job.progress(STEPS, STEPS)
    version = result.version
    return {
        "sbom": to_global_id("Sbom", version.id),
        "sbomName": result.sbom.name,
        "sbomVersion": version.number,
        "componentCount": version.component_count,
        "qualityScore": version.quality_score,
        "warningCount": len(result.warnings),
    }


async def _ingest(
    session: AsyncSession, job: JobContext, upload: SbomUpload, operator_id: int
) -> IngestResult:
    await job.progress(0, STEPS)
    try:
        prepared = await asyncio.to_thread(
            sbom_rows.prepare, upload.content, max_bytes=int(job.arguments["max_bytes"]),
            content_encoding="gzip", max_components=int(job.arguments["max_components"]),
        )  # fmt: skip
    except SbomRejected as rejected:
        # The job's error names each problem and where it is (file/components/3/name: ...).
        raise SbomRejectedError(rejected.errors[:MAX_REPORTED_ERRORS]) from None
    await job.progress(1, STEPS)
    return await store_prepared(
        session, job.actor, upload.purchase_id, operator_id, prepared, upload.name
    )
