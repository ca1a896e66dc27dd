"""GraphQL types of stored SBOMs. ``Sbom`` is one stored document (a version of an SBOM)."""

from __future__ import annotations

from typing import Any

import graphene
import orjson
from graphene import relay

from procurement.enums import SbomStandard as SbomStandardValue
from procurement.models import Sbom as SbomModel
from procurement.models import SbomComponent, SbomDependency, SbomService, SbomVulnerability
from procurement.models import SbomVersion as SbomVersionModel
from procurement.sboms import reads as sbom_reads
from schema.context import context_of
from schema.core.describe import enum_description
from schema.core.pagination import CountedConnection, connection, page_args
from schema.core.scalars import JSON
from schema.purchases.loaders import PurchaseByIdLoader
from schema.sboms.loaders import (
    SbomHistoryBySeriesIdLoader,
    SbomSeriesByIdLoader,
    SbomVersionByIdLoader,
)

SbomStandardEnum = graphene.Enum.from_enum(
    SbomStandardValue,
    name="SbomStandard",
    description=enum_description(
        "The specification a document follows",
        CYCLONEDX="OWASP CycloneDX",
        SPDX="Linux Foundation SPDX",
    ),
)


def _loads(text: str | None) -> Any:
    return orjson.loads(text) if text else []


class QualityCoverage(graphene.ObjectType):
    """Share of components (0-1) having each NTIA minimum element; author/timestamp are 0 or 1."""

    supplier = graphene.Float(
        required=True, description="Share of components naming their supplier"
    )
    component_name = graphene.Float(required=True, description="Share of components having a name")
    version = graphene.Float(required=True, description="Share of components having a version")
    unique_identifier = graphene.Float(
        required=True, description="Share of components with a valid purl, a CPE or a SWID tag id"
    )
    dependencies = graphene.Float(
        required=True, description="Share of components taking part in the dependency graph"
    )
    author = graphene.Float(
        required=True, description="1 when the document names its author, else 0"
    )
    timestamp = graphene.Float(
        required=True, description="1 when the document has a timestamp, else 0"
    )


class SbomQuality(graphene.ObjectType):
    """How complete an SBOM is, against the NTIA minimum elements"""

    score = graphene.Float(required=True, description="0-100, equal weights of the 7 elements")
    coverage = graphene.Field(QualityCoverage, required=True, description="Per-element coverage")


class SbomIssue(graphene.ObjectType):
    """A problem found in an SBOM document"""

    code = graphene.String(required=True, description="Machine-readable kind of problem")
    message = graphene.String(required=True, description="What is wrong, for people")
    location = graphene.String(description="JSON Pointer or XML line")


class License(graphene.ObjectType):
    """A declared license: an SPDX id, a name or an expression"""

    spdx_id = graphene.String(description="SPDX license identifier, e.g. Apache-2.0")
    name = graphene.String(description="License name when not an SPDX identifier")
    expression = graphene.String(description="SPDX license expression, e.g. MIT OR Apache-2.0")


class Hash(graphene.ObjectType):
    """A hash of a component"""

    alg = graphene.String(required=True, description="Algorithm, e.g. SHA-256")
    content = graphene.String(required=True, description="Hex digest")


class ExternalReference(graphene.ObjectType):
    """A link from a component to outside information"""

    type = graphene.String(
        required=True, description="Kind of reference, e.g. website, vcs, advisories"
    )
    url = graphene.String(required=True, description="The URL")


