"""The real CycloneDX examples in ../shared/sbom-corpus: every valid one parses completely."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from sbom import Component, IssueCode, ParsedSbom, SbomRejected, parse_sbom
from sbom.export import to_cyclonedx_json
from sbom.schemas import json_validator

pytestmark = pytest.mark.corpus

LIMIT = 50_000_000
CORPUS_SIZE = 82
# Structurally valid, but a value breaks a schema "format" (checked by hand): accepted with a
# warning at that place. Listed so a change is noticed.
EXPECTED_FORMAT_WARNINGS = {
    "OBOM/Example-1-Decoupled/bom.json": (
        "/components/5/externalReferences/3/url",
        "Maven's unexpanded ${project.artifactId} in a URL is not an iri-reference (1.4 schema)",
        55,
    ),
    "OBOM/Example-1-Standalone/bom.json": (
        "/components/5/externalReferences/3/url",
        "Maven's unexpanded ${project.artifactId} in a URL is not an iri-reference (1.4 schema)",
        55,
    ),
}
# (components incl. nested, dependencies, services incl. nested, vulnerabilities), counted by
# hand (grep of <component / "bom-ref" / "id": "CVE" and the files' structure).
EXACT_COUNTS = {
    "SBOM/juice-shop/via_npm/bare/bom.1.4.json": (1115, 1116, 0, 0),
    "SBOM/juice-shop/via_npm/bare/bom.1.4.xml": (1115, 1116, 0, 0),
    "SBOM/keycloak-10.0.2/bom.json": (903, 899, 0, 0),
    "SBOM/dropwizard-1.3.15/bom.xml": (167, 167, 0, 0),
    "SBOM/laravel-7.12.0/bom.1.1.xml": (62, 0, 0, 0),
    "SaaSBOM/apigateway-microservices-datastores/bom.json": (0, 5, 6, 0),
    "VEX/CISA-Use-Cases/Case-2/vex.json": (0, 0, 0, 19),
    "CBOM/Example-With-Dependencies/bom.json": (3, 4, 0, 0),
}


def _documents(corpus: Path) -> list[str]:
    return sorted(
        str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.suffix in (".json", ".xml")
    )


Parse = Callable[[str], ParsedSbom]


@pytest.fixture(scope="module")
def parse(corpus: Path) -> Parse:
    """Parses a corpus document once per module: the results are frozen, and several tests read
    the same documents (parsing the corpus is most of this module's time)."""

    @functools.cache
    def parse_once(name: str) -> ParsedSbom:
        return parse_sbom((corpus / name).read_bytes(), max_bytes=LIMIT)

    return parse_once


def test_corpus_is_the_expected_collection(corpus: Path) -> None:
    names = _documents(corpus)
    assert len(names) == CORPUS_SIZE
    assert Counter(Path(n).suffix for n in names) == {".json": 65, ".xml": 17}


def test_every_valid_document_parses_and_no_component_is_lost(corpus: Path, parse: Parse) -> None:
    # given every document of the corpus
    accepted, rejected = [], {}
    for name in _documents(corpus):
        # when it is parsed
        try:
            parsed = parse(name)
        except SbomRejected as exc:
            rejected[name] = exc.errors[0]
            continue
        accepted.append(name)
        # then the extracted components (nested included) match an independent raw count
        assert len(parsed.components) == parsed.raw_component_count, name
        # and a real-world corpus yields no warnings (valid purls, unique bom-refs), except the
        # known format problems, reported where they are
        if name in EXPECTED_FORMAT_WARNINGS:
            location, _why, count = EXPECTED_FORMAT_WARNINGS[name]
            assert len(parsed.warnings) == count, name
            assert {w.code for w in parsed.warnings} == {IssueCode.INVALID_FORMAT}
            assert parsed.warnings[0].location == location
            assert 'is not a "iri-reference"' in parsed.warnings[0].message
        else:
            assert parsed.warnings == (), name
    # and nothing in the corpus is rejected
    assert rejected == {}
    assert len(accepted) == CORPUS_SIZE


@pytest.mark.parametrize("name", sorted(EXACT_COUNTS))
def test_exact_counts_of_selected_documents(parse: Parse, name: str) -> None:
    parsed = parse(name)
    counts = (
        len(parsed.components),
        len(parsed.dependencies),
        len(parsed.services),
        len(parsed.vulnerabilities),
    )
    assert counts == EXACT_COUNTS[name]


def test_nesting_of_juice_shop_is_kept(parse: Parse) -> None:
    # given the npm tree written with nested components
    parsed = parse("SBOM/juice-shop/via_npm/bare/bom.1.4.json")
    # then the depths are as in the file, and a nested component knows its parent
    assert Counter(len(c.path) for c in parsed.components) == {1: 837, 2: 266, 3: 12}
    semver = next(c for c in parsed.components if c.path == (7, 5, 0))
    assert (semver.name, semver.parent_ref) == (
        "semver",
        "@mapbox/node-pre-gyp@1.0.10|make-dir@3.1.0",
    )


def test_saasbom_services_are_nested_under_the_gateway(parse: Parse) -> None:
    parsed = parse("SaaSBOM/apigateway-microservices-datastores/bom.json")
    assert [(s.name, s.parent_ref) for s in parsed.services] == [
        ("API Gateway", None),
        ("Microservice 1", "api-gateway"),
        ("Microservice 2", "api-gateway"),
        ("Microservice 3", "api-gateway"),
        ("Postgres", "api-gateway"),
        ("S3", "api-gateway"),
    ]


def _identity(component: Component) -> tuple[object, ...]:
    return (
        component.path,
        component.bom_ref,
        component.parent_ref,
        component.type,
        component.group,
        component.name,
        component.version,
        component.purl,
        component.hashes,
    )


# Licences the twin files themselves disagree on (checked by hand in the files).
TWIN_LICENCE_DIFFERENCES = {
    "SBOM/dropwizard-1.3.15/bom": {"osgi-resource-locator"},  # XML states no licence
}


TWINS = [
    "SBOM/cern-lhc-vdm-editor-e564943/bom",
    "SBOM/dropwizard-1.3.15/bom",
    "SBOM/juice-shop/v11.1.2/bom",
    "SBOM/juice-shop/via_npm/bare/bom.1.2",
    "SBOM/juice-shop/via_npm/bare/bom.1.3",
    "SBOM/juice-shop/via_npm/bare/bom.1.4",
    "SBOM/juice-shop/via_npm/flat/bom.1.2",
    "SBOM/juice-shop/via_npm/flat/bom.1.3",
    "SBOM/juice-shop/via_npm/flat/bom.1.4",
    "SBOM/keycloak-10.0.2/bom",
    "SBOM/laravel-7.12.0/bom.1.2",
    "SBOM/laravel-7.12.0/bom.1.3",
    "SBOM/laravel-7.12.0/bom.1.4",
    "SBOM/proton-bridge/proton-bridge-v1.6.3.bom",
    "SBOM/proton-bridge/proton-bridge-v1.8.0.bom",
    "SBOM/protonmail-webclient-v4-0912dff/bom",
]


@pytest.mark.parametrize("stem", TWINS)
def test_json_and_xml_twins_give_the_same_components(parse: Parse, stem: str) -> None:
    # given the JSON and XML renderings of one SBOM
    from_json = parse(stem + ".json")
    from_xml = parse(stem + ".xml")
    # then identity, nesting, purls, licences and hashes agree component by component
    # (scope and some external references differ in the source files themselves)
    assert (from_json.format.value, from_xml.format.value) == ("json", "xml")
    assert [_identity(c) for c in from_json.components] == [
        _identity(c) for c in from_xml.components
    ]
    assert from_json.dependencies == from_xml.dependencies
    differing = {
        a.name
        for a, b in zip(from_json.components, from_xml.components, strict=True)
        if a.licenses != b.licenses
    }
    assert differing == TWIN_LICENCE_DIFFERENCES.get(stem, set())


def test_dropwizard_twins_differ_only_where_the_files_do(parse: Parse) -> None:
    # the XML states scope "required" where the JSON states none: a difference in the files
    from_json = parse("SBOM/dropwizard-1.3.15/bom.json")
    from_xml = parse("SBOM/dropwizard-1.3.15/bom.xml")
    assert {c.scope for c in from_json.components} == {None}
    assert {c.scope for c in from_xml.components} == {"required"}


def test_every_accepted_document_exports_to_valid_cyclonedx_1_6(corpus: Path, parse: Parse) -> None:
    validator = json_validator("1.6")
    for name in _documents(corpus):
        parsed = parse(name)
        exported = to_cyclonedx_json(parsed)
        errors = [e.message for e in validator.iter_errors(orjson.loads(exported))][:3]
        assert errors == [], name
        again = parse_sbom(exported, max_bytes=LIMIT)
        assert [c.purl for c in again.components] == [c.purl for c in parsed.components], name
