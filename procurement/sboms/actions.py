"""Uploading SBOMs: validate and read off the event loop, then store atomically.

A refused or failed upload leaves nothing behind but an audit event saying so; the same document
uploaded twice for a purchase is stored once; a new document for the same SBOM becomes its next
version and supersedes the previous one.
"""

from __future__ import annotations

import asyncio
import hashlib
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.enums import SbomStandard
from procurement.errors import ErrorCode, InputError, NotFound
from procurement.models import Purchase, Sbom, SbomVersion
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.sboms import rows as sbom_rows
from procurement.sboms.aftermath import Aftermath
from procurement.sboms.checkpoint import checkpoint_deferred
from procurement.sboms.messages import issue_error, said
from procurement.sboms.rows import PreparedSbom
from procurement.sboms.store import insert_records
from procurement.screening.store.facts import version_components
from procurement.screening.store.rescreen import rescreen_purchases
from procurement.texts import Text
from sbom import SbomIssue, SbomRejected
from sbom.parse import gc_paused

MAX_REPORTED_ERRORS = 20
_TOO_LARGE = frozenset({"TOO_LARGE", "TOO_MANY_COMPONENTS"})
STORE_ATTEMPTS = 3  # tries to store one upload while others to the same series race it
# What screening reads of a component row (procurement.screening.store.facts.ComponentColumns).
_SCREENING = operator.itemgetter(*sbom_rows.SCREENING_COLUMNS)


@dataclass(frozen=True, slots=True)
class IngestResult:
    sbom: Sbom
    version: SbomVersion
    created: bool  # False when the same document was already stored for this purchase
    warnings: tuple[SbomIssue, ...]


class SbomRejectedError(InputError):
    """The document was refused; ``issues`` keeps the SBOM reader's codes and locations."""

    def __init__(self, issues: Sequence[SbomIssue]) -> None:
        self.issues = list(issues)
        super().__init__(
            [
                issue_error(
                    f"file{issue.location}"
                    if issue.location and issue.location.startswith("/")
                    else f"file ({issue.location})"
                    if issue.location
                    else "file",
                    issue,
                    ErrorCode.TOO_LARGE if issue.code in _TOO_LARGE else ErrorCode.INVALID,
                )
                for issue in issues
            ]
        )


async def visible_purchase(
    session: AsyncSession, principal: Principal, purchase_id: int
) -> Purchase:
    """The purchase if this principal may see it; NotFound otherwise (no existence leak)."""
    stmt = scope_purchases(select(Purchase).where(Purchase.id == purchase_id), principal)
    purchase = await session.scalar(stmt)
    if purchase is None:
        raise NotFound("purchaseId", "purchase", purchase_id)
    return purchase


async def ingest_sbom(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    data: bytes,
    *,
    max_bytes: int,
    content_encoding: str | None = None,
    name: str | None = None,
    max_components: int | None = None,
    aftermath: Aftermath | None = None,
) -> IngestResult:
    """Validate, read and store an SBOM for a purchase; ``max_components`` refuses larger ones
    (a JSON one from its bytes, before it is parsed). With ``aftermath`` the caller releases
    what reading built (see :mod:`procurement.sboms.aftermath`), e.g. after its answer is sent;
    without, it is released before this returns."""
    left = Aftermath() if aftermath is None else aftermath
    # The collector stays paused from reading until the rows are garbage (see store_prepared
    # for why): until left.release().
    left.pause_gc()
    left.note_document(len(data))
    try:
        return await _ingest(
            session, principal, purchase_id, data, max_bytes=max_bytes,
            content_encoding=content_encoding, name=name, max_components=max_components,
            aftermath=left,
        )  # fmt: skip
    finally:
        if aftermath is None:
            await left.release()