class Component(graphene.ObjectType):
    """A component (package, library, ...) listed in an SBOM"""

    bom_ref = graphene.String(description="The component's bom-ref (CycloneDX) or SPDXID")
    type = graphene.String(
        required=True,
        description="The component type, e.g. library, application, operating-system",
    )
    group = graphene.String(description="Group or namespace, e.g. a Maven groupId")
    name = graphene.String(required=True, description="The component's name")
    version = graphene.String(description="The component's version")
    scope = graphene.String(description="CycloneDX scope: required, optional or excluded")
    supplier = graphene.String(description="The supplier's name")
    purl = graphene.String(description="Normalised package URL (qualifiers kept)")
    purl_identity = graphene.String(description="type/namespace/name@version: the matching key")
    purl_raw = graphene.String(description="As written, when invalid or not canonical")
    cpe = graphene.String(description="CPE identifier")
    parent_ref = graphene.String(description="bom-ref of the enclosing component, if nested")
    depth = graphene.Int(required=True, description="0 for a top-level component")
    licenses = graphene.List(
        graphene.NonNull(License), required=True, description="Licenses declared for the component"
    )
    hashes = graphene.List(
        graphene.NonNull(Hash), required=True, description="Hashes of the component"
    )
    external_references = graphene.List(
        graphene.NonNull(ExternalReference),
        required=True,
        description="Links to websites, repositories, advisories and the like",
    )

    @staticmethod
    def resolve_purl_identity(root: SbomComponent, _info: Any) -> str | None:
        if root.purl is None:
            return None
        cut = len(root.purl)
        for separator in "?#":
            found = root.purl.find(separator)
            if 0 <= found < cut:
                cut = found
        return root.purl[:cut]

    @staticmethod
    def resolve_depth(root: SbomComponent, _info: Any) -> int:
        return root.path.count(".")

    @staticmethod
    def resolve_licenses(root: SbomComponent, _info: Any) -> list[License]:
        return [License(spdx_id=a, name=b, expression=c) for a, b, c in _loads(root.licenses_json)]

    @staticmethod
    def resolve_hashes(root: SbomComponent, _info: Any) -> list[Hash]:
        return [Hash(alg=a, content=c) for a, c in _loads(root.hashes_json)]

    @staticmethod
    def resolve_external_references(root: SbomComponent, _info: Any) -> list[ExternalReference]:
        return [ExternalReference(type=t, url=u) for t, u in _loads(root.external_references_json)]


class ComponentConnection(CountedConnection):
    class Meta:
        node = Component
        description = "A page of Component nodes, with the total count"


class Dependency(graphene.ObjectType):
    """What one component depends on"""

    ref = graphene.String(required=True, description="bom-ref of the depending component")
    depends_on = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="bom-refs it depends on"
    )

    @staticmethod
    def resolve_depends_on(root: SbomDependency, _info: Any) -> list[str]:
        return list(_loads(root.depends_on_json))


class DependencyConnection(CountedConnection):
    class Meta:
        node = Dependency
        description = "A page of Dependency nodes, with the total count"


class Service(graphene.ObjectType):
    """A service (e.g. an API) listed in a CycloneDX SBOM"""

    bom_ref = graphene.String(description="The service's bom-ref")
    name = graphene.String(required=True, description="The service's name")
    group = graphene.String(description="Group or namespace")
    version = graphene.String(description="The service's version")
    provider = graphene.String(description="Name of the organisation providing it")
    endpoints = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Endpoint URLs"
    )
    authenticated = graphene.Boolean(
        description="Whether it requires authentication; null: not stated"
    )
    trust_boundary = graphene.Boolean(
        description="Whether calling it crosses a trust boundary; null: not stated"
    )

    @staticmethod
    def resolve_endpoints(root: SbomService, _info: Any) -> list[str]:
        return list(_loads(root.endpoints_json))


class Rating(graphene.ObjectType):
    """A severity rating of a vulnerability"""

    source = graphene.String(description="Who rated it")
    score = graphene.Float(description="Numeric score, e.g. a CVSS base score")
    severity = graphene.String(description="Severity as written, e.g. high")
    method = graphene.String(description="Scoring method, e.g. CVSSv31")
    vector = graphene.String(description="The method's vector string")


