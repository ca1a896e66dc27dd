"""CycloneDX JSON: rejection of bad documents, and what is extracted from good ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest

from sbom import (
    Affect,
    AffectedVersion,
    Contact,
    DataFlow,
    Dependency,
    ExternalReference,
    Hash,
    IssueCode,
    License,
    Lifecycle,
    OrganizationalEntity,
    Rating,
    SbomFormat,
    SbomIssue,
    SbomRejected,
    Tool,
    parse_sbom,
)
from sbom.schemas import json_pointer

from .builders import LIMIT, bom_json, library


def _rejection(data: bytes, max_errors: int = 20) -> list[SbomIssue]:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=LIMIT, max_errors=max_errors)
    return excinfo.value.errors


# --- rejections ---------------------------------------------------------------------------------


def test_invalid_json_is_rejected_with_the_parser_position() -> None:
    # given a truncated JSON document
    errors = _rejection(b'{"bomFormat": "CycloneDX", "specVersion": ')
    # then one INVALID_JSON error says where it broke
    assert [e.code for e in errors] == [IssueCode.INVALID_JSON]
    assert errors[0].message.startswith("not valid JSON: ")
    assert "line 1 column" in errors[0].message


@pytest.mark.parametrize(
    ("data", "location"),
    [
        (b'{"name": "lodash", "version": "4.17.21"}', "/bomFormat"),
        (b'{"bomFormat": "SPDX", "specVersion": "1.6"}', "/bomFormat"),
        (b"[1, 2, 3]", ""),
    ],
)
def test_json_that_is_neither_cyclonedx_nor_spdx_is_rejected(data: bytes, location: str) -> None:
    errors = _rejection(data)
    assert errors == [
        SbomIssue(
            IssueCode.NOT_CYCLONEDX,
            "neither a CycloneDX nor an SPDX document: expected a JSON object with "
            '"bomFormat": "CycloneDX" or "spdxVersion"',
            location,
        )
    ]


@pytest.mark.parametrize("spec", ["1.9", "1.1", "2.0", 1.6, None])
def test_unknown_spec_version_is_rejected(spec: object) -> None:
    errors = _rejection(orjson.dumps({"bomFormat": "CycloneDX", "specVersion": spec}))
    assert errors == [
        SbomIssue(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            f"specVersion {spec!r} is not supported; supported JSON versions: "
            "1.2, 1.3, 1.4, 1.5, 1.6, 1.7",
            "/specVersion",
        )
    ]


def test_schema_violation_is_reported_with_its_json_pointer() -> None:
    # given a component without its required name, deep inside the document
    data = bom_json(components=[library("ok"), library("parent", components=[{"type": "library"}])])
    # when it is parsed
    errors = _rejection(data)
    # then the error points at that nested component and names the missing property
    assert errors == [
        SbomIssue(
            IssueCode.SCHEMA_INVALID,
            '"name" is a required property',
            "/components/1/components/0",
        )
    ]


def test_schema_errors_are_capped_at_max_errors() -> None:
    # given 30 components with an invalid type each
    data = bom_json(components=[library(f"c{i}", type="gizmo") for i in range(30)])
    # when parsed with the default limit and with 3
    default = _rejection(data)
    three = _rejection(data, max_errors=3)
    # then 20 and 3 errors come back, the first ones in document order
    assert len(default) == 20
    assert [e.location for e in three] == [
        "/components/0/type",
        "/components/1/type",
        "/components/2/type",
    ]
    assert all(e.code == IssueCode.SCHEMA_INVALID for e in default)


def test_json_pointer_escapes_slash_and_tilde() -> None:
    # given a path through keys holding "/" and "~" (RFC 6901 escapes them as ~1 and ~0)
    assert json_pointer(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"
    assert json_pointer([]) == ""


def test_error_inside_metadata_is_located() -> None:
    errors = _rejection(bom_json(metadata={"properties": [{"name": 5}]}))
    assert errors == [
        SbomIssue(
            IssueCode.SCHEMA_INVALID, '5 is not of type "string"', "/metadata/properties/0/name"
        )
    ]


def test_very_long_messages_are_shortened() -> None:
    # given a huge value where an array is expected (the message quotes the value)
    errors = _rejection(bom_json(components={"x" * 5000: 1}))
    assert len(errors[0].message) <= 300
    assert errors[0].message.endswith("…")


# --- extraction ---------------------------------------------------------------------------------


def test_utf8_byte_order_mark_is_accepted() -> None:
    parsed = parse_sbom(b"\xef\xbb\xbf" + bom_json(components=[library("a")]), max_bytes=LIMIT)
    assert parsed.format is SbomFormat.JSON
    assert parsed.components[0].name == "a"


def test_nested_components_are_extracted_in_document_order_with_their_parents() -> None:
    # given a, with b inside and c inside b, then d at the top
    inner = library("c", **{"bom-ref": "ref-c"})
    middle = library("b", **{"bom-ref": "ref-b"}, components=[inner])
    data = bom_json(
        components=[library("a", **{"bom-ref": "ref-a"}, components=[middle]), library("d")]
    )
    # when parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    # then every component is there, in pre-order, with its position and parent
    assert [(c.name, c.path, c.parent_ref, c.depth, c.location) for c in parsed.components] == [
        ("a", (0,), None, 0, "/components/0"),
        ("b", (0, 0), "ref-a", 1, "/components/0/components/0"),
        ("c", (0, 0, 0), "ref-b", 2, "/components/0/components/0/components/0"),
        ("d", (1,), None, 0, "/components/1"),
    ]
    assert parsed.raw_component_count == 4


def test_component_fields_are_extracted() -> None:
    # given one component with every field the service stores
    component = {
        "type": "library",
        "bom-ref": "log4j",
        "supplier": {"name": "Apache Software Foundation"},
        "group": "org.apache.logging.log4j",
        "name": "log4j-core",
        "version": "2.14.1",
        "scope": "required",
        "hashes": [{"alg": "SHA-256", "content": "a" * 64}],
        "licenses": [{"license": {"id": "Apache-2.0"}}, {"license": {"name": "Custom"}}],
        "cpe": "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*",
        "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar&classifier=sources",
        "swid": {"tagId": "swidgen-log4j", "name": "log4j-core"},
        "externalReferences": [{"type": "vcs", "url": "https://github.com/apache/logging-log4j2"}],
    }
    # when parsed
    (parsed,) = parse_sbom(bom_json(components=[component]), max_bytes=LIMIT).components
    # then each field is in the record, the purl normalised (qualifiers sorted)
    assert parsed.bom_ref == "log4j"
    assert parsed.supplier_name == "Apache Software Foundation"
    assert (parsed.type, parsed.group, parsed.name, parsed.version, parsed.scope) == (
        "library",
        "org.apache.logging.log4j",
        "log4j-core",
        "2.14.1",
        "required",
    )
    assert parsed.hashes == (Hash("SHA-256", "a" * 64),)
    assert parsed.licenses == (License(spdx_id="Apache-2.0"), License(name="Custom"))
    assert parsed.cpe == "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
    assert parsed.swid_tag_id == "swidgen-log4j"
    assert parsed.external_references == (
        ExternalReference("vcs", "https://github.com/apache/logging-log4j2"),
    )
    assert parsed.purl == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?classifier=sources&type=jar"
    )
    assert parsed.purl_identity == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    assert (parsed.purl_type, parsed.purl_namespace, parsed.purl_name, parsed.purl_version) == (
        "maven",
        "org.apache.logging.log4j",
        "log4j-core",
        "2.14.1",
    )
    assert parsed.purl_qualifiers == (("classifier", "sources"), ("type", "jar"))
    assert parsed.purl_subpath is None


def test_license_expression_is_extracted() -> None:
    data = bom_json(components=[library("a", licenses=[{"expression": "MIT OR Apache-2.0"}])])
    (component,) = parse_sbom(data, max_bytes=LIMIT).components
    assert component.licenses == (License(expression="MIT OR Apache-2.0"),)


def test_invalid_purl_is_a_warning_with_the_location_not_a_rejection() -> None:
    # given a second component with a purl lacking its type
    data = bom_json(components=[library("a"), library("b", purl="pkg:/b@1.0")])
    # when parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    # then the document is accepted, the component kept with its raw purl, and a warning says why
    component = parsed.components[1]
    assert (component.purl_raw, component.purl, component.purl_identity) == (
        "pkg:/b@1.0",
        None,
        None,
    )
    assert parsed.warnings == (
        SbomIssue(
            IssueCode.INVALID_PURL,
            "invalid package URL 'pkg:/b@1.0': purl is missing the required type component: "
            "'pkg:/b@1.0'.",
            "/components/1/purl",
        ),
    )


def test_warnings_are_capped_and_the_rest_counted() -> None:
    data = bom_json(components=[library(f"c{i}", purl=f"bad-{i}") for i in range(5)])
    parsed = parse_sbom(data, max_bytes=LIMIT, max_warnings=2)
    assert [w.code for w in parsed.warnings] == [
        IssueCode.INVALID_PURL,
        IssueCode.INVALID_PURL,
        IssueCode.WARNINGS_TRUNCATED,
    ]
    assert parsed.warnings[-1].message == "3 more warnings were not listed"


def test_duplicate_bom_ref_is_a_warning_and_both_components_are_kept() -> None:
    data = bom_json(components=[library("a", **{"bom-ref": "x"}), library("b", **{"bom-ref": "x"})])
    parsed = parse_sbom(data, max_bytes=LIMIT)
    assert [c.name for c in parsed.components] == ["a", "b"]
    assert parsed.warnings == (
        SbomIssue(IssueCode.DUPLICATE_BOM_REF, "bom-ref 'x' is used twice", "/components/1"),
    )


def test_document_fields_and_metadata_are_extracted() -> None:
    # given a 1.6 document with every metadata element
    data = bom_json(
        serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        version=3,
        metadata={
            "timestamp": "2024-05-01T12:30:00+08:00",
            "lifecycles": [{"phase": "build"}, {"name": "audit", "description": "yearly"}],
            "tools": {
                "components": [
                    {"type": "application", "group": "acme", "name": "scan", "version": "2"}
                ],
                "services": [{"name": "sbom-svc", "provider": {"name": "Acme"}, "version": "1"}],
            },
            "authors": [{"name": "Jane Doe", "email": "jane@example.com"}],
            "component": {"type": "application", "bom-ref": "app", "name": "app", "version": "9"},
            "manufacturer": {"name": "Acme Manufacturing", "url": ["https://acme.example"]},
            "supplier": {"name": "Acme Supply"},
        },
    )
    # when parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    meta = parsed.metadata
    # then the document-level values are all there
    assert (parsed.format, parsed.spec_version, parsed.version) == (SbomFormat.JSON, "1.6", 3)
    assert parsed.serial_number == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    assert meta.timestamp == datetime(2024, 5, 1, 4, 30, tzinfo=UTC)
    assert meta.timestamp is not None and meta.timestamp.utcoffset() == timedelta(hours=8)
    assert meta.lifecycles == (Lifecycle(phase="build"), Lifecycle(phase=None, name="audit"))
    assert meta.tools == (
        Tool("component", "scan", vendor="acme", version="2"),
        Tool("service", "sbom-svc", vendor="Acme", version="1"),
    )
    assert meta.authors == (Contact("Jane Doe", "jane@example.com"),)
    assert meta.manufacturer == OrganizationalEntity(
        "Acme Manufacturing", ("https://acme.example",)
    )
    assert meta.supplier == OrganizationalEntity("Acme Supply")
    assert meta.component is not None
    assert (meta.component.name, meta.component.path, meta.component.location) == (
        "app",
        (),
        "/metadata/component",
    )
    assert parsed.components == ()


def test_legacy_tools_and_manufacture_of_older_specs_are_read() -> None:
    data = bom_json(
        "1.4",
        metadata={
            "tools": [{"vendor": "CycloneDX", "name": "cyclonedx-maven-plugin", "version": "2.7"}],
            "manufacture": {"name": "Old Style Ltd"},
        },
    )
    meta = parse_sbom(data, max_bytes=LIMIT).metadata
    assert meta.tools == (
        Tool("tool", "cyclonedx-maven-plugin", vendor="CycloneDX", version="2.7"),
    )
    assert meta.manufacturer == OrganizationalEntity("Old Style Ltd")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-01-02t03:04:05z", datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("2020-01-02T03:04:05.1234567+00:00", datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
    ],
    ids=["lower-case-t-and-z", "leap-second", "seven-fraction-digits"],
)
def test_rfc3339_timestamps_python_dislikes_are_still_read(raw: str, expected: datetime) -> None:
    # given timestamps the schema accepts but datetime.fromisoformat alone would not
    parsed = parse_sbom(bom_json(metadata={"timestamp": raw}), max_bytes=LIMIT)
    # then they are read without warnings
    assert parsed.metadata.timestamp == expected
    assert parsed.warnings == ()


def test_dependencies_are_extracted() -> None:
    data = bom_json(
        components=[library("a", **{"bom-ref": "a"}), library("b", **{"bom-ref": "b"})],
        dependencies=[{"ref": "a", "dependsOn": ["b"]}, {"ref": "b"}],
    )
    assert parse_sbom(data, max_bytes=LIMIT).dependencies == (
        Dependency("a", ("b",)),
        Dependency("b", ()),
    )


def test_services_are_extracted_recursively() -> None:
    # given a gateway service with one nested service
    nested = {
        "bom-ref": "db",
        "name": "Postgres",
        "data": [{"flow": "inbound", "classification": "PII"}],
    }
    gateway = {
        "bom-ref": "gw",
        "provider": {"name": "Acme Inc"},
        "group": "com.example",
        "name": "API Gateway",
        "version": "2022-1",
        "endpoints": ["https://example.com/api"],
        "authenticated": False,
        "x-trust-boundary": True,
        "services": [nested],
    }
    # when parsed
    services = parse_sbom(bom_json("1.4", services=[gateway]), max_bytes=LIMIT).services
    # then both services are there, the nested one pointing at its parent
    assert [(s.name, s.path, s.parent_ref, s.location) for s in services] == [
        ("API Gateway", (0,), None, "/services/0"),
        ("Postgres", (0, 0), "gw", "/services/0/services/0"),
    ]
    top = services[0]
    assert (top.provider_name, top.group, top.version) == ("Acme Inc", "com.example", "2022-1")
    assert (top.endpoints, top.authenticated, top.trust_boundary) == (
        ("https://example.com/api",),
        False,
        True,
    )
    assert services[1].data_flows == (DataFlow("PII", "inbound"),)


def test_vulnerabilities_and_vex_analysis_are_extracted() -> None:
    vulnerability = {
        "bom-ref": "v1",
        "id": "CVE-2021-44228",
        "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"},
        "ratings": [
            {"source": {"name": "NVD"}, "score": 10.0, "severity": "critical", "method": "CVSSv31"}
        ],
        "cwes": [502],
        "description": "Log4Shell",
        "affects": [
            {
                "ref": "log4j",
                "versions": [
                    {"version": "2.14.1", "status": "affected"},
                    {"range": "vers:maven/<2.15.0"},
                ],
            }
        ],
        "analysis": {
            "state": "not_affected",
            "justification": "code_not_reachable",
            "response": ["will_not_fix", "update"],
            "detail": "JNDI lookups are disabled",
        },
    }
    data = bom_json(
        components=[library("log4j", **{"bom-ref": "log4j"})], vulnerabilities=[vulnerability]
    )
    (parsed,) = parse_sbom(data, max_bytes=LIMIT).vulnerabilities
    assert (parsed.id, parsed.bom_ref, parsed.location) == (
        "CVE-2021-44228",
        "v1",
        "/vulnerabilities/0",
    )
    assert (parsed.source_name, parsed.source_url) == (
        "NVD",
        "https://nvd.nist.gov/vuln/detail/CVE-2021-44228",
    )
    assert parsed.ratings == (Rating("NVD", 10.0, "critical", "CVSSv31"),)
    assert parsed.cwes == (502,)
    assert parsed.description == "Log4Shell"
    assert parsed.affects == (
        Affect(
            "log4j",
            (
                AffectedVersion(version="2.14.1", status="affected"),
                AffectedVersion(range="vers:maven/<2.15.0"),
            ),
        ),
    )
    assert (parsed.analysis_state, parsed.analysis_justification) == (
        "not_affected",
        "code_not_reachable",
    )
    assert parsed.analysis_response == ("will_not_fix", "update")
    assert parsed.analysis_detail == "JNDI lookups are disabled"


def test_offset_timestamps_keep_their_zone() -> None:
    data = bom_json(metadata={"timestamp": "2021-05-16T17:08:44+02:00"})
    timestamp = parse_sbom(data, max_bytes=LIMIT).metadata.timestamp
    assert timestamp == datetime(2021, 5, 16, 17, 8, 44, tzinfo=timezone(timedelta(hours=2)))


def test_every_json_spec_version_is_accepted() -> None:
    for spec in ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7"):
        parsed = parse_sbom(bom_json(spec, components=[library("a")]), max_bytes=LIMIT)
        assert (parsed.spec_version, len(parsed.components)) == (spec, 1)


def test_referenced_spdx_schema_is_resolved_locally() -> None:
    # given a licence id that is not in the SPDX list (checked through the $ref'd spdx schema)
    data = bom_json(
        "1.4", components=[library("a", licenses=[{"license": {"id": "NOT-A-LICENSE"}}])]
    )
    # then the error comes from that sidecar schema, which was found without any network access
    (error,) = _rejection(data)
    assert (error.code, error.location) == (
        IssueCode.SCHEMA_INVALID,
        "/components/0/licenses/0/license/id",
    )
    # (the count of other candidates grows with each SPDX list release)
    assert error.message.startswith('"NOT-A-LICENSE" is not one of ')
