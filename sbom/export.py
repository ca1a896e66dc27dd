"""Write extracted records back out as CycloneDX 1.6 JSON (and the object the XML writer walks).

The dictionary is built directly (cyclonedx-python-lib's model drops duplicates and is slow on
large documents). What 1.6 forbids but older inputs allowed is adapted, not passed through:
URLs that are not IRIs (e.g. Maven's unexpanded ``${project.artifactId}``) are percent-encoded or
dropped, invalid e-mails are dropped, and a licence list mixing expressions with licences keeps the
expressions as licence names. The output is checked against the 1.6 schema in the tests.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import orjson

from sbom.models import (
    Component,
    Dependency,
    License,
    Metadata,
    OrganizationalEntity,
    ParsedSbom,
    Service,
    Vulnerability,
)

EXPORT_SPEC_VERSION = "1.6"
Json = dict[str, Any]

_SERIAL_NUMBER = re.compile(
    r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
_NOT_IN_IRI = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')
_IRI = jsonschema_rs.validator_for({"format": "iri-reference"}, validate_formats=True)
_EMAIL = jsonschema_rs.validator_for({"format": "idn-email"}, validate_formats=True)
_PHASES = frozenset(
    {"design", "pre-build", "build", "post-build", "operations", "discovery", "decommission"}
)


def to_cyclonedx_json(parsed: ParsedSbom) -> bytes:
    return orjson.dumps(cyclonedx_document(parsed))


def cyclonedx_document(parsed: ParsedSbom) -> Json:
    """The CycloneDX 1.6 JSON object; keys come in the XSD's element order, so the XML writer
    (:mod:`sbom.export_xml`) can walk it as it is."""
    document: Json = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": EXPORT_SPEC_VERSION,
    }
    if parsed.serial_number and _SERIAL_NUMBER.fullmatch(parsed.serial_number):
        document["serialNumber"] = parsed.serial_number
    document["version"] = parsed.version
    metadata = _metadata(parsed.metadata)
    if metadata:
        document["metadata"] = metadata
    if parsed.components:
        document["components"] = _nest(parsed.components, _component, "components")
    if parsed.services:
        document["services"] = _nest(parsed.services, _service, "services")
    dependencies = _dependencies(parsed.dependencies)
    if dependencies:
        document["dependencies"] = dependencies
    if parsed.vulnerabilities:
        document["vulnerabilities"] = [_vulnerability(v) for v in parsed.vulnerabilities]
    return document


def _nest(records: tuple[Any, ...], render: Any, children: str) -> list[Json]:
    """Rebuild the nesting from each record's ``path`` (records come in pre-order)."""
    top: list[Json] = []
    by_path: dict[tuple[int, ...], Json] = {}
    for record in records:
        rendered = render(record)
        by_path[record.path] = rendered
        parent = by_path.get(record.path[:-1]) if len(record.path) > 1 else None
        if parent is None:
            top.append(rendered)
        else:
            parent.setdefault(children, []).append(rendered)
    return top


def _component(component: Component) -> Json:
    out: Json = {"type": component.type}
    _put(out, "bom-ref", component.bom_ref)
    if component.supplier_name:
        out["supplier"] = {"name": component.supplier_name}
    _put(out, "group", component.group)
    out["name"] = component.name
    _put(out, "version", component.version)
    _put(out, "scope", component.scope)
    if component.hashes:
        out["hashes"] = [{"alg": h.alg, "content": h.content} for h in component.hashes]
    if component.licenses:
        out["licenses"] = _licenses(component.licenses)
    _put(out, "cpe", component.cpe)
    _put(out, "purl", component.purl or component.purl_raw)
    if component.swid_tag_id:
        out["swid"] = {"tagId": component.swid_tag_id, "name": component.name}
    references = [
        {"url": url, "type": r.type}
        for r in component.external_references
        if (url := _iri(r.url)) is not None
    ]
    if references:
        out["externalReferences"] = references
    return out


def _licenses(licenses: tuple[License, ...]) -> list[Json]:
    # 1.6 accepts either licences or exactly one expression, not a mix.
    expressions = [lic.expression for lic in licenses if lic.expression]
    others = [lic for lic in licenses if not lic.expression]
    if not others:
        joined = (
            expressions[0] if len(expressions) == 1 else " AND ".join(f"({e})" for e in expressions)
        )
        return [{"expression": joined}]
    out: list[Json] = [
        {"license": {"id": lic.spdx_id}} if lic.spdx_id else {"license": {"name": lic.name or ""}}
        for lic in others
    ]
    out.extend({"license": {"name": expression}} for expression in expressions)
    return out


def _service(service: Service) -> Json:
    out: Json = {}
    _put(out, "bom-ref", service.bom_ref)
    if service.provider_name:
        out["provider"] = {"name": service.provider_name}
    _put(out, "group", service.group)
    out["name"] = service.name
    _put(out, "version", service.version)
    endpoints = [url for e in service.endpoints if (url := _iri(e)) is not None]
    if endpoints:
        out["endpoints"] = endpoints
    _put(out, "authenticated", service.authenticated)
    _put(out, "x-trust-boundary", service.trust_boundary)
    if service.data_flows:
        out["data"] = [
            {"flow": d.flow or "unknown", "classification": d.classification}
            for d in service.data_flows
        ]
    return out


