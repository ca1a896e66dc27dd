"""Writing a stored SBOM version back out, from the stored records alone (not from the original
document), so the export shows exactly what the service knows: CycloneDX 1.6 JSON or XML, or
SPDX 2.3 JSON (the writers are the pure ``sbom`` package's). The original document, as uploaded,
is available too."""

from __future__ import annotations

import asyncio
import gzip
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import __version__
from procurement.enums import SbomStandard
from procurement.models import (
    Sbom,
    SbomComponent,
    SbomDependency,
    SbomService,
    SbomVersion,
    SbomVulnerability,
)
from procurement.permissions import Principal
from procurement.sboms.reads import visible_version
from sbom.export_spdx import SpdxDocumentInfo
from sbom.formats import ExportFormat, write_sbom
from sbom.models import (
    Affect,
    AffectedVersion,
    Component,
    Contact,
    DataFlow,
    Dependency,
    ExternalReference,
    Hash,
    License,
    Lifecycle,
    Metadata,
    OrganizationalEntity,
    ParsedSbom,
    Rating,
    SbomFormat,
    Service,
    Tool,
    Vulnerability,
)
from sbom.models import SbomStandard as ParsedStandard
from sbom.purls import PurlParts, parse_purl

# Where exported SPDX documents' namespaces live: a URI naming this service's exports, not a
# page (SPDX asks only that it be unique per document).
SPDX_NAMESPACE_BASE = "https://spdx.org/spdxdocs/procurement-review"
_ORIGINAL_TYPES = {
    (SbomStandard.CYCLONEDX, "json"): ("application/vnd.cyclonedx+json", ".cdx.json"),
    (SbomStandard.CYCLONEDX, "xml"): ("application/vnd.cyclonedx+xml", ".cdx.xml"),
    (SbomStandard.SPDX, "json"): ("application/spdx+json", ".spdx.json"),
    (SbomStandard.SPDX, "tagvalue"): ("text/spdx; charset=utf-8", ".spdx"),
}


def _list(text: str | None) -> list[Any]:
    return orjson.loads(text) if text else []


