"""CycloneDX JSON (1.2-1.7): parse with orjson, validate, read the records directly.

(:func:`load_json` is shared with the SPDX JSON reader, :mod:`sbom.spdx_json`.)

Records are read only after schema validation, so the types of known properties can be trusted
(for example ``hashes[].alg`` is a string); optional properties are read with ``get``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from sbom.errors import IssueCode, SbomRejected
from sbom.extracted import Extracted
from sbom.issuelog import IssueLog
from sbom.messages import refuse
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
    Rating,
    Service,
    Tool,
    Vulnerability,
)
from sbom.schemas import JSON_SPEC_VERSIONS, validate_json

Json = dict[str, Any]
Row = tuple[Any, ...]
# Builds a caller's record of one component straight from its JSON object, skipping the
# Component record: (item, position in pre-order, dotted path ("3.0" = components[3].components[0],
# see component_pointer), bom-ref, parent's bom-ref, log). The reader has recorded the bom-ref
# (duplicate warning) before it is called.
ComponentRowBuilder = Callable[[Json, int, str, str | None, str | None, IssueLog], Row]
# Builds a caller's record of one ``dependencies`` entry straight from its JSON object, skipping
# the Dependency record.
DependencyRowBuilder = Callable[[Json], Row]


def component_pointer(path: str) -> str:
    """The JSON pointer of the component at a dotted path (built only for a warning)."""
    return "/components/" + path.replace(".", "/components/")


def load_json(data: bytes | memoryview) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise refuse(IssueCode.INVALID_JSON, "invalid_json", detail=str(exc)) from None


def read_cyclonedx_json(
    document: Any,
    *,
    max_errors: int,
    log: IssueLog,
    component_row: ComponentRowBuilder | None = None,
    dependency_row: DependencyRowBuilder | None = None,
) -> Extracted:
    """Validate and read; with ``component_row``, components become rows built by it
    (``Extracted.component_rows``) and ``Extracted.components`` stays empty; the same for
    ``dependency_row`` and the dependencies."""
    if not isinstance(document, dict) or document.get("bomFormat") != "CycloneDX":
        where = "/bomFormat" if isinstance(document, dict) else ""
        raise refuse(IssueCode.NOT_CYCLONEDX, "not_sbom_json", where)
    spec = document.get("specVersion")
    if spec not in JSON_SPEC_VERSIONS:
        raise refuse(
            IssueCode.UNSUPPORTED_SPEC_VERSION, "json_spec_version", "/specVersion",
            version=repr(spec), supported=", ".join(JSON_SPEC_VERSIONS),
        )  # fmt: skip
    errors = validate_json(
        document, spec, max_errors, lambda i: log.warn(i.code, i.message, i.location)
    )
    if errors:
        raise SbomRejected(errors)
    metadata = _metadata(document.get("metadata") or {}, log)
    items = document.get("components") or []
    rows = None if component_row is None else _component_rows(items, log, component_row)
    return Extracted(
        spec_version=spec,
        serial_number=document.get("serialNumber"),
        version=document.get("version", 1),
        metadata=metadata,
        components=_components(items, log) if rows is None else (),
        component_rows=rows,
        dependencies=()
        if dependency_row is not None
        else tuple(_dependency(d) for d in document.get("dependencies") or ()),
        dependency_rows=None
        if dependency_row is None
        else tuple([dependency_row(d) for d in document.get("dependencies") or ()]),
        services=_services(document.get("services") or [], log),
        vulnerabilities=tuple(
            _vulnerability(v, f"/vulnerabilities/{i}", log)
            for i, v in enumerate(document.get("vulnerabilities") or ())
        ),
        raw_component_count=count_components(document),
    )


def count_components(document: Json) -> int:
    """Count every component under ``components``, at any depth, straight from the raw document
    (deliberately separate from the extraction, to cross-check it)."""
    count = 0
    pending = [document.get("components") or []]
    while pending:
        level = pending.pop()
        count += len(level)
        pending.extend(c["components"] for c in level if c.get("components"))
    return count


def _components(items: list[Json], log: IssueLog) -> tuple[Component, ...]:
    """Pre-order walk with an explicit stack: nesting depth is limited only by the JSON parser."""
    out: list[Component] = []
    stack: list[tuple[Json, tuple[int, ...], str | None, str]] = [
        (c, (i,), None, f"/components/{i}") for i, c in reversed(list(enumerate(items)))
    ]
    while stack:
        item, path, parent_ref, pointer = stack.pop()
        component = _component(item, path, parent_ref, pointer, log)
        out.append(component)
        children = item.get("components")
        if children:
            ref = component.bom_ref
            stack.extend(
                (child, (*path, j), ref, f"{pointer}/components/{j}")
                for j, child in reversed(list(enumerate(children)))
            )
    return tuple(out)


def _component_rows(
    items: list[Json], log: IssueLog, build: ComponentRowBuilder
) -> tuple[Row, ...]:
    """The same walk as :func:`_components` (same order, same warnings), building rows. Paths
    travel as dotted strings and JSON pointers are made only for a warning."""
    out: list[Row] = []
    stack: list[tuple[Json, str, str | None]] = [
        (c, str(i), None) for i, c in reversed(list(enumerate(items)))
    ]
    seen = log.bom_refs
    while stack:
        item, path, parent_ref = stack.pop()
        ref = item.get("bom-ref") or None
        if ref is not None:
            if ref in seen:
                log.bom_ref(ref, component_pointer(path))  # warns: used twice
            else:
                seen.add(ref)
        out.append(build(item, len(out), path, ref, parent_ref, log))
        children = item.get("components")
        if children:
            stack.extend(
                (child, f"{path}.{j}", ref) for j, child in reversed(list(enumerate(children)))
            )
    return tuple(out)


def _component(
    item: Json, path: tuple[int, ...], parent_ref: str | None, pointer: str, log: IssueLog
) -> Component:
    supplier = item.get("supplier")
    swid = item.get("swid")
    purl_raw = item.get("purl")
    hashes = item.get("hashes")
    references = item.get("externalReferences")
    return Component(
        path=path,
        location=pointer,
        type=item["type"],
        name=item["name"],
        bom_ref=log.bom_ref(item.get("bom-ref"), pointer),
        parent_ref=parent_ref,
        group=item.get("group"),
        version=item.get("version"),
        scope=item.get("scope"),
        supplier_name=supplier.get("name") if supplier else None,
        purl_raw=purl_raw,
        purl_parts=log.purl(purl_raw, pointer + "/purl") if purl_raw is not None else None,
        cpe=item.get("cpe"),
        swid_tag_id=swid.get("tagId") if swid else None,
        licenses=_licenses(item.get("licenses"), log.licenses),
        # tuple([...]) rather than tuple(generator): measurably faster at 100,000 components
        hashes=tuple([Hash(h["alg"], h["content"]) for h in hashes]) if hashes else (),
        external_references=(
            tuple([ExternalReference(r["type"], r["url"]) for r in references])
            if references
            else ()
        ),
    )


def _licenses(
    items: list[Json] | None, known: dict[tuple[str | None, ...], License]
) -> tuple[License, ...]:
    if not items:
        return ()
    out = []
    for item in items:
        license_ = item.get("license")
        if license_ is not None:
            key: tuple[str | None, ...] = (license_.get("id"), license_.get("name"), None)
        elif "expression" in item:
            key = (None, None, item["expression"])
        else:
            continue
        # A few licences cover most components: share one immutable record per document.
        record = known.get(key)
        if record is None:
            record = known[key] = License(*key)
        out.append(record)
    return tuple(out)


def _dependency(item: Json) -> Dependency:
    return Dependency(
        ref=item["ref"],
        depends_on=tuple(item.get("dependsOn") or ()),
        provides=tuple(item.get("provides") or ()),
    )


def _services(items: list[Json], log: IssueLog) -> tuple[Service, ...]:
    out: list[Service] = []
    stack: list[tuple[Json, tuple[int, ...], str | None, str]] = [
        (s, (i,), None, f"/services/{i}") for i, s in reversed(list(enumerate(items)))
    ]
    while stack:
        item, path, parent_ref, pointer = stack.pop()
        provider = item.get("provider")
        service = Service(
            path=path,
            location=pointer,
            name=item["name"],
            bom_ref=log.bom_ref(item.get("bom-ref"), pointer),
            parent_ref=parent_ref,
            group=item.get("group"),
            version=item.get("version"),
            provider_name=provider.get("name") if provider else None,
            endpoints=tuple(item.get("endpoints") or ()),
            authenticated=item.get("authenticated"),
            trust_boundary=item.get("x-trust-boundary"),
            data_flows=tuple(
                DataFlow(classification=d["classification"], flow=d.get("flow"))
                for d in item.get("data") or ()
                if "classification" in d
            ),
        )
        out.append(service)
        children = item.get("services")
        if children:
            stack.extend(
                (child, (*path, j), service.bom_ref, f"{pointer}/services/{j}")
                for j, child in reversed(list(enumerate(children)))
            )
    return tuple(out)


def _vulnerability(item: Json, pointer: str, log: IssueLog) -> Vulnerability:
    source = item.get("source") or {}
    analysis = item.get("analysis") or {}
    return Vulnerability(
        location=pointer,
        id=item.get("id"),
        bom_ref=log.bom_ref(item.get("bom-ref"), pointer),
        source_name=source.get("name"),
        source_url=source.get("url"),
        description=item.get("description"),
        ratings=tuple(
            Rating(
                source_name=(r.get("source") or {}).get("name"),
                score=float(r["score"]) if r.get("score") is not None else None,
                severity=r.get("severity"),
                method=r.get("method"),
                vector=r.get("vector"),
            )
            for r in item.get("ratings") or ()
        ),
        cwes=tuple(item.get("cwes") or ()),
        affects=tuple(
            Affect(
                ref=a["ref"],
                versions=tuple(
                    AffectedVersion(v.get("version"), v.get("range"), v.get("status"))
                    for v in a.get("versions") or ()
                ),
            )
            for a in item.get("affects") or ()
        ),
        analysis_state=analysis.get("state"),
        analysis_justification=analysis.get("justification"),
        analysis_response=tuple(analysis.get("response") or ()),
        analysis_detail=analysis.get("detail"),
    )


def _metadata(meta: Json, log: IssueLog) -> Metadata:
    described = meta.get("component")
    return Metadata(
        timestamp=log.timestamp(meta.get("timestamp"), "/metadata/timestamp"),
        authors=tuple(Contact(a.get("name"), a.get("email")) for a in meta.get("authors") or ()),
        tools=_tools(meta.get("tools")),
        supplier=_organization(meta.get("supplier")),
        manufacturer=_organization(meta.get("manufacturer") or meta.get("manufacture")),
        component=(
            _component(described, (), None, "/metadata/component", log) if described else None
        ),
        lifecycles=tuple(
            Lifecycle(phase=lc.get("phase"), name=lc.get("name"))
            for lc in meta.get("lifecycles") or ()
        ),
    )


def _tools(tools: list[Json] | Json | None) -> tuple[Tool, ...]:
    if not tools:
        return ()
    if isinstance(tools, list):  # legacy form (deprecated in 1.5, still valid)
        return tuple(
            Tool("tool", t.get("name"), vendor=t.get("vendor"), version=t.get("version"))
            for t in tools
        )
    components = tuple(
        Tool("component", c.get("name"), vendor=c.get("group"), version=c.get("version"))
        for c in tools.get("components") or ()
    )
    services = tuple(
        Tool(
            "service",
            s.get("name"),
            vendor=(s.get("provider") or {}).get("name"),
            version=s.get("version"),
        )
        for s in tools.get("services") or ()
    )
    return components + services


def _organization(entity: Json | None) -> OrganizationalEntity | None:
    if not entity:
        return None
    return OrganizationalEntity(name=entity.get("name"), urls=tuple(entity.get("url") or ()))
