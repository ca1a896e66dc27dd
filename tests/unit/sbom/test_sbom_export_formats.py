"""Export as CycloneDX 1.6 XML (checked against the official XSD with cyclonedx-python-lib's lxml
validator) and as SPDX 2.3 JSON (checked against the official 2.3 schema and read back by
spdx-tools, the SPDX project's library, with its full validation)."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.xml import XmlValidator
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from sbom import License, ParsedSbom, SbomFormat, SbomRejected, SbomStandard, parse_sbom
from sbom.export_spdx import SpdxDocumentInfo, to_spdx_json
from sbom.export_xml import to_cyclonedx_xml
from sbom.spdx_schemas import spdx_validator
from tests.support.spdx_docs import HAND_WRITTEN, NPM_1_0, NPM_1_1

from .builders import LIMIT, bom_json, library
from .conftest import generate_cyclonedx_json

INFO = SpdxDocumentInfo(
    name="router-firmware (version 1)",
    namespace="https://spdx.org/spdxdocs/procurement-review/router-firmware-1",
    created=datetime(2026, 11, 28, 8, 0, 0, 123456, tzinfo=UTC),
    tool="procurement-review-0.1.0",
)


@functools.cache
def _xsd() -> XmlValidator:
    return XmlValidator(SchemaVersion.V1_6)


def _xml(parsed: ParsedSbom) -> bytes:
    xml = to_cyclonedx_xml(parsed)
    error = _xsd().validate_str(xml.decode())
    assert error is None, str(error)[:500]
    return xml


def _spdx(parsed: ParsedSbom, tmp_path: Path) -> tuple[dict[str, Any], Any]:
    """Export, check against the 2.3 schema, and read back with spdx-tools (validated)."""
    data = to_spdx_json(parsed, INFO)
    document: dict[str, Any] = orjson.loads(data)
    assert [e.message for e in spdx_validator("2.3").iter_errors(document)][:3] == []
    path = tmp_path / "export.spdx.json"
    path.write_bytes(data)
    read = parse_file(str(path))
    assert [m.validation_message for m in validate_full_spdx_document(read)][:3] == []
    return document, read


def _same_records(again: ParsedSbom, original: ParsedSbom) -> None:
    def key(p: ParsedSbom) -> list[Any]:
        return [
            (c.name, c.version, c.purl, c.licenses, c.hashes, c.supplier_name) for c in p.components
        ]

    assert key(again) == key(original)


def test_generated_document_exports_to_xml_valid_against_the_xsd() -> None:
    # given a generated 1.4 document with nesting, services, dependencies and vulnerabilities
    original = parse_sbom(generate_cyclonedx_json(300, spec="1.4", seed=5), max_bytes=LIMIT)
    # when written as XML (checked against the 1.6 XSD) and read back
    again = parse_sbom(_xml(original), max_bytes=LIMIT)
    # then it is CycloneDX 1.6 XML carrying the same records as the JSON export would
    assert (again.format, again.spec_version) == (SbomFormat.XML, "1.6")
    assert [(c.path, c.bom_ref) for c in again.components] == [
        (c.path, c.bom_ref) for c in original.components
    ]
    _same_records(again, original)
    assert again.dependencies == original.dependencies
    assert again.vulnerabilities == replace_locations(again, original)
    assert len(again.services) == len(original.services)
    assert again.serial_number == original.serial_number


def replace_locations(again: ParsedSbom, original: ParsedSbom) -> tuple[Any, ...]:
    """The original's vulnerabilities with the re-read document's locations (XML line numbers)."""
    return tuple(
        replace(v, location=w.location)
        for v, w in zip(original.vulnerabilities, again.vulnerabilities, strict=True)
    )


@pytest.mark.parametrize("fixture", [NPM_1_0, NPM_1_1, HAND_WRITTEN], ids=lambda p: p.name)
def test_spdx_documents_export_to_valid_xml(fixture: Path) -> None:
    original = parse_sbom(fixture.read_bytes(), max_bytes=LIMIT)
    again = parse_sbom(_xml(original), max_bytes=LIMIT)
    _same_records(again, original)
    assert again.dependencies == original.dependencies


def test_npm_spdx_round_trips_through_the_spdx_export(tmp_path: Path) -> None:
    # given npm's SPDX 2.3 document read into records (20 packages, one described)
    original = parse_sbom(NPM_1_0.read_bytes(), max_bytes=LIMIT)
    # when written as SPDX 2.3 JSON
    document, read = _spdx(original, tmp_path)
    # then spdx-tools reads the same 20 packages, the described one first, with npm's SPDX ids
    assert len(read.packages) == len(document["packages"]) == 20
    assert read.packages[0].spdx_id == "SPDXRef-Package-spdx-fixture-1.0.0"
    assert document["relationships"][0] == {
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Package-spdx-fixture-1.0.0",
    }
    # whole seconds: spdx-tools refuses fractions
    assert document["creationInfo"]["created"] == "2026-11-28T08:00:00Z"
    assert document["creationInfo"]["creators"] == [
        "Tool: procurement-review-0.1.0",
        "Tool: npm/cli-11.19.1",
    ]
    # and reading it back gives the same components and dependencies
    again = parse_sbom(to_spdx_json(original, INFO), max_bytes=LIMIT)
    assert (again.standard, again.spec_version) == (SbomStandard.SPDX, "2.3")
    _same_records(again, original)
    assert again.dependencies == original.dependencies
    assert again.metadata.component == original.metadata.component


def test_free_text_licences_become_license_refs_and_services_are_named_as_left_out(
    tmp_path: Path,
) -> None:
    # given a CycloneDX document with a licence name, a deprecated "-with-" id, an expression,
    # a nested component, a service and a component without any SPDX-style id
    data = bom_json(
        "1.6",
        components=[
            library(
                "a",
                **{"bom-ref": "a"},
                licenses=[{"license": {"name": "Vendor EULA 2.0"}}],
                components=[library("a-inner")],
            ),
            library(
                "b",
                **{"bom-ref": "b"},
                licenses=[{"license": {"id": "GPL-2.0-with-classpath-exception"}}],
            ),
            library("c", licenses=[{"expression": "MIT OR Apache-2.0"}]),
        ],
        services=[{"name": "update-service"}],
        dependencies=[{"ref": "a", "dependsOn": ["b"]}],
    )
    original = parse_sbom(data, max_bytes=LIMIT)
    # when exported as SPDX (checked by the schema and spdx-tools)
    document, read = _spdx(original, tmp_path)
    # then licences are SPDX expressions, unknown texts LicenseRef-s with their text
    declared = {p["name"]: p["licenseDeclared"] for p in document["packages"]}
    assert declared == {
        "a": "LicenseRef-1-Vendor-EULA-2.0",
        "a-inner": "NOASSERTION",
        "b": "LicenseRef-2-GPL-2.0-with-classpath-exception",
        "c": "MIT OR Apache-2.0",
    }
    assert document["hasExtractedLicensingInfos"] == [
        {
            "licenseId": "LicenseRef-1-Vendor-EULA-2.0",
            "extractedText": "Vendor EULA 2.0",
            "name": "Vendor EULA 2.0",
        },
        {
            "licenseId": "LicenseRef-2-GPL-2.0-with-classpath-exception",
            "extractedText": "GPL-2.0-with-classpath-exception",
            "name": "GPL-2.0-with-classpath-exception",
        },
    ]
    # and nesting, dependencies and the description are relationships
    ids = {p["name"]: p["SPDXID"] for p in document["packages"]}
    assert [
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in document["relationships"]
    ] == [
        ("SPDXRef-DOCUMENT", "DESCRIBES", ids["a"]),
        ("SPDXRef-DOCUMENT", "DESCRIBES", ids["b"]),
        ("SPDXRef-DOCUMENT", "DESCRIBES", ids["c"]),
        (ids["a"], "DEPENDS_ON", ids["b"]),
        (ids["a"], "CONTAINS", ids["a-inner"]),
    ]
    assert document["creationInfo"]["comment"] == "SPDX 2.3 has no place for 1 services: left out."
    assert len(read.packages) == 4
    assert parse_sbom(to_spdx_json(original, INFO), max_bytes=LIMIT).components[0].licenses == (
        License(name="LicenseRef-1-Vendor-EULA-2.0"),
    )


# spdx-tools' validation is superlinear (minutes for the 900-component documents): it reads the
# smaller documents; every document meets the official schema and is read back by parse_sbom.
SPDX_TOOLS_MAX_PACKAGES = 150


@pytest.mark.corpus
def test_every_corpus_document_exports_to_valid_xml_and_spdx(corpus: Path, tmp_path: Path) -> None:
    # given every accepted document of the CycloneDX examples collection
    exported = read_by_spdx_tools = 0
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in (".json", ".xml")):
        try:
            original = parse_sbom(path.read_bytes(), max_bytes=LIMIT)
        except SbomRejected:
            continue
        # when written as XML and as SPDX, then both validate and keep every component
        from_xml = parse_sbom(_xml(original), max_bytes=LIMIT)
        assert len(from_xml.components) == len(original.components), path
        described = 1 if original.metadata.component is not None else 0
        if len(original.components) <= SPDX_TOOLS_MAX_PACKAGES:
            _document, read = _spdx(original, tmp_path)
            assert len(read.packages) == len(original.components) + described, path
            read_by_spdx_tools += 1
        data = to_spdx_json(original, INFO)
        assert [e.message for e in spdx_validator("2.3").iter_errors(orjson.loads(data))] == []
        from_spdx = parse_sbom(data, max_bytes=LIMIT)
        assert len(from_spdx.components) == len(original.components), path
        exported += 1
    assert (exported, read_by_spdx_tools) == (82, 56)
