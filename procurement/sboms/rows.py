"""Turning a parsed SBOM into database rows. Pure and CPU-bound: runs in a worker thread.

Rows are plain tuples in the column order below, so 100,000 components go to the database as one
executemany (SQLite) or one COPY (PostgreSQL) without building a dict or an ORM object per row.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import orjson

from procurement.memory import LARGE_DOCUMENT_BYTES
from procurement.settings import MAX_SBOM_COMPONENTS_VARIABLE
from sbom import SbomIssue, parse_sbom
from sbom.component_count import refuse_json_over_limit, refuse_too_many_components
from sbom.decode import decode_input
from sbom.issuelog import IssueLog
from sbom.json_reader import component_pointer
from sbom.models import (
    Affect,
    Component,
    Dependency,
    Metadata,
    OrganizationalEntity,
    ParsedSbom,
    Service,
    Vulnerability,
)
from sbom.parse import gc_paused
from sbom.purls import PurlParts, parse_purl_with_library, parse_simple_purl
from sbom.quality import (
    ComponentCoverage,
    QualityReport,
    ntia_quality,
    quality_report,
)
from sbom.version_key import version_key

# Every table also has ``version_id``; rows leave it out and the insert adds it (see
# procurement.sboms.store.bulk_insert), so 100,000 tuples are never copied to set it.
COMPONENT_COLUMNS = (
    "position", "path", "type", "name", "bom_ref", "parent_ref", "group",
    "version", "scope", "supplier", "purl", "purl_raw", "purl_type", "purl_namespace",
    "purl_name", "purl_version", "version_key", "cpe", "swid_tag_id", "licenses_json",
    "hashes_json", "external_references_json",
)  # fmt: skip
# Where a component row holds what screening reads of a stored component (bom-ref, supplier,
# purl type, namespace, name, version: procurement.screening.store.facts.ComponentColumns).
SCREENING_COLUMNS = tuple(
    COMPONENT_COLUMNS.index(c)
    for c in ("bom_ref", "supplier", "purl_type", "purl_namespace", "purl_name", "purl_version")
)
# Where a component row holds what the quality report counts.
_NAME, _BOM_REF, _VERSION, _SUPPLIER, _PURL, _CPE, _SWID = (
    COMPONENT_COLUMNS.index(c)
    for c in ("name", "bom_ref", "version", "supplier", "purl", "cpe", "swid_tag_id")
)
DEPENDENCY_COLUMNS = ("ref", "depends_on_json", "provides_json")
SERVICE_COLUMNS = (
    "position", "path", "name", "bom_ref", "parent_ref", "group", "version",
    "provider", "endpoints_json", "authenticated", "trust_boundary", "data_flows_json",
)  # fmt: skip
VULNERABILITY_COLUMNS = (
    "position", "vuln_id", "bom_ref", "source_name", "source_url", "description",
    "ratings_json", "cwes_json", "affects_json", "analysis_state", "analysis_justification",
    "analysis_response_json", "analysis_detail",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PreparedSbom:
    parsed: ParsedSbom
    quality: QualityReport
    document_gzip: bytes
    metadata_json: str
    described_key: str | None  # type/group/name of metadata.component, without version
    components: list[tuple[Any, ...]]
    dependencies: list[tuple[Any, ...]]
    services: list[tuple[Any, ...]]
    vulnerabilities: list[tuple[Any, ...]]

    @property
    def warnings(self) -> tuple[SbomIssue, ...]:
        return self.parsed.warnings


def _json(value: Any) -> str | None:
    return orjson.dumps(value).decode() if value else None


def _path(path: tuple[int, ...]) -> str:
    return ".".join(map(str, path))


def component_row(c: Component, position: int) -> tuple[Any, ...]:
    parts = c.purl_parts
    return (
        position, _path(c.path), c.type, c.name, c.bom_ref, c.parent_ref, c.group,
        c.version, c.scope, c.supplier_name,
        parts.canonical if parts else None,
        c.purl_raw if c.purl_raw is not None and (parts is None or parts.canonical != c.purl_raw)
        else None,
        parts.type if parts else None, parts.namespace if parts else None,
        parts.name if parts else None, parts.version if parts else None,
        version_key(parts.type, parts.version) if parts else None,
        c.cpe, c.swid_tag_id,
        _json([[lic.spdx_id, lic.name, lic.expression] for lic in c.licenses]),
        _json([[h.alg, h.content] for h in c.hashes]),
        _json([[r.type, r.url] for r in c.external_references]),
    )  # fmt: skip


# The purl columns of COMPONENT_COLUMNS: purl, purl_raw, purl_type, purl_namespace, purl_name,
# purl_version, version_key.
PurlColumns = tuple[str | None, str | None, str | None, str | None, str | None, str | None, Any]
_NO_PURL: PurlColumns = (None,) * 7
# Cached for a purl the fast path declines: the library reads it (and an invalid one is warned
# about at each place it is written, so only a valid one's columns replace this). Made at run
# time: a constant would be the very object _NO_PURL is, and it is told apart by identity.
_NOT_SIMPLE: PurlColumns = tuple([None] * 7)  # type: ignore[assignment]


def purl_columns(raw: str | None, parts: PurlParts | None) -> PurlColumns:
    if parts is None:
        return _NO_PURL if raw is None else (None, raw, None, None, None, None, None)
    return _purl_columns(
        raw, parts.canonical, parts.type, parts.namespace, parts.name, parts.version
    )


def _simple_purl_columns(raw: str) -> PurlColumns | None:
    """:func:`purl_columns` of a purl the fast path reads (sbom.purls.parse_simple_purl), without
    the PurlParts record in between; None when it declines."""
    fields = parse_simple_purl(raw)
    if fields is None:
        return None
    canonical, _, type_, name, namespace, version, _ = fields
    return _purl_columns(raw, canonical, type_, namespace, name, version)


def _purl_columns(
    raw: str | None,
    canonical: str,
    type_: str,
    namespace: str | None,
    name: str,
    version: str | None,
) -> PurlColumns:
    return (
        canonical, None if canonical == raw else raw, type_, namespace, name, version,
        version_key(type_, version),
    )  # fmt: skip


class JsonComponentRows:
    """:func:`component_row` straight from a validated CycloneDX JSON component object, without
    the Component, Hash and ExternalReference records in between (a third of the reading time
    at 10,000 components). Reads what sbom.json_reader._component reads, the same way. One per
    document: it keeps the purl columns of each distinct valid purl."""

    def __init__(self) -> None:
        self._purls: dict[str, PurlColumns] = {}
        # licences_json of a single licence by (id, name): a few licences cover most components
        self._single_licences: dict[tuple[str | None, str | None], str] = {}

    def __call__(
        self,
        item: dict[str, Any],
        position: int,
        path: str,
        bom_ref: str | None,
        parent_ref: str | None,
        log: IssueLog,
    ) -> tuple[Any, ...]:
        get = item.get
        purl_raw = get("purl")
        if purl_raw is None:
            purl = _NO_PURL
        else:
            found = self._purls.get(purl_raw)
            if found is None:
                found = self._purls[purl_raw] = _simple_purl_columns(purl_raw) or _NOT_SIMPLE
            if found is _NOT_SIMPLE:
                # Parsed here, not through log.purl: the JSON pointer it takes is made only for
                # a warning (building it for every distinct purl was a tenth of the rows' time).
                parts = parse_purl_with_library(purl_raw)
                if isinstance(parts, str):
                    # an invalid purl is warned about at each place it is written
                    log.invalid_purl(purl_raw, parts, component_pointer(path) + "/purl")
                    found = purl_columns(purl_raw, None)
                else:
                    found = self._purls[purl_raw] = purl_columns(purl_raw, parts)
            purl = found
        supplier = get("supplier")
        swid = get("swid")
        hashes = get("hashes")
        references = get("externalReferences")
        return (
            position, path, item["type"], item["name"], bom_ref, parent_ref, get("group"),
            get("version"), get("scope"), supplier.get("name") if supplier else None, *purl,
            get("cpe"), swid.get("tagId") if swid else None, self._licenses_json(get("licenses")),
            orjson.dumps([[h["alg"], h["content"]] for h in hashes]).decode() if hashes else None,
            orjson.dumps([[r["type"], r["url"]] for r in references]).decode()
            if references else None,
        )  # fmt: skip

    def _licenses_json(self, items: list[dict[str, Any]] | None) -> str | None:
        """:func:`_licenses_json`; one licence by id or name is written once per document."""
        if items and len(items) == 1:
            license_ = items[0].get("license")
            if license_ is not None:
                key = (license_.get("id"), license_.get("name"))
                found = self._single_licences.get(key)
                if found is None:
                    found = self._single_licences[key] = orjson.dumps([[*key, None]]).decode()
                return found
        return _licenses_json(items)


def _licenses_json(items: list[dict[str, Any]] | None) -> str | None:
    """As sbom.json_reader._licenses reads them: a licence by id/name, or an expression."""
    if not items:
        return None
    out: list[list[str | None]] = []
    for item in items:
        license_ = item.get("license")
        if license_ is not None:
            out.append([license_.get("id"), license_.get("name"), None])
        elif "expression" in item:
            out.append([None, None, item["expression"]])
    return orjson.dumps(out).decode() if out else None


class JsonDependencyRows:
    """:func:`dependency_row` straight from a validated CycloneDX JSON ``dependencies`` entry,
    without the Dependency record, noting on the way every bom-ref that takes part in the graph
    (what sbom.quality.dependency_refs collects from the records). One per document."""

    def __init__(self) -> None:
        self.in_graph: set[str] = set()

    def __call__(self, item: dict[str, Any]) -> tuple[Any, ...]:
        ref = item["ref"]
        depends_on = item.get("dependsOn") or ()
        self.in_graph.add(ref)
        self.in_graph.update(depends_on)
        # orjson writes the parsed list as the record's tuple; no provides is None, as [] is
        return (ref, orjson.dumps(depends_on).decode(), _json(item.get("provides")))


def _rows_quality(
    parsed: ParsedSbom, rows: list[tuple[Any, ...]], in_graph: set[str]
) -> QualityReport:
    """sbom.quality.ntia_quality, counted on component rows (see COMPONENT_COLUMNS) in one pass
    (six passes, one per element, took three times as long at 10,000 components); ``in_graph``:
    the bom-refs of the dependency graph."""
    supplier = name = version = identified = in_dependencies = 0
    for row in rows:
        if row[_SUPPLIER]:
            supplier += 1
        if row[_NAME]:
            name += 1
        if row[_VERSION]:
            version += 1
        if row[_PURL] is not None or row[_CPE] or row[_SWID]:
            identified += 1
        ref = row[_BOM_REF]
        if ref is not None and ref in in_graph:
            in_dependencies += 1
    counts = ComponentCoverage(
        total=len(rows),
        supplier=supplier,
        component_name=name,
        version=version,
        unique_identifier=identified,
        dependencies=in_dependencies,
    )
    return quality_report(parsed, counts)


def _service_row(s: Service, position: int) -> tuple[Any, ...]:
    return (
        position, _path(s.path), s.name, s.bom_ref, s.parent_ref, s.group, s.version,
        s.provider_name, _json(list(s.endpoints)), s.authenticated, s.trust_boundary,
        _json([[f.classification, f.flow] for f in s.data_flows]),
    )  # fmt: skip


def _affects(affects: tuple[Affect, ...]) -> list[Any]:
    return [
        {"ref": a.ref, "versions": [[v.version, v.range, v.status] for v in a.versions]}
        for a in affects
    ]


def _vulnerability_row(v: Vulnerability, position: int) -> tuple[Any, ...]:
    ratings = [[r.source_name, r.score, r.severity, r.method, r.vector] for r in v.ratings]
    return (
        position, v.id, v.bom_ref, v.source_name, v.source_url, v.description,
        orjson.dumps(ratings).decode(), orjson.dumps(list(v.cwes)).decode(),
        orjson.dumps(_affects(v.affects)).decode(), v.analysis_state, v.analysis_justification,
        orjson.dumps(list(v.analysis_response)).decode(), v.analysis_detail,
    )  # fmt: skip


def dependency_row(d: Dependency) -> tuple[Any, ...]:
    # orjson writes a tuple as the array a list would be, without the copy
    return (d.ref, orjson.dumps(d.depends_on).decode(), _json(d.provides))


def _entity(entity: OrganizationalEntity | None) -> dict[str, Any] | None:
    return None if entity is None else {"name": entity.name, "urls": list(entity.urls)}


def metadata_document(meta: Metadata) -> dict[str, Any]:
    component = meta.component
    return {
        "timestamp": meta.timestamp.isoformat() if meta.timestamp else None,
        "authors": [{"name": a.name, "email": a.email} for a in meta.authors],
        "tools": [
            {"kind": t.kind, "name": t.name, "vendor": t.vendor, "version": t.version}
            for t in meta.tools
        ],
        "supplier": _entity(meta.supplier),
        "manufacturer": _entity(meta.manufacturer),
        "component": None
        if component is None
        else {
            "type": component.type,
            "group": component.group,
            "name": component.name,
            "version": component.version,
            "purl": component.purl,
            "bomRef": component.bom_ref,
        },
        "lifecycles": [lc.phase or lc.name for lc in meta.lifecycles],
    }


def prepare(
    data: bytes,
    *,
    max_bytes: int,
    content_encoding: str | None,
    max_components: int | None = None,
    hold: Callable[[object], None] | None = None,
) -> PreparedSbom:
    """Validate, read and turn into rows. Raises sbom.SbomRejected for a refused document.
    ``hold``: given the parsed JSON tree of a document below LARGE_DOCUMENT_BYTES, for the
    caller to free after answering (a large one's is freed at once: it would raise the peak)."""
    # Inflate once (with the size limit enforced while streaming) and keep the plain document.
    document = decode_input(data, max_bytes=max_bytes, content_encoding=content_encoding)
    if max_components is not None:
        # Before anything else starts: a refusal costs a count of the bytes, nothing more.
        refuse_json_over_limit(document, max_components, MAX_SBOM_COMPONENTS_VARIABLE)
    # zlib releases the GIL, so compressing the original for storage overlaps with reading it.
    # Level 1: a fifth of the size at a third of level 6's time (measured on 79 MB of JSON).
    # The collector stays paused through the rows too: with the parsed document alive, each full
    # collection rescans it (a quarter of this function's CPU time at 10,000 components).
    with gc_paused(), ThreadPoolExecutor(max_workers=1) as pool:
        compressed = pool.submit(gzip.compress, document, compresslevel=1)
        # CycloneDX JSON: rows straight from the parsed tree (see JsonComponentRows).
        graph = JsonDependencyRows()
        parsed = parse_sbom(
            document, max_bytes=max_bytes, component_row=JsonComponentRows(), dependency_row=graph,
            keep_tree=hold if len(document) < LARGE_DOCUMENT_BYTES else None,
        )  # fmt: skip
        if max_components is not None:  # XML, tag-value, JSON with escaped names
            refuse_too_many_components(
                parsed.raw_component_count, max_components, MAX_SBOM_COMPONENTS_VARIABLE
            )
        if parsed.component_rows is not None and parsed.dependency_rows is not None:
            components = list(parsed.component_rows)
            dependencies = list(parsed.dependency_rows)
            # one list of rows is enough
            parsed = replace(parsed, component_rows=None, dependency_rows=None)
            quality = _rows_quality(parsed, components, graph.in_graph)
        else:
            quality = ntia_quality(parsed)
            components = [component_row(c, i) for i, c in enumerate(parsed.components)]
            dependencies = [dependency_row(d) for d in parsed.dependencies]
            parsed = replace(parsed, components=())  # the rows hold them from here on
        services = [_service_row(s, i) for i, s in enumerate(parsed.services)]
        vulnerabilities = [_vulnerability_row(v, i) for i, v in enumerate(parsed.vulnerabilities)]
        document_gzip = compressed.result()
    described = parsed.metadata.component
    described_key = (
        None
        if described is None
        else "/".join(part or "" for part in (described.type, described.group, described.name))
    )
    return PreparedSbom(
        parsed=parsed,
        quality=quality,
        document_gzip=document_gzip,
        metadata_json=orjson.dumps(metadata_document(parsed.metadata)).decode(),
        described_key=described_key,
        components=components,
        dependencies=dependencies,
        services=services,
        vulnerabilities=vulnerabilities,
    )