async def _ingest(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    data: bytes,
    *,
    max_bytes: int,
    content_encoding: str | None,
    name: str | None,
    max_components: int | None,
    aftermath: Aftermath,
) -> IngestResult:
    require(principal, Action.UPLOAD_SBOM)
    purchase = await visible_purchase(session, principal, purchase_id)
    operator_id = purchase.operator_id
    # End the read transaction (no SQLite lock held while parsing). A commit, not a rollback:
    # with expire_on_commit=False it leaves the caller's loaded objects usable.
    await session.commit()

    try:
        # Validation and reading are CPU-bound (seconds for 100,000 components): a worker
        # thread keeps the event loop serving other requests meanwhile.
        prepared = await asyncio.to_thread(
            sbom_rows.prepare, data, max_bytes=max_bytes, content_encoding=content_encoding,
            max_components=max_components, hold=aftermath.hold,
        )  # fmt: skip
    except SbomRejected as rejected:
        await record_rejection(session, principal, purchase_id, operator_id, data, rejected.errors)
        raise SbomRejectedError(rejected.errors[:MAX_REPORTED_ERRORS]) from None
    aftermath.hold(prepared)  # freed when the caller releases, not when this returns

    # Two uploads to one series at once both find the same next number (or no series yet);
    # the unique constraints let one commit. The other tries again and, seeing the winner,
    # becomes the next version (or finds its identical bytes stored).
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            return await _store(
                session, principal, purchase_id, operator_id, prepared, name, aftermath
            )
        except IntegrityError:
            await session.rollback()
            if attempt == STORE_ATTEMPTS:
                await _record_conflict(session, principal, purchase_id, operator_id, prepared)
                race = Text("sboms.error.series_race", {"tries": STORE_ATTEMPTS})
                raise InputError([said(None, race, ErrorCode.CONFLICT)]) from None
        except BaseException:
            await session.rollback()
            raise
    raise AssertionError("unreachable")


async def _record_conflict(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    operator_id: int,
    prepared: PreparedSbom,
) -> None:
    audit.record(
        session, principal, "sbom.upload_conflicted", "Purchase", purchase_id,
        operator_id=operator_id,
        after={"sha256": prepared.parsed.sha256, "attempts": STORE_ATTEMPTS},
    )  # fmt: skip
    await session.commit()


async def _store(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    operator_id: int,
    prepared: PreparedSbom,
    name: str | None,
    aftermath: Aftermath,
) -> IngestResult:
    result = await store_prepared(session, principal, purchase_id, operator_id, prepared, name)
    if not result.created:
        await session.commit()  # nothing written: ends the read
        return result
    # The log's copy into the database file waits until the caller releases (the web route:
    # after answering); see procurement.sboms.checkpoint.
    async with checkpoint_deferred(session, aftermath.then):
        await session.commit()
    return result


async def store_prepared(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    operator_id: int,
    prepared: PreparedSbom,
    name: str | None,
) -> IngestResult:
    """Store a read document as the next version of its series, rescreen and audit, in the
    caller's transaction (never commits: the upload action or the ingest job does)."""
    # Storing and rescreening make another few hundred thousand short-lived objects while the
    # rows are alive; with the cyclic collector on, its full passes rescan all of them (about a
    # tenth of a 10,000-component upload's CPU). Nothing made here needs it before the end:
    # paused for this bounded stretch, resumed in a finally (see sbom.parse.gc_paused). The
    # callers (the upload action, the ingest job) pause it for longer, from before the document
    # is read until the rows are dropped: resumed while the rows are still alive, the first
    # collection scans every object reading made (two collections, about 50 ms of a
    # 10,000-component upload); resumed after, it finds almost nothing left to scan.
    with gc_paused():
        return await _store_prepared(session, principal, purchase_id, operator_id, prepared, name)