def _path(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")) if text else ()


def _purl(canonical: str | None) -> PurlParts | None:
    if canonical is None:
        return None
    parsed = parse_purl(canonical)
    return parsed if isinstance(parsed, PurlParts) else None


def _component(row: SbomComponent) -> Component:
    return Component(
        path=_path(row.path), location="", type=row.type, name=row.name, bom_ref=row.bom_ref,
        parent_ref=row.parent_ref, group=row.group, version=row.version, scope=row.scope,
        supplier_name=row.supplier, purl_raw=row.purl_raw or row.purl, purl_parts=_purl(row.purl),
        cpe=row.cpe, swid_tag_id=row.swid_tag_id,
        licenses=tuple(License(a, b, c) for a, b, c in _list(row.licenses_json)),
        hashes=tuple(Hash(a, c) for a, c in _list(row.hashes_json)),
        external_references=tuple(
            ExternalReference(t, u) for t, u in _list(row.external_references_json)
        ),
    )  # fmt: skip


def _service(row: SbomService) -> Service:
    return Service(
        path=_path(row.path), location="", name=row.name, bom_ref=row.bom_ref,
        parent_ref=row.parent_ref, group=row.group, version=row.version,
        provider_name=row.provider, endpoints=tuple(_list(row.endpoints_json)),
        authenticated=row.authenticated, trust_boundary=row.trust_boundary,
        data_flows=tuple(DataFlow(c, f) for c, f in _list(row.data_flows_json)),
    )  # fmt: skip


def _vulnerability(row: SbomVulnerability) -> Vulnerability:
    return Vulnerability(
        location="", id=row.vuln_id, bom_ref=row.bom_ref, source_name=row.source_name,
        source_url=row.source_url, description=row.description,
        ratings=tuple(Rating(*r) for r in _list(row.ratings_json)),
        cwes=tuple(_list(row.cwes_json)),
        affects=tuple(
            Affect(a["ref"], tuple(AffectedVersion(*v) for v in a["versions"]))
            for a in _list(row.affects_json)
        ),
        analysis_state=row.analysis_state, analysis_justification=row.analysis_justification,
        analysis_response=tuple(_list(row.analysis_response_json)),
        analysis_detail=row.analysis_detail,
    )  # fmt: skip


def _entity(value: dict[str, Any] | None) -> OrganizationalEntity | None:
    return None if value is None else OrganizationalEntity(value["name"], tuple(value["urls"]))


def _metadata(document: dict[str, Any]) -> Metadata:
    described = document.get("component")
    return Metadata(
        timestamp=datetime.fromisoformat(document["timestamp"]) if document["timestamp"] else None,
        authors=tuple(Contact(a["name"], a["email"]) for a in document["authors"]),
        tools=tuple(
            Tool(t["kind"], t["name"], t["vendor"], t["version"]) for t in document["tools"]
        ),
        supplier=_entity(document["supplier"]),
        manufacturer=_entity(document["manufacturer"]),
        component=None
        if described is None
        else Component(
            path=(),
            location="",
            type=described["type"],
            name=described["name"],
            bom_ref=described["bomRef"],
            group=described["group"],
            version=described["version"],
            purl_raw=described["purl"],
            purl_parts=_purl(described["purl"]),
        ),
        lifecycles=tuple(Lifecycle(phase) for phase in document["lifecycles"]),
    )


@dataclass(frozen=True, slots=True)
class ExportedSbom:
    data: bytes
    media_type: str
    file_name: str
    sha256: str  # of the stored original: the same version always exports the same bytes


async def stored_sbom(
    session: AsyncSession, principal: Principal, version_id: int
) -> tuple[SbomVersion, ParsedSbom]:
    """A visible stored version and its records, as :mod:`sbom` shapes them: the one place that
    maps stored rows back to records (every export format starts here)."""
    version = await visible_version(session, principal, version_id)

    async def rows(model: Any, order: Any) -> list[Any]:
        stmt = select(model).where(model.version_id == version_id).order_by(order)
        return list(await session.scalars(stmt))

    components = await rows(SbomComponent, SbomComponent.position)
    dependencies = await rows(SbomDependency, SbomDependency.id)
    services = await rows(SbomService, SbomService.position)
    vulnerabilities = await rows(SbomVulnerability, SbomVulnerability.position)
    parsed = ParsedSbom(
        format=SbomFormat(version.format),
        spec_version=version.spec_version,
        sha256=version.sha256,
        size_bytes=version.size_bytes,
        metadata=_metadata(orjson.loads(version.metadata_json)),
        components=tuple(_component(c) for c in components),
        dependencies=tuple(
            Dependency(d.ref, tuple(_list(d.depends_on_json)), tuple(_list(d.provides_json)))
            for d in dependencies
        ),
        services=tuple(_service(s) for s in services),
        vulnerabilities=tuple(_vulnerability(v) for v in vulnerabilities),
        raw_component_count=len(components),
        serial_number=version.serial_number,
        version=version.bom_version,
        standard=ParsedStandard[version.standard.name],
    )
    return version, parsed


async def export_version(
    session: AsyncSession, principal: Principal, version_id: int, output: ExportFormat
) -> ExportedSbom:
    """A stored version written from its records (not from the original document), so the
    export shows exactly what the service knows; CPU-bound writing runs in a worker thread."""
    version, parsed = await stored_sbom(session, principal, version_id)
    name = await session.scalar(select(Sbom.name).where(Sbom.id == version.sbom_id)) or "SBOM"
    spdx = SpdxDocumentInfo(
        name=f"{name} (version {version.number})",
        # New for every stored document, yet the same on every export of it.
        namespace=f"{SPDX_NAMESPACE_BASE}/{_slug(name)}-{uuid5(NAMESPACE_URL, version.sha256)}",
        created=parsed.metadata.timestamp or version.uploaded_at,
        tool=f"procurement-review-{__version__}",
        comment=(
            f"Exported from SBOM version {version.number} as stored by the procurement review "
            f"service (uploaded as {version.standard.value} {version.spec_version} "
            f"{version.format}, sha256 {version.sha256})."
        ),
    )
    data = await asyncio.to_thread(write_sbom, parsed, output, spdx)
    file_name = f"{_slug(name)}-v{version.number}{output.extension}"
    return ExportedSbom(data, output.media_type, file_name, version.sha256)


async def original_document(
    session: AsyncSession, principal: Principal, version_id: int
) -> ExportedSbom:
    """The document as it was uploaded (decompressed), byte for byte."""
    version = await visible_version(session, principal, version_id)
    data = await asyncio.to_thread(gzip.decompress, version.document_gzip)
    media_type, extension = _ORIGINAL_TYPES[(version.standard, version.format)]
    name = await session.scalar(select(Sbom.name).where(Sbom.id == version.sbom_id)) or "SBOM"
    return ExportedSbom(
        data, media_type, f"{_slug(name)}-v{version.number}{extension}", version.sha256
    )


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "sbom"


async def export_json(session: AsyncSession, principal: Principal, version_id: int) -> bytes:
    """CycloneDX 1.6 JSON (kept for callers that want the bytes alone)."""
    return (await export_version(session, principal, version_id, ExportFormat.JSON)).data
