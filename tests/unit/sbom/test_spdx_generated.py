"""Generated SPDX documents (bench/spdx_generate.py) read exactly, with spdx-tools (the SPDX
project's own library) as the reference reader and as the tool that writes the tag-value."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbom import SbomFormat, parse_sbom
from sbom.spdx_schemas import spdx_validator

from .conftest import REPO_ROOT
from .spdx_builders import LIMIT, without_locations

_spec = importlib.util.spec_from_file_location(
    "spdx_generate", REPO_ROOT / "bench" / "spdx_generate.py"
)
assert _spec is not None and _spec.loader is not None
_generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_generator)
generate_spdx_json: Callable[..., bytes] = _generator.generate_spdx_json

# spdx-tools' names for the checksum algorithms the generator uses, and CycloneDX's
_ALGORITHMS = {"SHA1": "SHA-1", "SHA256": "SHA-256"}


@pytest.mark.parametrize("spec", ["2.2", "2.3"])
def test_generated_documents_are_valid_spdx(spec: str) -> None:
    document = orjson.loads(generate_spdx_json(100, spec=spec, seed=3))
    assert [e.message for e in spdx_validator(spec).iter_errors(document)][:3] == []
    # spdx-tools' semantic validation (ids, references, licences) finds nothing either
    parser = pytest.importorskip("spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser")
    validator = pytest.importorskip("spdx_tools.spdx.validation.document_validator")
    parsed = parser.JsonLikeDictParser().parse(document)
    assert validator.validate_full_spdx_document(parsed, f"SPDX-{spec}") == []


def test_generator_is_deterministic_per_seed() -> None:
    assert generate_spdx_json(20, seed=1) == generate_spdx_json(20, seed=1)
    assert generate_spdx_json(20, seed=1) != generate_spdx_json(20, seed=2)


def test_records_equal_what_spdx_tools_reads() -> None:
    parser = pytest.importorskip("spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser")
    # given a generated document with 300 packages besides the product
    data = generate_spdx_json(300, seed=11)
    # when we and spdx-tools read it
    parsed = parse_sbom(data, max_bytes=LIMIT)
    reference = parser.JsonLikeDictParser().parse(orjson.loads(data))
    # then every package but the described one is a component, with the same facts
    parts = [p for p in reference.packages if p.spdx_id != "SPDXRef-Package-root"]
    assert len(parsed.components) == parsed.raw_component_count == len(parts) == 300
    ours = [
        (
            c.bom_ref,
            c.name,
            c.version,
            c.purl_raw,
            c.cpe,
            c.supplier_name,
            tuple(sorted((h.alg, h.content) for h in c.hashes)),
            c.licenses[0].spdx_id or c.licenses[0].name or c.licenses[0].expression
            if c.licenses
            else None,
        )
        for c in parsed.components
    ]
    assert ours == [_reference_facts(p) for p in parts]
    # and every DEPENDS_ON / DEPENDENCY_OF relationship is one dependency edge
    edges = {(d.ref, target) for d in parsed.dependencies for target in d.depends_on}
    assert edges == _reference_edges(reference.relationships)


def _reference_facts(package: Any) -> tuple[Any, ...]:
    refs = {r.reference_type: r.locator for r in package.external_references}
    licence = package.license_concluded
    if _is_no_assertion(licence):
        licence = package.license_declared
    supplier = package.supplier or package.originator
    return (
        package.spdx_id,
        package.name,
        package.version,
        refs.get("purl"),
        refs.get("cpe23Type"),
        None if supplier is None or _is_no_assertion(supplier) else supplier.name,
        tuple(sorted((_ALGORITHMS[c.algorithm.name], c.value) for c in package.checksums)),
        None if _is_no_assertion(licence) else str(licence),
    )


def _is_no_assertion(value: Any) -> bool:
    return type(value).__name__ in ("SpdxNoAssertion", "SpdxNone") or value is None


def _reference_edges(relationships: list[Any]) -> set[tuple[str, str]]:
    edges = set()
    for r in relationships:
        kind = r.relationship_type.name
        if kind == "DEPENDS_ON":
            edges.add((r.spdx_element_id, str(r.related_spdx_element_id)))
        elif kind == "DEPENDENCY_OF":
            edges.add((str(r.related_spdx_element_id), r.spdx_element_id))
    return edges


@pytest.mark.parametrize("spec", ["2.2", "2.3"])
def test_tag_value_written_by_spdx_tools_reads_as_its_json(tmp_path: Path, spec: str) -> None:
    parse_anything = pytest.importorskip("spdx_tools.spdx.parser.parse_anything")
    write_anything = pytest.importorskip("spdx_tools.spdx.writer.write_anything")
    # given spdx-tools' tag-value rendering of a generated JSON document
    source = tmp_path / "generated.spdx.json"
    source.write_bytes(generate_spdx_json(200, spec=spec, seed=5))
    target = tmp_path / "generated.spdx"
    write_anything.write_file(parse_anything.parse_file(str(source)), str(target), validate=False)
    # when both are parsed
    from_json = parse_sbom(source.read_bytes(), max_bytes=LIMIT)
    from_text = parse_sbom(target.read_bytes(), max_bytes=LIMIT)
    # then they say the same (spdx-tools writes relationships in another order: compare edges)
    assert from_text.format is SbomFormat.TAG_VALUE
    assert from_text.raw_component_count == 200
    json_facts, text_facts = without_locations(from_json), without_locations(from_text)
    assert text_facts[:5] == json_facts[:5]  # standard, version, namespace, metadata, components
    assert {(d.ref, t) for d in from_text.dependencies for t in d.depends_on} == {
        (d.ref, t) for d in from_json.dependencies for t in d.depends_on
    }