class Vulnerability(graphene.ObjectType):
    """An embedded vulnerability or VEX statement of the SBOM."""

    id = graphene.String(description="Identifier, e.g. CVE-2021-44228")
    source = graphene.String(description="Name of the source of the identifier, e.g. NVD")
    source_url = graphene.String(description="URL of that source")
    description = graphene.String(description="The vulnerability's description as written")
    ratings = graphene.List(graphene.NonNull(Rating), required=True, description="Severity ratings")
    cwes = graphene.List(graphene.NonNull(graphene.Int), required=True, description="CWE numbers")
    affects = graphene.Field(JSON, required=True, description="[{ref, versions}]")
    analysis_state = graphene.String(description="VEX state, e.g. not_affected, exploitable")
    analysis_justification = graphene.String(
        description="VEX justification, e.g. code_not_reachable"
    )
    analysis_response = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="VEX responses, e.g. update, will_not_fix",
    )
    analysis_detail = graphene.String(description="VEX detail text")

    @staticmethod
    def resolve_id(root: SbomVulnerability, _info: Any) -> str | None:
        return root.vuln_id

    @staticmethod
    def resolve_source(root: SbomVulnerability, _info: Any) -> str | None:
        return root.source_name

    @staticmethod
    def resolve_ratings(root: SbomVulnerability, _info: Any) -> list[Rating]:
        return [
            Rating(source=a, score=b, severity=c, method=d, vector=e)
            for a, b, c, d, e in _loads(root.ratings_json)
        ]

    @staticmethod
    def resolve_cwes(root: SbomVulnerability, _info: Any) -> list[int]:
        return list(_loads(root.cwes_json))

    @staticmethod
    def resolve_affects(root: SbomVulnerability, _info: Any) -> Any:
        return _loads(root.affects_json)

    @staticmethod
    def resolve_analysis_response(root: SbomVulnerability, _info: Any) -> list[str]:
        return list(_loads(root.analysis_response_json))


class VulnerabilityConnection(CountedConnection):
    class Meta:
        node = Vulnerability
        description = "A page of Vulnerability nodes, with the total count"


class ComponentFilterInput(graphene.InputObjectType):
    """Which components to list"""

    search = graphene.String(description="Part of the name or group")
    purl_type = graphene.String(description="e.g. maven, npm, pypi")
    has_purl = graphene.Boolean(
        description="Only those with (true) or without (false) a package URL"
    )
    has_supplier = graphene.Boolean(
        description="Only those with (true) or without (false) a supplier"
    )


async def _series_of(version: SbomVersionModel, info: Any) -> SbomModel:
    series = await SbomSeriesByIdLoader(info).load(version.sbom_id)
    if series is None:  # the same scope hides a version and its series: a broken invariant
        raise LookupError(f"SBOM {version.sbom_id} of visible version {version.id} is hidden")
    return series


async def _name_of(version: SbomVersionModel, info: Any) -> str:
    return str((await _series_of(version, info)).name)


