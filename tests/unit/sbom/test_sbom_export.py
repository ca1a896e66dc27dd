"""Export of extracted records as CycloneDX 1.6 JSON."""

from __future__ import annotations

from typing import Any

import orjson

from sbom import parse_sbom
from sbom.export import to_cyclonedx_json
from sbom.schemas import json_validator

from .builders import LIMIT, bom_json, bom_xml, library
from .conftest import generate_cyclonedx_json


def _export(data: bytes) -> dict[str, Any]:
    exported = to_cyclonedx_json(parse_sbom(data, max_bytes=LIMIT))
    document: dict[str, Any] = orjson.loads(exported)
    # every export must satisfy the official 1.6 schema
    assert [e.message for e in json_validator("1.6").iter_errors(document)][:3] == []
    return document


def test_generated_1_4_document_exports_to_valid_1_6_with_everything(generated_1000: bytes) -> None:
    # given a generated document with nesting, dependencies and vulnerabilities (from 1.4)
    source = generate_cyclonedx_json(300, spec="1.4", seed=5)
    original = parse_sbom(source, max_bytes=LIMIT)
    # when exported and read back
    document = _export(source)
    again = parse_sbom(orjson.dumps(document), max_bytes=LIMIT)
    # then it is 1.6 and carries the same records
    assert (document["specVersion"], again.spec_version) == ("1.6", "1.6")
    assert again.serial_number == original.serial_number
    assert [(c.path, c.bom_ref, c.purl, c.licenses, c.hashes) for c in again.components] == [
        (c.path, c.bom_ref, c.purl, c.licenses, c.hashes) for c in original.components
    ]
    assert again.dependencies == original.dependencies
    assert again.vulnerabilities == original.vulnerabilities
    assert again.metadata.timestamp == original.metadata.timestamp
    assert again.metadata.tools[0].name == "sbom-generate"


def test_urls_that_are_not_iris_are_repaired() -> None:
    # given a 1.2 document (no URL format rule then) with Maven's unexpanded placeholder
    url = "https://github.com/FasterXML/${project.artifactId}/issues"
    data = bom_json(
        "1.2", components=[library("a", externalReferences=[{"type": "issue-tracker", "url": url}])]
    )
    document = _export(data)
    assert document["components"][0]["externalReferences"] == [
        {
            "url": "https://github.com/FasterXML/$%7Bproject.artifactId%7D/issues",
            "type": "issue-tracker",
        }
    ]


def test_mixed_licence_list_keeps_the_expression_as_a_name() -> None:
    data = bom_json(
        "1.2",
        components=[
            library(
                "a", licenses=[{"license": {"id": "MIT"}}, {"expression": "GPL-2.0-only OR MIT"}]
            )
        ],
    )
    assert _export(data)["components"][0]["licenses"] == [
        {"license": {"id": "MIT"}},
        {"license": {"name": "GPL-2.0-only OR MIT"}},
    ]


def test_xml_document_exports_with_services_and_legacy_tools() -> None:
    body = (
        "<metadata><timestamp>2020-01-02T03:04:05Z</timestamp><tools><tool><vendor>v</vendor>"
        "<name>t</name><version>1</version></tool></tools></metadata>"
        "<services><service bom-ref='s'><name>svc</name><data><classification flow='inbound'>PII"
        "</classification></data><services><service><name>inner</name></service></services>"
        "</service></services>"
    )
    document = _export(bom_xml("1.4", body))
    assert document["metadata"] == {
        "timestamp": "2020-01-02T03:04:05+00:00",
        "tools": {
            "components": [{"type": "application", "name": "t", "group": "v", "version": "1"}]
        },
    }
    assert document["services"] == [
        {
            "bom-ref": "s",
            "name": "svc",
            "data": [{"flow": "inbound", "classification": "PII"}],
            "services": [{"name": "inner"}],
        }
    ]


def test_invalid_purl_is_exported_as_written() -> None:
    document = _export(bom_json(components=[library("a", purl="not-a-purl")]))
    assert document["components"][0]["purl"] == "not-a-purl"
