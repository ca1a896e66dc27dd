"""SPDX 2.x (as its JSON shape, already schema-valid) to the records CycloneDX documents give.

Both SPDX readers end here: JSON directly, tag-value after conversion to the same shape. Values
are mapped onto CycloneDX's vocabulary, so stored records, quality scores and the CycloneDX export
do not need to know where a component came from:

- a package is a component; if the document describes exactly one package (``documentDescribes``
  or ``DESCRIBES``), that one is ``metadata.component``, as a CycloneDX generator would write it;
- purl from a ``PACKAGE-MANAGER``/``PACKAGE_MANAGER`` ``purl`` reference, CPE from a ``SECURITY``
  ``cpe23Type`` (else ``cpe22Type``) one, SWID from a ``swid`` one; other references, the home
  page ("website") and the download location ("distribution") become external references;
- the licence is the concluded one, else the declared one (``NOASSERTION``/``NONE``: none);
- supplier, else originator, is the supplier (the NTIA element names whoever made the component);
- relationships that say "A needs or holds B" become dependency edges A -> B.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import orjson

from sbom.errors import IssueCode
from sbom.extracted import Extracted
from sbom.issuelog import IssueLog
from sbom.models import (
    Component,
    Contact,
    Dependency,
    ExternalReference,
    Hash,
    License,
    Metadata,
    OrganizationalEntity,
    SbomStandard,
    Tool,
)
from sbom.schemas import SCHEMA_DIR, json_schema_path

Json = dict[str, Any]
Locate = Callable[[str], str]

NO_VALUE = frozenset({"NOASSERTION", "NONE"})
_PURL_CATEGORIES = frozenset({"PACKAGE-MANAGER", "PACKAGE_MANAGER"})
# "A <type> B" means A needs or holds B ...
_FORWARD = frozenset({"DEPENDS_ON", "CONTAINS", "STATIC_LINK", "DYNAMIC_LINK", "HAS_PREREQUISITE"})
# ... or B needs or holds A.
_REVERSE = frozenset(
    {
        "DEPENDENCY_OF",
        "CONTAINED_BY",
        "BUILD_DEPENDENCY_OF",
        "DEV_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF",
        "PROVIDED_DEPENDENCY_OF",
        "TEST_DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF",
        "OPTIONAL_COMPONENT_OF",
        "PREREQUISITE_FOR",
    }
)
_PURPOSES = {
    "APPLICATION": "application",
    "FRAMEWORK": "framework",
    "LIBRARY": "library",
    "CONTAINER": "container",
    "OPERATING_SYSTEM": "operating-system",  # JSON's spelling; tag-value's is converted
    "DEVICE": "device",
    "FIRMWARE": "firmware",
    "FILE": "file",
}  # SOURCE, ARCHIVE, INSTALL, OTHER and none: "library", as converters commonly do
# CycloneDX names; SHA224, MD2, MD4, MD6 and ADLER32 have none and are left out.
_HASH_ALGORITHMS = {
    "SHA1": "SHA-1",
    "SHA256": "SHA-256",
    "SHA384": "SHA-384",
    "SHA512": "SHA-512",
    **{name: name for name in ("MD5", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE3")},
    **{f"BLAKE2b-{bits}": f"BLAKE2b-{bits}" for bits in (256, 384, 512)},
}
_ACTOR = re.compile(r"(Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*")
_TOOL_VERSION = re.compile(r"(.+?)[-@ ]v?(\d[\w.+~-]*)")
_SINGLE_LICENSE = re.compile(r"[A-Za-z0-9.+:-]+")


def read_spdx_records(
    document: Json, spec_version: str, log: IssueLog, locate: Locate, raw_package_count: int
) -> Extracted:
    packages: list[Json] = document.get("packages") or []
    described = _described(document)
    described_packages = [i for i, p in enumerate(packages) if p["SPDXID"] in described]
    root = described_packages[0] if len(described_packages) == 1 else None
    root_package = packages[root] if root is not None else None
    root_component = None
    components: list[Component] = []
    for index, package in enumerate(packages):
        if index == root:
            root_component = _component(package, index, (), log, locate)
        else:
            components.append(_component(package, index, (len(components),), log, locate))
    return Extracted(
        spec_version=spec_version,
        serial_number=document.get("documentNamespace"),
        version=1,
        metadata=_metadata(document, root_component, root_package, log, locate),
        components=tuple(components),
        dependencies=_dependencies(document, {p["SPDXID"] for p in packages}, log, locate),
        services=(),
        vulnerabilities=(),
        raw_component_count=raw_package_count - (1 if root is not None else 0),
        standard=SbomStandard.SPDX,
    )


def _described(document: Json) -> set[str]:
    me = document.get("SPDXID", "SPDXRef-DOCUMENT")
    described = set(document.get("documentDescribes") or ())
    for r in document.get("relationships") or ():
        if r["relationshipType"] == "DESCRIBES" and r["spdxElementId"] == me:
            described.add(r["relatedSpdxElement"])
        elif r["relationshipType"] == "DESCRIBED_BY" and r["relatedSpdxElement"] == me:
            described.add(r["spdxElementId"])
    return described


def _component(
    package: Json, index: int, path: tuple[int, ...], log: IssueLog, locate: Locate
) -> Component:
    pointer = f"/packages/{index}"
    location = locate(pointer)
    purl_raw: str | None = None
    purl_pointer = ""
    cpe22: str | None = None
    cpe23: str | None = None
    swid: str | None = None
    references: list[ExternalReference] = []
    for j, ref in enumerate(package.get("externalRefs") or ()):
        category, kind, locator = (
            ref["referenceCategory"],
            ref["referenceType"],
            ref["referenceLocator"],
        )
        if category in _PURL_CATEGORIES and kind == "purl" and purl_raw is None:
            purl_raw, purl_pointer = locator, f"{pointer}/externalRefs/{j}/referenceLocator"
        elif category == "SECURITY" and kind == "cpe23Type" and cpe23 is None:
            cpe23 = locator
        elif category == "SECURITY" and kind == "cpe22Type" and cpe22 is None:
            cpe22 = locator
        elif kind == "swid" and swid is None:
            swid = locator.removeprefix("swid:")
        else:
            references.append(ExternalReference(_reference_type(kind), locator))
    for kind, key in (("website", "homepage"), ("distribution", "downloadLocation")):
        url = package.get(key)
        if url and url not in NO_VALUE:
            references.append(ExternalReference(kind, url))
    checksums = package.get("checksums") or ()
    return Component(
        path=path,
        location=location,
        type=_PURPOSES.get(package.get("primaryPackagePurpose", ""), "library"),
        name=package["name"],
        bom_ref=log.bom_ref(package["SPDXID"], location),
        version=package.get("versionInfo"),
        supplier_name=(
            _actor_name(package.get("supplier")) or _actor_name(package.get("originator"))
        ),
        purl_raw=purl_raw,
        purl_parts=log.purl(purl_raw, locate(purl_pointer)) if purl_raw is not None else None,
        cpe=cpe23 or cpe22,
        swid_tag_id=swid,
        licenses=_licenses(package, log.licenses),
        hashes=tuple(
            [
                Hash(_HASH_ALGORITHMS[c["algorithm"]], c["checksumValue"])
                for c in checksums
                if c["algorithm"] in _HASH_ALGORITHMS
            ]
        ),
        external_references=tuple(references),
    )


def _licenses(package: Json, known: dict[tuple[str | None, ...], License]) -> tuple[License, ...]:
    text = package.get("licenseConcluded")
    if not text or text in NO_VALUE:
        text = package.get("licenseDeclared")
        if not text or text in NO_VALUE:
            return ()
    text = text.strip()
    key: tuple[str | None, ...]
    if _SINGLE_LICENSE.fullmatch(text):
        spdx_id = spdx_license_ids().get(text.lower())
        key = (spdx_id, None, None) if spdx_id else (None, text, None)  # LicenseRef-... a name
    else:
        key = (None, None, text)
    record = known.get(key)
    if record is None:
        record = known[key] = License(*key)
    return (record,)


def _dependencies(
    document: Json, package_ids: set[str], log: IssueLog, locate: Locate
) -> tuple[Dependency, ...]:
    defined = {document.get("SPDXID", "SPDXRef-DOCUMENT"), *package_ids}
    defined.update(f["SPDXID"] for f in document.get("files") or ())
    defined.update(s["SPDXID"] for s in document.get("snippets") or ())
    edges: dict[str, dict[str, None]] = {}  # insertion-ordered sets
    for index, relation in enumerate(document.get("relationships") or ()):
        kind = relation["relationshipType"]
        element, related = relation["spdxElementId"], relation["relatedSpdxElement"]
        for end in (element, related):
            if end not in defined and end not in NO_VALUE and not end.startswith("DocumentRef-"):
                log.warn(
                    IssueCode.UNKNOWN_REFERENCE,
                    f"{kind} names {end!r}, which this document does not define",
                    locate(f"/relationships/{index}"),
                )
        if kind in _FORWARD:
            source, target = element, related
        elif kind in _REVERSE:
            source, target = related, element
        else:
            continue
        if source in package_ids and target in package_ids:
            edges.setdefault(source, {})[target] = None
        elif source in package_ids and target == "NONE":
            # "A DEPENDS_ON NONE" states that A has none: an entry without targets.
            edges.setdefault(source, {})
    return tuple(Dependency(ref, tuple(targets)) for ref, targets in edges.items())


def _metadata(
    document: Json,
    root: Component | None,
    root_package: Json | None,
    log: IssueLog,
    locate: Locate,
) -> Metadata:
    creation = document["creationInfo"]
    authors: list[Contact] = []
    organisations: list[str] = []
    tools: list[Tool] = []
    for creator in creation.get("creators") or ():
        actor = _ACTOR.fullmatch(creator)
        if actor is None:
            continue
        kind, name, email = actor.groups()
        if kind == "Person":
            authors.append(Contact(name or None, email or None))
        elif kind == "Organization":
            organisations.append(name)
        else:
            tool = _TOOL_VERSION.fullmatch(name)
            tools.append(
                Tool("tool", tool.group(1), version=tool.group(2)) if tool else Tool("tool", name)
            )
    supplier = _actor_name(root_package.get("supplier")) if root_package else None
    return Metadata(
        timestamp=log.timestamp(creation.get("created"), locate("/creationInfo/created")),
        authors=tuple(authors),
        tools=tuple(tools),
        supplier=OrganizationalEntity(supplier) if supplier else None,
        manufacturer=OrganizationalEntity(organisations[0]) if organisations else None,
        component=root,
    )


def _actor_name(value: str | None) -> str | None:
    if not value or value in NO_VALUE:
        return None
    actor = _ACTOR.fullmatch(value)
    return (actor.group(2) or None) if actor else value


def _reference_type(kind: str) -> str:
    lowered = kind.lower()
    if lowered in cyclonedx_reference_types():
        return lowered
    return "advisories" if lowered == "advisory" else "other"


@cache
def cyclonedx_reference_types() -> frozenset[str]:
    """External reference types CycloneDX 1.6 (the export's version) accepts."""
    schema = orjson.loads(json_schema_path("1.6").read_bytes())
    return frozenset(schema["definitions"]["externalReference"]["properties"]["type"]["enum"])


@cache
def spdx_license_ids() -> dict[str, str]:
    """SPDX licence ids by their lower-case form (ids match case-insensitively), from the licence
    list CycloneDX validates ``license.id`` against."""
    listed = orjson.loads((SCHEMA_DIR / "spdx.SNAPSHOT.schema.json").read_bytes())["enum"]
    return {license_id.lower(): license_id for license_id in listed}
