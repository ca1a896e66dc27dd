"""SPDX 2.2/2.3 JSON: detection, validation with located errors, and the mapping onto the
component records CycloneDX documents give (hand-made documents; real tools' in other files)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import orjson
import pytest

from sbom import (
    Component,
    Contact,
    Dependency,
    ExternalReference,
    Hash,
    IssueCode,
    License,
    OrganizationalEntity,
    SbomFormat,
    SbomIssue,
    SbomRejected,
    SbomStandard,
    Tool,
    parse_purl,
    parse_sbom,
)
from sbom.purls import PurlParts
from sbom.quality import ntia_quality
from sbom.spdx_schemas import spdx_schema_path

from .spdx_builders import LIMIT, ROOT, package, relationship, spdx_document, spdx_json


def _rejection(data: bytes, max_errors: int = 20) -> list[SbomIssue]:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=LIMIT, max_errors=max_errors)
    return excinfo.value.errors


def _purl(raw: str) -> PurlParts:
    parts = parse_purl(raw)
    assert isinstance(parts, PurlParts)
    return parts


def test_spdx_package_becomes_the_same_component_record_as_cyclonedx() -> None:
    # given an SPDX 2.3 package stating every field the records hold
    lib = package(
        "SPDXRef-lib",
        "commons-text",
        versionInfo="1.10.0",
        supplier="Organization: Apache Software Foundation (dev@commons.apache.org)",
        downloadLocation="https://repo.maven.apache.org/commons-text-1.10.0.jar",
        homepage="https://commons.apache.org/text",
        licenseConcluded="Apache-2.0",
        licenseDeclared="NOASSERTION",
        primaryPackagePurpose="LIBRARY",
        checksums=[
            {"algorithm": "SHA1", "checksumValue": "3363381aef8cef2dbc1023b3e3a9433b08b64e01"},
            {"algorithm": "SHA224", "checksumValue": "00" * 28},
        ],
        externalRefs=[
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": "pkg:maven/org.apache.commons/commons-text@1.10.0",
            },
            {
                "referenceCategory": "SECURITY",
                "referenceType": "cpe23Type",
                "referenceLocator": "cpe:2.3:a:apache:commons_text:1.10.0:*:*:*:*:*:*:*",
            },
            {
                "referenceCategory": "OTHER",
                "referenceType": "vcs",
                "referenceLocator": "https://github.com/apache/commons-text",
            },
            {
                "referenceCategory": "SECURITY",
                "referenceType": "advisory",
                "referenceLocator": "https://nvd.nist.gov/vuln/detail/CVE-2022-42889",
            },
        ],
    )
    # when it is parsed
    parsed = parse_sbom(spdx_json(lib), max_bytes=LIMIT)
    # then it is one component in CycloneDX's vocabulary (SHA224 has no CycloneDX name)
    assert parsed.components == (
        Component(
            path=(0,),
            location="/packages/0",
            type="library",
            name="commons-text",
            bom_ref="SPDXRef-lib",
            version="1.10.0",
            supplier_name="Apache Software Foundation",
            purl_raw="pkg:maven/org.apache.commons/commons-text@1.10.0",
            purl_parts=_purl("pkg:maven/org.apache.commons/commons-text@1.10.0"),
            cpe="cpe:2.3:a:apache:commons_text:1.10.0:*:*:*:*:*:*:*",
            licenses=(License(spdx_id="Apache-2.0"),),
            hashes=(Hash("SHA-1", "3363381aef8cef2dbc1023b3e3a9433b08b64e01"),),
            external_references=(
                ExternalReference("vcs", "https://github.com/apache/commons-text"),
                ExternalReference("advisories", "https://nvd.nist.gov/vuln/detail/CVE-2022-42889"),
                ExternalReference("website", "https://commons.apache.org/text"),
                ExternalReference(
                    "distribution", "https://repo.maven.apache.org/commons-text-1.10.0.jar"
                ),
            ),
        ),
    )
    assert (parsed.standard, parsed.format, parsed.spec_version) == (
        SbomStandard.SPDX,
        SbomFormat.JSON,
        "2.3",
    )
    assert (parsed.serial_number, parsed.version, parsed.raw_component_count) == (
        "https://example.com/spdx/example-1",
        1,
        1,
    )
    assert (parsed.services, parsed.vulnerabilities, parsed.warnings) == ((), (), ())


@pytest.mark.parametrize(
    ("concluded", "declared", "expected"),
    [
        ("Apache-2.0", "MIT", (License(spdx_id="Apache-2.0"),)),
        ("NOASSERTION", "MIT", (License(spdx_id="MIT"),)),
        (None, "mit", (License(spdx_id="MIT"),)),  # ids match case-insensitively
        ("NOASSERTION", "NOASSERTION", ()),
        (None, "NONE", ()),
        (None, None, ()),
        ("MIT OR Apache-2.0", None, (License(expression="MIT OR Apache-2.0"),)),
        ("LicenseRef-Acme-EULA", None, (License(name="LicenseRef-Acme-EULA"),)),
    ],
)
def test_licence_is_the_concluded_one_else_the_declared_one(
    concluded: str | None, declared: str | None, expected: tuple[License, ...]
) -> None:
    fields = {"licenseConcluded": concluded, "licenseDeclared": declared}
    lib = package("SPDXRef-lib", "lib", **{k: v for k, v in fields.items() if v is not None})
    parsed = parse_sbom(spdx_json(lib), max_bytes=LIMIT)
    assert parsed.components[0].licenses == expected


def test_identifiers_come_from_either_category_spelling_and_cpe23_wins() -> None:
    # given (in SPDX 2.2, which also allows PACKAGE_MANAGER) a cpe22 before a cpe23, a swid and
    # a second purl
    refs = [
        ("PACKAGE_MANAGER", "purl", "pkg:npm/left-pad@1.3.0"),
        ("SECURITY", "cpe22Type", "cpe:/a:left-pad_project:left-pad:1.3.0"),
        ("SECURITY", "cpe23Type", "cpe:2.3:a:left-pad_project:left-pad:1.3.0:*:*:*:*:*:*:*"),
        ("SECURITY", "swid", "swid:2df9de35-0aff-4a86-ace6-f7dddd1ade4c"),
        ("PACKAGE-MANAGER", "purl", "pkg:npm/left-pad@1.3.0?repository_url=mirror.example"),
    ]
    lib = package(
        "SPDXRef-lib",
        "left-pad",
        licenseConcluded="WTFPL",
        licenseDeclared="WTFPL",
        copyrightText="NOASSERTION",
        externalRefs=[
            {"referenceCategory": c, "referenceType": t, "referenceLocator": loc}
            for c, t, loc in refs
        ],
    )
    component = parse_sbom(spdx_json(lib, spec="2.2"), max_bytes=LIMIT).components[0]
    assert (component.purl, component.cpe, component.swid_tag_id) == (
        "pkg:npm/left-pad@1.3.0",
        "cpe:2.3:a:left-pad_project:left-pad:1.3.0:*:*:*:*:*:*:*",
        "2df9de35-0aff-4a86-ace6-f7dddd1ade4c",
    )
    # the second purl is kept, as a reference CycloneDX can hold
    assert component.external_references == (
        ExternalReference("other", "pkg:npm/left-pad@1.3.0?repository_url=mirror.example"),
    )


def test_cpe22_is_used_when_there_is_no_cpe23() -> None:
    ref = {
        "referenceCategory": "SECURITY",
        "referenceType": "cpe22Type",
        "referenceLocator": "cpe:/a:zlib:zlib:1.3",
    }
    lib = package("SPDXRef-zlib", "zlib", externalRefs=[ref])
    assert parse_sbom(spdx_json(lib), max_bytes=LIMIT).components[0].cpe == "cpe:/a:zlib:zlib:1.3"


@pytest.mark.parametrize(
    ("supplier", "originator", "expected"),
    [
        ("Organization: Acme (a@acme.example)", "Person: Jane Roe", "Acme"),
        ("Person: Jane Roe (jane@example.com)", None, "Jane Roe"),
        ("NOASSERTION", "Organization: Upstream Ltd", "Upstream Ltd"),
        (None, "Person: Jane Roe ()", "Jane Roe"),
        ("NOASSERTION", None, None),
    ],
)
def test_supplier_else_originator_names_the_supplier(
    supplier: str | None, originator: str | None, expected: str | None
) -> None:
    fields = {"supplier": supplier, "originator": originator}
    lib = package("SPDXRef-lib", "lib", **{k: v for k, v in fields.items() if v is not None})
    assert parse_sbom(spdx_json(lib), max_bytes=LIMIT).components[0].supplier_name == expected


@pytest.mark.parametrize(
    ("purpose", "expected"),
    [
        ("APPLICATION", "application"),
        ("OPERATING_SYSTEM", "operating-system"),
        ("CONTAINER", "container"),
        ("FIRMWARE", "firmware"),
        ("FILE", "file"),
        ("SOURCE", "library"),
        ("ARCHIVE", "library"),
        (None, "library"),
    ],
)
def test_primary_package_purpose_gives_the_component_type(
    purpose: str | None, expected: str
) -> None:
    fields = {"primaryPackagePurpose": purpose} if purpose else {}
    lib = package("SPDXRef-lib", "lib", **fields)
    assert parse_sbom(spdx_json(lib), max_bytes=LIMIT).components[0].type == expected


def test_the_one_described_package_is_the_metadata_component() -> None:
    # given a document describing its product, which depends on one library
    root = package(ROOT, "router-firmware", versionInfo="4.2", supplier="Organization: Vendor")
    lib = package("SPDXRef-lib", "openssl", versionInfo="3.0.13")
    data = spdx_json(
        root,
        lib,
        documentDescribes=[ROOT],
        relationships=[relationship(ROOT, "DEPENDS_ON", "SPDXRef-lib")],
    )
    # when it is parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    # then the product is the described component, not one of its own parts
    described = parsed.metadata.component
    assert described is not None
    assert (described.name, described.version, described.path, described.location) == (
        "router-firmware",
        "4.2",
        (),
        "/packages/0",
    )
    assert [(c.name, c.path, c.location) for c in parsed.components] == [
        ("openssl", (0,), "/packages/1")
    ]
    assert parsed.raw_component_count == 1
    assert parsed.metadata.supplier == OrganizationalEntity("Vendor")
    assert parsed.dependencies == (Dependency(ROOT, ("SPDXRef-lib",)),)


def test_describes_relationship_counts_as_much_as_document_describes() -> None:
    data = spdx_json(
        package(ROOT, "product"),
        package("SPDXRef-lib", "lib"),
        relationships=[relationship("SPDXRef-DOCUMENT", "DESCRIBES", ROOT)],
    )
    parsed = parse_sbom(data, max_bytes=LIMIT)
    assert parsed.metadata.component is not None
    assert parsed.metadata.component.name == "product"
    assert [c.name for c in parsed.components] == ["lib"]


def test_several_described_packages_all_stay_components() -> None:
    data = spdx_json(
        package("SPDXRef-a", "a"),
        package("SPDXRef-b", "b"),
        documentDescribes=["SPDXRef-a", "SPDXRef-b"],
    )
    parsed = parse_sbom(data, max_bytes=LIMIT)
    assert parsed.metadata.component is None
    assert [c.name for c in parsed.components] == ["a", "b"]
    assert parsed.raw_component_count == 2


def test_creation_info_becomes_the_metadata() -> None:
    creation = {
        "created": "2024-05-01T12:00:00.250Z",  # npm writes milliseconds
        "creators": [
            "Person: Jane Roe (jane@vendor.example)",
            "Organization: Vendor Ltd (sbom@vendor.example)",
            "Tool: npm/cli-11.19.1",
            "Tool: scancode",
        ],
    }
    parsed = parse_sbom(
        spdx_json(package("SPDXRef-lib", "lib"), creationInfo=creation), max_bytes=LIMIT
    )
    meta = parsed.metadata
    assert meta.timestamp == datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
    assert meta.authors == (Contact("Jane Roe", "jane@vendor.example"),)
    assert meta.manufacturer == OrganizationalEntity("Vendor Ltd")
    assert meta.tools == (Tool("tool", "npm/cli", version="11.19.1"), Tool("tool", "scancode"))
    assert (meta.supplier, meta.component, meta.lifecycles) == (None, None, ())


def test_relationships_that_say_who_needs_whom_become_dependencies() -> None:
    # given a graph stated from both ends, with kinds that are and are not dependencies
    names = ("app", "a", "b", "c", "d", "e")
    packages = [package(f"SPDXRef-{n}", n) for n in names]
    files = [
        {
            "SPDXID": "SPDXRef-file",
            "fileName": "./a.so",
            "checksums": [{"algorithm": "SHA1", "checksumValue": "0" * 40}],
        }
    ]
    relationships = [
        relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-app"),
        relationship("SPDXRef-app", "DEPENDS_ON", "SPDXRef-a"),
        relationship("SPDXRef-b", "DEPENDENCY_OF", "SPDXRef-app"),
        relationship("SPDXRef-app", "DEPENDS_ON", "SPDXRef-a"),  # repeated: one edge
        relationship("SPDXRef-a", "CONTAINS", "SPDXRef-c"),
        relationship("SPDXRef-d", "DEV_DEPENDENCY_OF", "SPDXRef-a"),
        relationship("SPDXRef-c", "DEPENDS_ON", "NONE"),
        relationship("SPDXRef-d", "DEPENDS_ON", "NOASSERTION"),
        relationship("SPDXRef-a", "CONTAINS", "SPDXRef-file"),  # files are not components
        relationship("SPDXRef-e", "VARIANT_OF", "SPDXRef-b"),
        relationship("SPDXRef-e", "DEPENDS_ON", "DocumentRef-other:SPDXRef-x"),
    ]
    data = spdx_json(*packages, files=files, relationships=relationships)
    # when it is parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    # then each edge points from the one that needs to the one needed, in order of appearance
    assert parsed.dependencies == (
        Dependency("SPDXRef-app", ("SPDXRef-a", "SPDXRef-b")),
        Dependency("SPDXRef-a", ("SPDXRef-c", "SPDXRef-d")),
        Dependency("SPDXRef-c", ()),
    )
    assert parsed.warnings == ()
    # and every package but "e" takes part in the graph
    assert ntia_quality(parsed).dependencies == 0.8


def test_relationship_to_an_undefined_element_is_a_warning() -> None:
    data = spdx_json(
        package("SPDXRef-a", "a"),
        relationships=[relationship("SPDXRef-a", "DEPENDS_ON", "SPDXRef-missing")],
    )
    parsed = parse_sbom(data, max_bytes=LIMIT)
    assert parsed.warnings == (
        SbomIssue(
            IssueCode.UNKNOWN_REFERENCE,
            "DEPENDS_ON names 'SPDXRef-missing', which this document does not define",
            "/relationships/0",
        ),
    )
    assert parsed.dependencies == ()


def test_repeated_spdxid_and_invalid_purl_are_located_warnings() -> None:
    bad_purl = {
        "referenceCategory": "PACKAGE-MANAGER",
        "referenceType": "purl",
        "referenceLocator": "pkg:/nope",
    }
    data = spdx_json(package("SPDXRef-a", "a"), package("SPDXRef-a", "b", externalRefs=[bad_purl]))
    parsed = parse_sbom(data, max_bytes=LIMIT)
    assert [(w.code, w.location) for w in parsed.warnings] == [
        (IssueCode.DUPLICATE_BOM_REF, "/packages/1"),
        (IssueCode.INVALID_PURL, "/packages/1/externalRefs/0/referenceLocator"),
    ]
    assert [(c.name, c.purl_raw, c.purl) for c in parsed.components] == [
        ("a", None, None),
        ("b", "pkg:/nope", None),
    ]


def test_schema_violations_are_rejected_with_json_pointers() -> None:
    # given a package without its download location and a relationship of an unknown kind
    document = spdx_document(
        {"SPDXID": "SPDXRef-a", "name": "a"},
        relationships=[relationship("SPDXRef-a", "NEEDS", "SPDXRef-a")],
    )
    errors = _rejection(orjson.dumps(document))
    assert [(e.code, e.location) for e in errors] == [
        (IssueCode.SCHEMA_INVALID, "/packages/0"),
        (IssueCode.SCHEMA_INVALID, "/relationships/0/relationshipType"),
    ]
    assert errors[0].message == '"downloadLocation" is a required property'
    assert errors[1].message.startswith('"NEEDS" is not one of ')


def test_schema_errors_are_capped_at_max_errors() -> None:
    packages = [{"SPDXID": f"SPDXRef-{i}", "name": str(i)} for i in range(30)]
    errors = _rejection(spdx_json(*packages), max_errors=5)
    assert [e.location for e in errors] == [f"/packages/{i}" for i in range(5)]


def test_spdx_2_2_requires_what_2_3_made_optional() -> None:
    # given a package valid in 2.3 but declared as 2.2 (which requires licences and copyright)
    errors = _rejection(spdx_json(package("SPDXRef-a", "a"), spec="2.2"))
    assert [(e.message, e.location) for e in errors] == [
        ('"copyrightText" is a required property', "/packages/0"),
        ('"licenseConcluded" is a required property', "/packages/0"),
        ('"licenseDeclared" is a required property', "/packages/0"),
    ]


@pytest.mark.parametrize("version", ["SPDX-2.1", "SPDX-3.0", "2.3", None])
def test_unsupported_spdx_version_is_rejected(version: object) -> None:
    errors = _rejection(orjson.dumps({"spdxVersion": version, "packages": []}))
    assert errors == [
        SbomIssue(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            f"spdxVersion {version!r} is not supported; supported SPDX versions: SPDX-2.2, SPDX-2.3",
            "/spdxVersion",
        )
    ]


@pytest.mark.parametrize(
    "context",
    [
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        ["https://spdx.org/rdf/3.0.0/spdx-context.jsonld"],
    ],
)
def test_spdx_3_json_ld_is_refused_saying_why(context: object) -> None:
    errors = _rejection(orjson.dumps({"@context": context, "@graph": []}))
    assert errors == [
        SbomIssue(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            "SPDX 3 (JSON-LD) documents are not supported yet: no maintained Python library reads "
            "them (spdx-tools 0.8.5 only writes SPDX 3); upload SPDX 2.3 or 2.2 (JSON or "
            "tag-value) or CycloneDX instead",
            "/@context",
        )
    ]


def test_other_json_ld_is_neither_cyclonedx_nor_spdx() -> None:
    errors = _rejection(orjson.dumps({"@context": "https://schema.org", "name": "x"}))
    assert [(e.code, e.location) for e in errors] == [(IssueCode.NOT_CYCLONEDX, "/bomFormat")]


def test_cyclonedx_with_a_stray_spdx_version_stays_cyclonedx() -> None:
    data = orjson.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "spdxVersion": "SPDX-2.3"})
    errors = _rejection(data)
    assert [(e.code, e.location) for e in errors] == [(IssueCode.SCHEMA_INVALID, "")]
    assert "spdxVersion" in errors[0].message


def test_spdx_yaml_is_refused_saying_which_formats_are_read() -> None:
    errors = _rejection(b"SPDXID: SPDXRef-DOCUMENT\nspdxVersion: SPDX-2.3\n")
    assert errors == [
        SbomIssue(
            IssueCode.UNKNOWN_FORMAT,
            "SPDX YAML is not supported: upload SPDX JSON or tag-value, or CycloneDX",
        )
    ]


def test_gzipped_spdx_json_is_read() -> None:
    parsed = parse_sbom(gzip.compress(spdx_json(package("SPDXRef-a", "a"))), max_bytes=LIMIT)
    assert [c.name for c in parsed.components] == ["a"]


def test_quality_is_scored_on_spdx_as_on_cyclonedx() -> None:
    # given a product with two parts: one fully described, one with a name only
    root = package(ROOT, "product", versionInfo="1.0")
    full = package(
        "SPDXRef-full",
        "full",
        versionInfo="2.0",
        supplier="Organization: Acme",
        externalRefs=[
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": "pkg:pypi/full@2.0",
            }
        ],
    )
    bare = package("SPDXRef-bare", "bare")
    data = spdx_json(
        root,
        full,
        bare,
        documentDescribes=[ROOT],
        relationships=[relationship(ROOT, "DEPENDS_ON", "SPDXRef-full")],
        creationInfo={"created": "2024-05-01T12:00:00Z", "creators": ["Organization: Vendor Ltd"]},
    )
    # when it is scored
    report = ntia_quality(parse_sbom(data, max_bytes=LIMIT))
    # then each element counts the two parts, and the organisation that made it is its author
    assert report.coverage() == {
        "supplier": 0.5,
        "component_name": 1.0,
        "version": 0.5,
        "unique_identifier": 0.5,
        "dependencies": 0.5,
        "author": 1.0,
        "timestamp": 1.0,
    }
    assert (report.score, report.component_count) == (71.4, 2)


@pytest.mark.parametrize(("spec", "title"), [("2.2", "SPDX 2.2"), ("2.3", "SPDX 2.3")])
def test_the_official_spdx_schemas_are_the_ones_used(spec: str, title: str) -> None:
    # lib4sbom ships them; pin that they are still the spec's own (title and $id)
    schema = orjson.loads(spdx_schema_path(spec).read_bytes())
    assert schema["title"] == title
    assert schema["$id"] == (
        "http://spdx.org/rdf/terms/2.3" if spec == "2.3" else "http://spdx.org/rdf/terms"
    )
