"""Normalised records extracted from a CycloneDX or SPDX document (one shape for both).

Plain frozen, slotted dataclasses holding only str/int/float/bool/datetime/tuples, so they are
cheap to build by the hundred thousand, hashable, safe to share between threads, and easy to map
onto database rows. Optional fields are ``None`` when the document does not state them; sequences
are tuples, empty when absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from sbom.errors import SbomIssue
from sbom.purls import PurlParts


class SbomFormat(StrEnum):
    """How the document is written (at most 8 characters: stored as such)."""

    JSON = "json"
    XML = "xml"
    TAG_VALUE = "tagvalue"  # SPDX's line-based "Tag: value" format


class SbomStandard(StrEnum):
    """Which specification the document follows; ``spec_version`` is that standard's version."""

    CYCLONEDX = "cyclonedx"
    SPDX = "spdx"


@dataclass(frozen=True, slots=True)
class OrganizationalEntity:
    name: str | None
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool that made the SBOM: a legacy ``tool`` entry, or (1.5+) a tool component/service.

    ``vendor`` is the legacy vendor, the component's group, or the service's provider name.
    """

    kind: Literal["tool", "component", "service"]
    name: str | None
    vendor: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """A lifecycle entry: a pre-defined ``phase`` or a custom ``name`` (exactly one is set)."""

    phase: str | None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class License:
    """One license choice: an SPDX id, a free-text name, or an SPDX expression (one is set)."""

    spdx_id: str | None = None
    name: str | None = None
    expression: str | None = None


@dataclass(frozen=True, slots=True)
class Hash:
    alg: str
    content: str


@dataclass(frozen=True, slots=True)
class ExternalReference:
    type: str
    url: str


@dataclass(frozen=True, slots=True)
class Component:
    """One component, wherever it sits in the nesting.

    ``path`` is the position among siblings from the top: ``(3,)`` is ``components[3]``,
    ``(3, 0)`` its first nested component; ``()`` is ``metadata.component``. ``parent_ref`` is the
    enclosing component's bom-ref (None at the top or when the parent has none). ``location`` is a
    JSON Pointer (JSON) or ``line N`` (XML). ``purl_raw`` is the string as written; the ``purl*``
    properties are None when it is absent or invalid (an invalid one also yields a warning).
    """

    path: tuple[int, ...]
    location: str
    type: str
    name: str
    bom_ref: str | None = None
    parent_ref: str | None = None
    group: str | None = None
    version: str | None = None
    scope: str | None = None
    supplier_name: str | None = None
    purl_raw: str | None = None
    purl_parts: PurlParts | None = None
    cpe: str | None = None
    swid_tag_id: str | None = None
    licenses: tuple[License, ...] = ()
    hashes: tuple[Hash, ...] = ()
    external_references: tuple[ExternalReference, ...] = ()

    @property
    def depth(self) -> int:
        """0 for a top-level component, 1 for one nested inside it, and so on."""
        return max(len(self.path) - 1, 0)

    @property
    def purl(self) -> str | None:
        return self.purl_parts.canonical if self.purl_parts else None

    @property
    def purl_identity(self) -> str | None:
        return self.purl_parts.identity if self.purl_parts else None

    @property
    def purl_type(self) -> str | None:
        return self.purl_parts.type if self.purl_parts else None

    @property
    def purl_namespace(self) -> str | None:
        return self.purl_parts.namespace if self.purl_parts else None

    @property
    def purl_name(self) -> str | None:
        return self.purl_parts.name if self.purl_parts else None

    @property
    def purl_version(self) -> str | None:
        return self.purl_parts.version if self.purl_parts else None

    @property
    def purl_qualifiers(self) -> tuple[tuple[str, str], ...]:
        return self.purl_parts.qualifiers if self.purl_parts else ()

    @property
    def purl_subpath(self) -> str | None:
        return self.purl_parts.subpath if self.purl_parts else None


@dataclass(frozen=True, slots=True)
class Dependency:
    """One node of the dependency graph: ``ref`` depends on each of ``depends_on``."""

    ref: str
    depends_on: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DataFlow:
    classification: str
    flow: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """One service; nesting is kept as for :class:`Component` (``path`` and ``parent_ref``)."""

    path: tuple[int, ...]
    location: str
    name: str
    bom_ref: str | None = None
    parent_ref: str | None = None
    group: str | None = None
    version: str | None = None
    provider_name: str | None = None
    endpoints: tuple[str, ...] = ()
    authenticated: bool | None = None
    trust_boundary: bool | None = None
    data_flows: tuple[DataFlow, ...] = ()


@dataclass(frozen=True, slots=True)
class Rating:
    source_name: str | None = None
    score: float | None = None
    severity: str | None = None
    method: str | None = None
    vector: str | None = None


@dataclass(frozen=True, slots=True)
class AffectedVersion:
    """A version or a version range (vers syntax) of the affected target, with its status."""

    version: str | None = None
    range: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Affect:
    ref: str
    versions: tuple[AffectedVersion, ...] = ()


@dataclass(frozen=True, slots=True)
class Vulnerability:
    """An embedded vulnerability or VEX statement (``analysis_*`` is the VEX part)."""

    location: str
    id: str | None = None
    bom_ref: str | None = None
    source_name: str | None = None
    source_url: str | None = None
    description: str | None = None
    ratings: tuple[Rating, ...] = ()
    cwes: tuple[int, ...] = ()
    affects: tuple[Affect, ...] = ()
    analysis_state: str | None = None
    analysis_justification: str | None = None
    analysis_response: tuple[str, ...] = ()
    analysis_detail: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    timestamp: datetime | None = None
    authors: tuple[Contact, ...] = ()
    tools: tuple[Tool, ...] = ()
    supplier: OrganizationalEntity | None = None
    # 1.6+ ``manufacturer``, else the deprecated 1.2-1.5 ``manufacture``.
    manufacturer: OrganizationalEntity | None = None
    component: Component | None = None
    lifecycles: tuple[Lifecycle, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedSbom:
    """Everything extracted from one accepted document.

    ``components`` and ``services`` are flat, in document (pre-)order, nested ones included.
    ``raw_component_count`` is counted separately from the raw document, so callers can check
    that no component was lost between the document and their storage. For SPDX, packages are
    the components (the one described package, if there is exactly one, is
    ``metadata.component``), ``serial_number`` is the document namespace, and ``version`` is 1.
    """

    format: SbomFormat
    spec_version: str
    sha256: str
    size_bytes: int
    metadata: Metadata
    components: tuple[Component, ...]
    dependencies: tuple[Dependency, ...]
    services: tuple[Service, ...]
    vulnerabilities: tuple[Vulnerability, ...]
    raw_component_count: int
    serial_number: str | None = None
    version: int = 1
    warnings: tuple[SbomIssue, ...] = ()
    standard: SbomStandard = SbomStandard.CYCLONEDX
    # With parse_sbom's ``component_row``, a CycloneDX JSON document's components as the rows
    # it built (``components`` is then empty); None when components were read as records.
    component_rows: tuple[tuple[Any, ...], ...] | None = None
    # The caller's rows of the dependencies, instead of ``dependencies`` (see parse_sbom).
    dependency_rows: tuple[tuple[Any, ...], ...] | None = None