async def _store_prepared(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    operator_id: int,
    prepared: PreparedSbom,
    name: str | None,
) -> IngestResult:
    parsed = prepared.parsed
    existing = (
        await session.execute(
            select(Sbom, SbomVersion)
            .join(SbomVersion, SbomVersion.sbom_id == Sbom.id)
            .where(Sbom.purchase_id == purchase_id, SbomVersion.sha256 == parsed.sha256)
        )
    ).first()
    if existing is not None:
        return IngestResult(existing[0], existing[1], False, prepared.warnings)

    key = _series_key(prepared, name)
    sbom = await session.scalar(
        select(Sbom).where(Sbom.purchase_id == purchase_id, Sbom.key == key)
    )
    if sbom is None:
        sbom = Sbom(purchase_id=purchase_id, key=key, name=_display_name(prepared, name))
        session.add(sbom)
        await session.flush()
    previous = await session.scalar(
        select(SbomVersion)
        .where(SbomVersion.sbom_id == sbom.id)
        .order_by(SbomVersion.number.desc())
        .limit(1)
    )
    now = utcnow()
    if previous is not None and previous.superseded_at is None:
        await session.execute(
            update(SbomVersion).where(SbomVersion.id == previous.id).values(superseded_at=now)
        )
    version = SbomVersion(
        sbom_id=sbom.id,
        number=1 if previous is None else previous.number + 1,
        sha256=parsed.sha256,
        format=parsed.format.value,
        standard=SbomStandard[parsed.standard.name],
        spec_version=parsed.spec_version,
        serial_number=parsed.serial_number,
        bom_version=parsed.version,
        size_bytes=parsed.size_bytes,
        document_gzip=prepared.document_gzip,
        metadata_json=prepared.metadata_json,
        quality_score=prepared.quality.score,
        quality_json=_quality_json(prepared),
        component_count=len(prepared.components),
        raw_component_count=parsed.raw_component_count,
        dependency_count=len(prepared.dependencies),
        service_count=len(prepared.services),
        vulnerability_count=len(prepared.vulnerabilities),
        warnings_json=_warnings_json(prepared.warnings),
        uploaded_by=principal.name,
        uploaded_by_token_id=principal.token_id,
        uploaded_at=now,
    )
    session.add(version)
    await session.flush()
    # An SBOM is a screening input (quality, suppliers, embedded vulnerabilities). What screening
    # reads of its components is built from the rows at hand in a worker thread, not on the event
    # loop (about 0.5 s of CPU at 100,000 components, which held up every other request). Before
    # the insert, not beside it: the driver's thread takes the GIL back after each row only at
    # the interpreter's switch interval, and beside it the upload measured slower, not faster.
    components = await asyncio.to_thread(version_components, map(_SCREENING, prepared.components))
    await insert_records(session, version.id, prepared)
    if version.component_count != parsed.raw_component_count:
        # Never trust a reader for counts: if anything was lost, store nothing.
        lost = Text(
            "sboms.error.count_mismatch",
            {"read": version.component_count, "declared": parsed.raw_component_count},
        )
        raise InputError([said("file", lost)])
    # Screening takes the components from here instead of reading them back.
    await rescreen_purchases(
        session, [purchase_id], "sbom.uploaded", actor=principal,
        known_components={version.id: components},
    )  # fmt: skip
    audit.record(
        session, principal, "sbom.uploaded", "Sbom", version.id, operator_id=operator_id,
        after={
            "purchase_id": purchase_id, "sbom": sbom.name, "version": version.number,
            "sha256": version.sha256, "components": version.component_count,
            "quality": version.quality_score,
            "superseded_version": None if previous is None else previous.number,
        },
    )  # fmt: skip
    return IngestResult(sbom, version, True, prepared.warnings)


def _series_key(prepared: PreparedSbom, name: str | None) -> str:
    """Which SBOM of the purchase a document is a version of.

    A name given by the uploader decides alone (so one series may mix standards on purpose).
    Otherwise a CycloneDX and an SPDX document of the same product are two series: each series
    then stays in one standard, and its diffs compare documents written alike. CycloneDX keys
    are unprefixed, as they were before SPDX was accepted. An SPDX documentNamespace is new for
    every document a tool writes, so unlike a CycloneDX serial number it never links versions.
    """
    if name and name.strip():
        return "name:" + name.strip()[:480]
    if prepared.parsed.standard.name == SbomStandard.SPDX.name:
        described = prepared.described_key
        return "spdx:" + ("component:" + described[:470] if described else "default")
    if prepared.described_key:
        return "component:" + prepared.described_key[:480]
    if prepared.parsed.serial_number:
        return "serial:" + prepared.parsed.serial_number[:480]
    return "default"


def _display_name(prepared: PreparedSbom, name: str | None) -> str:
    if name and name.strip():
        return name.strip()[:500]
    described = prepared.parsed.metadata.component
    if described is not None:
        label = "/".join(p for p in (described.group, described.name) if p)
        return label[:500]
    return "SBOM"


def _quality_json(prepared: PreparedSbom) -> str:
    import orjson

    return orjson.dumps(prepared.quality.coverage()).decode()


def _warnings_json(warnings: Sequence[SbomIssue]) -> str:
    import orjson

    return orjson.dumps([w.as_dict() for w in warnings]).decode()


async def record_rejection(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    operator_id: int,
    data: bytes,
    issues: Sequence[SbomIssue],
) -> None:
    """The one trace a refused upload leaves: an audit event, in its own transaction."""
    await session.rollback()
    # Hashing 800 MB takes about half a second: off the event loop, like the parse.
    digest = (await asyncio.to_thread(hashlib.sha256, data)).hexdigest()
    audit.record(
        session, principal, "sbom.rejected", "Purchase", purchase_id, operator_id=operator_id,
        after={
            "upload_sha256": digest,
            "upload_bytes": len(data),
            "errors": [i.as_dict() for i in issues[:5]],
        },
    )  # fmt: skip
    await session.commit()
