"""Writing a stored SBOM version back out as CycloneDX 1.6 JSON, from the stored records alone
(not from the original document), so the export shows exactly what the service knows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import SbomComponent, SbomDependency, SbomService, SbomVulnerability
from procurement.permissions import Principal
from procurement.sboms.reads import visible_version
from sbom.export import to_cyclonedx_json
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
from sbom.purls import PurlParts, parse_purl


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


async def export_json(session: AsyncSession, principal: Principal, version_id: int) -> bytes:
    version = await visible_version(session, principal, version_id)

    async def rows(model: Any, order: Any) -> list[Any]:
        stmt = select(model).where(model.version_id == version_id).order_by(order)
        return list(await session.scalars(stmt))

    components = await rows(SbomComponent, SbomComponent.position)
    dependencies = await rows(SbomDependency, SbomDependency.id)
    services = await rows(SbomService, SbomService.position)
    vulnerabilities = await rows(SbomVulnerability, SbomVulnerability.position)
    parsed = ParsedSbom(
        format=SbomFormat.JSON,
        spec_version="1.6",
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
    )
    return to_cyclonedx_json(parsed)
