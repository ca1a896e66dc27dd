"""Write extracted records as an SPDX 2.3 JSON document.

The inverse of :mod:`sbom.spdx_records`, so an SPDX upload exported again reads back alike:

- the described component (``metadata.component``) is the package the document DESCRIBES; without
  one, every top-level component is described;
- each component is a package: purl (PACKAGE-MANAGER), CPE and SWID (SECURITY) and the other
  references (OTHER) as external references, the "website" reference as the home page, the
  "distribution" one as the download location, checksums, supplier as ``Organization:``, the
  licences as ``licenseDeclared`` (a free-text licence name becomes a ``LicenseRef-`` with its
  text in ``hasExtractedLicensingInfos``), its type as ``primaryPackagePurpose``;
- a dependency edge is ``DEPENDS_ON``; a nested component is ``CONTAINS``-ed by its parent.

SPDX 2.3 has no place for CycloneDX services and embedded vulnerabilities (VEX): they are left out,
and the document's comment says so. Values SPDX tools refuse (a URL with spaces, an unknown
checksum algorithm) are left out rather than written invalid. Package ids keep the SBOM's
``SPDXRef-`` ids where they are valid and unique, else are numbered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from sbom.cpe import valid_cpe
from sbom.models import Component, License, ParsedSbom

Json = dict[str, Any]
SPDX_EXPORT_VERSION = "SPDX-2.3"

_ALGORITHMS = {
    "SHA-1": "SHA1",
    "SHA-256": "SHA256",
    "SHA-384": "SHA384",
    "SHA-512": "SHA512",
    "MD5": "MD5",
    "SHA3-256": "SHA3-256",
    "SHA3-384": "SHA3-384",
    "SHA3-512": "SHA3-512",
    "BLAKE3": "BLAKE3",
    "BLAKE2b-256": "BLAKE2b-256",
    "BLAKE2b-384": "BLAKE2b-384",
    "BLAKE2b-512": "BLAKE2b-512",
}
_PURPOSES = {
    "application": "APPLICATION",
    "framework": "FRAMEWORK",
    "library": "LIBRARY",
    "container": "CONTAINER",
    "operating-system": "OPERATING_SYSTEM",
    "device": "DEVICE",
    "firmware": "FIRMWARE",
    "file": "FILE",
}  # platform, device-driver, machine-learning-model, data, cryptographic-asset: OTHER
_SPDX_ID = re.compile(r"SPDXRef-[A-Za-z0-9.-]+")
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9.-]+")
_URL = re.compile(r"(https?|ftp)://[^\s]+", re.IGNORECASE)
_NO_SPACE = re.compile(r"\S+")
# An SPDX licence expression: ids, LicenseRef-s, operators and parentheses only.
_EXPRESSION_TOKEN = re.compile(r"\(|\)|[A-Za-z0-9.+:-]+")
# Deprecated list ids such as GPL-2.0-with-classpath-exception: SPDX tools read "-with-" ids
# as exceptions without a licence and refuse them, so they are written as LicenseRef-s.
_DEPRECATED_WITH = re.compile(r"-with-[A-Za-z0-9.-]*exception", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SpdxDocumentInfo:
    """What the records do not say about the new document: its name, its unique namespace (a URI
    without '#'), when it was created, and by which tool (``name-version``)."""

    name: str
    namespace: str
    created: datetime
    tool: str
    comment: str | None = None


def to_spdx_json(parsed: ParsedSbom, info: SpdxDocumentInfo) -> bytes:
    return orjson.dumps(spdx_document(parsed, info))


def spdx_document(parsed: ParsedSbom, info: SpdxDocumentInfo) -> Json:
    ids = _Ids()
    licences = _Licences()
    root = parsed.metadata.component
    root_id = ids.assign(root) if root is not None else None
    component_ids = [ids.assign(c) for c in parsed.components]
    pairs = list(zip(parsed.components, component_ids, strict=True))
    packages = [] if root is None else [_package(root, root_id or "", licences)]
    packages += [_package(c, i, licences) for c, i in pairs]
    described = [root_id] if root_id else [i for c, i in pairs if len(c.path) == 1]
    # A document must describe something; one without packages (a VEX) describes NONE.
    relationships = [
        _relation("SPDXRef-DOCUMENT", "DESCRIBES", target) for target in described or ["NONE"]
    ]
    relationships += _dependencies(parsed, ids)
    relationships += _containment(parsed.components, component_ids)
    left_out = [
        f"{len(records)} {what}"
        for records, what in (
            (parsed.services, "services"),
            (parsed.vulnerabilities, "vulnerabilities"),
        )
        if records
    ]
    comment = " ".join(
        part
        for part in (
            info.comment,
            f"SPDX 2.3 has no place for {' and '.join(left_out)}: left out." if left_out else None,
        )
        if part
    )
    creation: Json = {"created": _timestamp(info.created), "creators": _creators(parsed, info)}
    if comment:
        creation["comment"] = comment
    document: Json = {
        "spdxVersion": SPDX_EXPORT_VERSION,
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": info.name,
        "documentNamespace": info.namespace,
        "creationInfo": creation,
        "packages": packages,
        "relationships": relationships,
    }
    if licences.extracted:
        document["hasExtractedLicensingInfos"] = licences.extracted
    return document


class _Ids:
    """SPDX ids for components: the SBOM's own where valid and unique, else numbered."""

    def __init__(self) -> None:
        self.by_ref: dict[str, str] = {}
        self.used: set[str] = set()

    def assign(self, component: Component) -> str:
        ref = component.bom_ref
        candidate = ref if ref and _SPDX_ID.fullmatch(ref) else None
        if candidate is None or candidate in self.used:
            stem = _NOT_IN_ID.sub("-", component.name).strip("-.")[:60] or "package"
            candidate = f"SPDXRef-Package-{len(self.used) + 1}-{stem}"
        self.used.add(candidate)
        if ref and ref not in self.by_ref:
            self.by_ref[ref] = candidate
        return candidate