class Sbom(graphene.ObjectType):
    """One stored SBOM document: a version of one of a purchase's SBOMs."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(
        required=True, description="Which SBOM of the purchase this is a version of"
    )
    number = graphene.Int(required=True, description="Version number within this SBOM, from 1")
    is_current = graphene.Boolean(
        required=True, description="True for the newest version of this SBOM"
    )
    superseded_at = graphene.DateTime(
        description="When a newer version replaced this one; null while current"
    )
    purchase = graphene.Field(
        "schema.purchases.types.Purchase",
        required=True,
        description="The purchase the SBOM belongs to",
    )
    history = graphene.List(
        graphene.NonNull(lambda: Sbom), required=True, description="All versions, newest first"
    )
    standard = graphene.Field(SbomStandardEnum, required=True, description="CycloneDX or SPDX")
    format = graphene.String(required=True, description="json, xml or tagvalue (SPDX)")
    spec_version = graphene.String(required=True, description="of the standard: 1.6, 2.3, ...")
    serial_number = graphene.String(description="CycloneDX serialNumber or SPDX namespace")
    download_path = graphene.String(
        required=True,
        description="REST download of this version, e.g. /api/sboms/1/document: as uploaded, or "
        "with ?format=json|xml (CycloneDX 1.6) or ?format=spdx (SPDX 2.3 JSON)",
    )
    bom_version = graphene.Int(
        required=True,
        description="The document's own version field (CycloneDX version; 1 for SPDX)",
    )
    sha256 = graphene.String(required=True, description="SHA-256 of the document as uploaded, hex")
    size_bytes = graphene.Int(
        required=True, description="Size of the document as uploaded, in bytes"
    )
    uploaded_at = graphene.DateTime(required=True, description="When it was uploaded")
    uploaded_by = graphene.String(required=True, description="Who uploaded it")
    component_count = graphene.Int(
        required=True, description="How many components the document lists"
    )
    quality = graphene.Field(
        SbomQuality, required=True, description="Coverage of the NTIA minimum elements"
    )
    metadata = graphene.Field(
        JSON,
        required=True,
        description="timestamp, authors, tools, supplier, manufacturer, component, lifecycles",
    )
    warnings = graphene.List(
        graphene.NonNull(SbomIssue),
        required=True,
        description="Problems found while reading the document that did not refuse it",
    )
    components = graphene.Field(
        ComponentConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        filter=ComponentFilterInput(description="Only the components matching this"),
        description="The document's components, in document order",
    )
    dependencies = graphene.Field(
        DependencyConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        description="The document's dependency relationships",
    )
    services = graphene.List(
        graphene.NonNull(Service), required=True, description="The document's services (CycloneDX)"
    )
    vulnerabilities = graphene.Field(
        VulnerabilityConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        description="The document's embedded vulnerabilities and VEX statements",
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, SbomVersionModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> SbomVersionModel | None:
        return await SbomVersionByIdLoader(info).load(int(pk))

    @staticmethod
    def resolve_name(root: SbomVersionModel, info: Any) -> Any:
        # Without an awaitable when the series is already loaded (e.g. primed by a where-used
        # page): graphql-core then completes the field without a task.
        known = SbomSeriesByIdLoader(info).peek(root.sbom_id)
        return str(known.name) if known is not None else _name_of(root, info)

    @staticmethod
    def resolve_download_path(root: SbomVersionModel, _info: Any) -> str:
        return f"/api/sboms/{root.id}/document"

    @staticmethod
    def resolve_is_current(root: SbomVersionModel, _info: Any) -> bool:
        return root.superseded_at is None

    @staticmethod
    async def resolve_purchase(root: SbomVersionModel, info: Any) -> Any:
        series = await _series_of(root, info)
        return await PurchaseByIdLoader(info).load(series.purchase_id)

    @staticmethod
    async def resolve_history(root: SbomVersionModel, info: Any) -> Any:
        return await SbomHistoryBySeriesIdLoader(info).load(root.sbom_id)

    @staticmethod
    def resolve_quality(root: SbomVersionModel, _info: Any) -> SbomQuality:
        return SbomQuality(
            score=root.quality_score, coverage=QualityCoverage(**orjson.loads(root.quality_json))
        )

    @staticmethod
    def resolve_metadata(root: SbomVersionModel, _info: Any) -> Any:
        return orjson.loads(root.metadata_json)

    @staticmethod
    def resolve_warnings(root: SbomVersionModel, _info: Any) -> list[SbomIssue]:
        return [SbomIssue(**w) for w in orjson.loads(root.warnings_json)]

    @staticmethod
    async def resolve_components(
        root: SbomVersionModel,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        filter: dict[str, Any] | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_position, limit = page_args(first, after, ctx.settings.max_page_size)
        component_filter = sbom_reads.ComponentFilter(**dict(filter or {}))
        page = await ctx.call(
            sbom_reads.list_components, root.id, component_filter, after_position, limit
        )
        return connection(ComponentConnection, page, after, key=lambda c: c.position)

    @staticmethod
    async def resolve_dependencies(
        root: SbomVersionModel, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(sbom_reads.list_dependencies, root.id, after_id, limit)
        return connection(DependencyConnection, page, after)

    @staticmethod
    async def resolve_services(root: SbomVersionModel, info: Any) -> Any:
        return await context_of(info).call(sbom_reads.list_services, root.id)

    @staticmethod
    async def resolve_vulnerabilities(
        root: SbomVersionModel, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(sbom_reads.list_vulnerabilities, root.id, after_id, limit)
        return connection(VulnerabilityConnection, page, after)