def _dependencies(dependencies: tuple[Dependency, ...]) -> list[Json]:
    out: list[Json] = []
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
    for dependency in dependencies:
        depends_on = tuple(dict.fromkeys(r for r in dependency.depends_on if r))
        provides = tuple(dict.fromkeys(r for r in dependency.provides if r))
        key = (dependency.ref, depends_on, provides)
        if not dependency.ref or key in seen:  # 1.6 wants unique entries and non-empty refs
            continue
        seen.add(key)
        entry: Json = {"ref": dependency.ref}
        if depends_on:
            entry["dependsOn"] = list(depends_on)
        if provides:
            entry["provides"] = list(provides)
        out.append(entry)
    return out


def _vulnerability(vulnerability: Vulnerability) -> Json:
    out: Json = {}
    _put(out, "bom-ref", vulnerability.bom_ref)
    _put(out, "id", vulnerability.id)
    source: Json = {}
    _put(source, "name", vulnerability.source_name)
    _put(source, "url", _iri(vulnerability.source_url) if vulnerability.source_url else None)
    if source:
        out["source"] = source
    ratings = []
    for rating in vulnerability.ratings:
        rendered: Json = {}
        if rating.source_name:
            rendered["source"] = {"name": rating.source_name}
        _put(rendered, "score", rating.score)
        _put(rendered, "severity", rating.severity)
        _put(rendered, "method", rating.method)
        _put(rendered, "vector", rating.vector)
        ratings.append(rendered)
    if ratings:
        out["ratings"] = ratings
    if vulnerability.cwes:
        out["cwes"] = list(vulnerability.cwes)
    _put(out, "description", vulnerability.description)
    analysis: Json = {}
    _put(analysis, "state", vulnerability.analysis_state)
    _put(analysis, "justification", vulnerability.analysis_justification)
    if vulnerability.analysis_response:
        analysis["response"] = list(dict.fromkeys(vulnerability.analysis_response))
    _put(analysis, "detail", vulnerability.analysis_detail)
    if analysis:
        out["analysis"] = analysis
    affects = []
    for affect in vulnerability.affects:
        rendered = {"ref": affect.ref}
        versions = [_affected_version(v.version, v.range, v.status) for v in affect.versions]
        if any(versions):
            rendered["versions"] = [v for v in versions if v]
        affects.append(rendered)
    if affects:
        out["affects"] = affects
    return out


def _affected_version(version: str | None, range_: str | None, status: str | None) -> Json:
    out: Json = {}
    if version is not None:
        out["version"] = version
    elif range_ is not None:
        out["range"] = range_
    else:
        return {}
    _put(out, "status", status)
    return out


def _metadata(metadata: Metadata) -> Json:
    out: Json = {}
    if metadata.timestamp is not None:
        out["timestamp"] = metadata.timestamp.isoformat()
    lifecycles = [
        {"phase": lc.phase} if lc.phase in _PHASES else {"name": lc.name or lc.phase or ""}
        for lc in metadata.lifecycles
    ]
    if lifecycles:
        out["lifecycles"] = lifecycles
    tools: Json = {}
    for tool in metadata.tools:
        if not tool.name:
            continue
        if tool.kind == "service":
            rendered: Json = {"name": tool.name}
            if tool.vendor:
                rendered["provider"] = {"name": tool.vendor}
            _put(rendered, "version", tool.version)
            tools.setdefault("services", []).append(rendered)
        else:  # 1.6 describes legacy tools as application components (vendor -> group)
            rendered = {"type": "application", "name": tool.name}
            _put(rendered, "group", tool.vendor)
            _put(rendered, "version", tool.version)
            tools.setdefault("components", []).append(rendered)
    if tools:
        out["tools"] = tools
    authors = []
    for author in metadata.authors:
        rendered = {}
        _put(rendered, "name", author.name)
        _put(
            rendered,
            "email",
            author.email if author.email and _EMAIL.is_valid(author.email) else None,
        )
        if rendered:
            authors.append(rendered)
    if authors:
        out["authors"] = authors
    if metadata.component is not None:
        out["component"] = _component(metadata.component)
    for key, entity in (("manufacturer", metadata.manufacturer), ("supplier", metadata.supplier)):
        if entity is not None:
            out[key] = _organization(entity)
    return out


def _organization(entity: OrganizationalEntity) -> Json:
    out: Json = {}
    _put(out, "name", entity.name)
    urls = [url for u in entity.urls if (url := _iri(u)) is not None]
    if urls:
        out["url"] = urls
    return out


def _iri(url: str) -> str | None:
    """``url`` as a valid IRI reference: as is, percent-encoded, or None when beyond repair."""
    if _IRI.is_valid(url):
        return url
    escaped = _NOT_IN_IRI.sub(lambda m: f"%{ord(m.group()):02X}", url)
    return escaped if _IRI.is_valid(escaped) else None


def _put(target: Json, key: str, value: object) -> None:
    if value is not None:
        target[key] = value