class _Licences:
    """Licence texts as SPDX expressions; free-text names become LicenseRef-s."""

    def __init__(self) -> None:
        self.refs: dict[str, str] = {}
        self.extracted: list[Json] = []

    def expression(self, licenses: tuple[License, ...]) -> str | None:
        parts = [p for p in (self._one(lic) for lic in licenses) if p]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return " AND ".join(f"({p})" if " " in p else p for p in parts)

    def _one(self, licence: License) -> str | None:
        if licence.spdx_id and not _DEPRECATED_WITH.search(licence.spdx_id):
            return licence.spdx_id
        if licence.expression and _is_expression(licence.expression):
            return licence.expression
        text = licence.spdx_id or licence.name or licence.expression
        if not text:
            return None
        ref = self.refs.get(text)
        if ref is None:
            if text.startswith("LicenseRef-") and _SPDX_ID.fullmatch("SPDXRef-" + text[11:]):
                ref = text  # already a reference; SPDX wants its text listed, the name is all
            else:
                stem = _NOT_IN_ID.sub("-", text).strip("-.")[:40] or "licence"
                ref = f"LicenseRef-{len(self.refs) + 1}-{stem}"
            self.refs[text] = ref
            self.extracted.append({"licenseId": ref, "extractedText": text, "name": text})
        return ref


def _is_expression(text: str) -> bool:
    if _DEPRECATED_WITH.search(text):
        return False
    tokens = _EXPRESSION_TOKEN.findall(text)
    return "".join(tokens) == re.sub(r"\s+", "", text) and text.count("(") == text.count(")")


