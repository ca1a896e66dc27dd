"""Generated documents (bench/sbom_generate.py): valid for every spec version, parsed exactly."""

from __future__ import annotations

import gzip
from collections import Counter

import orjson
import pytest

from sbom import parse_sbom
from sbom.schemas import JSON_SPEC_VERSIONS, json_validator

from .conftest import generate_cyclonedx_json

LIMIT = 100_000_000


@pytest.mark.parametrize("spec", JSON_SPEC_VERSIONS)
def test_generated_documents_validate_against_their_schema(spec: str) -> None:
    # given a generated document for each spec version
    document = orjson.loads(generate_cyclonedx_json(200, spec=spec, seed=3))
    # then the official schema accepts it
    assert [e.message for e in json_validator(spec).iter_errors(document)][:3] == []
    assert document["specVersion"] == spec


def test_generator_is_deterministic_per_seed() -> None:
    assert generate_cyclonedx_json(50, seed=1) == generate_cyclonedx_json(50, seed=1)
    assert generate_cyclonedx_json(50, seed=1) != generate_cyclonedx_json(50, seed=2)


def test_1000_component_document_is_parsed_completely(generated_1000: bytes) -> None:
    # given a generated 1.6 document with 1,000 components, some nested
    raw = orjson.loads(generated_1000)
    # when it is parsed
    parsed = parse_sbom(generated_1000, max_bytes=LIMIT)
    # then every component, dependency and vulnerability is there
    assert len(parsed.components) == parsed.raw_component_count == 1000
    assert len(parsed.dependencies) == 1001  # one per component plus the described application
    assert len(parsed.vulnerabilities) == 1000 // 50 + 1
    assert len(raw["components"]) < 1000  # some are nested
    depths = Counter(len(c.path) for c in parsed.components)
    assert depths[1] == len(raw["components"])
    assert sum(depths.values()) == 1000
    # and every purl is valid, the ecosystems mixed
    assert parsed.warnings == ()
    assert {c.purl_type for c in parsed.components} == {"npm", "maven", "pypi", "deb"}
    assert all(c.purl_identity and "?" not in c.purl_identity for c in parsed.components)


def test_generated_document_gzip_roundtrip(generated_1000: bytes) -> None:
    parsed = parse_sbom(gzip.compress(generated_1000), max_bytes=LIMIT)
    assert parsed.size_bytes == len(generated_1000)
    assert len(parsed.components) == 1000


def test_nested_fraction_zero_gives_a_flat_document() -> None:
    parsed = parse_sbom(generate_cyclonedx_json(100, nested_fraction=0.0), max_bytes=LIMIT)
    assert {len(c.path) for c in parsed.components} == {1}


def test_older_specs_get_no_vulnerabilities() -> None:
    parsed = parse_sbom(generate_cyclonedx_json(100, spec="1.3"), max_bytes=LIMIT)
    assert (len(parsed.components), parsed.vulnerabilities) == (100, ())