def _package(component: Component, spdx_id: str, licences: _Licences) -> Json:
    package: Json = {"name": component.name, "SPDXID": spdx_id}
    if component.version is not None:
        package["versionInfo"] = component.version
    package["primaryPackagePurpose"] = _PURPOSES.get(component.type, "OTHER")
    if component.supplier_name:
        package["supplier"] = f"Organization: {component.supplier_name}"
    references: list[Json] = []
    download = homepage = None
    for reference in component.external_references:
        url = reference.url
        if reference.type == "distribution" and download is None and _URL.fullmatch(url):
            download = url
        elif reference.type == "website" and homepage is None and _URL.fullmatch(url):
            homepage = url
        elif _NO_SPACE.fullmatch(url):
            references.append(_reference("OTHER", reference.type, url))
    package["downloadLocation"] = download or "NOASSERTION"
    package["filesAnalyzed"] = False
    if homepage:
        package["homepage"] = homepage
    checksums = [
        {"algorithm": _ALGORITHMS[h.alg], "checksumValue": h.content.lower()}
        for h in component.hashes
        if h.alg in _ALGORITHMS
    ]
    if checksums:
        package["checksums"] = checksums
    package["licenseConcluded"] = "NOASSERTION"
    package["licenseDeclared"] = licences.expression(component.licenses) or "NOASSERTION"
    package["copyrightText"] = "NOASSERTION"
    purl = component.purl or component.purl_raw
    identity = []
    if purl and _NO_SPACE.fullmatch(purl):
        identity.append(_reference("PACKAGE-MANAGER", "purl", purl))
    cpe = valid_cpe(component.cpe) if component.cpe else None
    if cpe is not None:
        kind = "cpe23Type" if cpe.startswith("cpe:2.3:") else "cpe22Type"
        identity.append(_reference("SECURITY", kind, cpe))
    if component.swid_tag_id and _NO_SPACE.fullmatch(component.swid_tag_id):
        identity.append(_reference("SECURITY", "swid", f"swid:{component.swid_tag_id}"))
    if identity or references:
        package["externalRefs"] = identity + references
    return package


def _reference(category: str, kind: str, locator: str) -> Json:
    return {"referenceCategory": category, "referenceType": kind, "referenceLocator": locator}


def _relation(element: str, kind: str, related: str) -> Json:
    return {"spdxElementId": element, "relationshipType": kind, "relatedSpdxElement": related}


def _dependencies(parsed: ParsedSbom, ids: _Ids) -> list[Json]:
    out: list[Json] = []
    seen: set[tuple[str, str]] = set()
    for dependency in parsed.dependencies:
        source = ids.by_ref.get(dependency.ref)
        for ref in dependency.depends_on:
            target = ids.by_ref.get(ref)
            if source and target and (source, target) not in seen:
                seen.add((source, target))
                out.append(_relation(source, "DEPENDS_ON", target))
    return out


def _containment(components: tuple[Component, ...], ids: list[str]) -> list[Json]:
    by_path = {c.path: i for c, i in zip(components, ids, strict=True)}
    return [
        _relation(by_path[c.path[:-1]], "CONTAINS", i)
        for c, i in zip(components, ids, strict=True)
        if len(c.path) > 1 and c.path[:-1] in by_path
    ]


def _creators(parsed: ParsedSbom, info: SpdxDocumentInfo) -> list[str]:
    creators = [f"Tool: {info.tool}"]
    metadata = parsed.metadata
    for tool in metadata.tools:
        if tool.name:
            creators.append(f"Tool: {tool.name}" + (f"-{tool.version}" if tool.version else ""))
    for author in metadata.authors:
        if author.name:
            creators.append(
                f"Person: {author.name}" + (f" ({author.email})" if author.email else "")
            )
    if metadata.manufacturer is not None and metadata.manufacturer.name:
        creators.append(f"Organization: {metadata.manufacturer.name}")
    return list(dict.fromkeys(creators))


def _timestamp(moment: datetime) -> str:
    # Whole seconds: spdx-tools refuses fractions (the schema would take them).
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
