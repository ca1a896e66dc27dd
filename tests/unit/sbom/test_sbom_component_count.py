"""Counting components from the bytes, before parsing, and refusing past a limit (issue 11: a
1,000,000-component document was parsed whole before anything refused it)."""

from __future__ import annotations

import json

import orjson
import pytest

from sbom import SbomRejected, component_count, parse_sbom
from sbom.component_count import count_component_objects, refuse_json_over_limit
from sbom.json_reader import count_components

from .builders import LIMIT, bom_json, library
from .conftest import generate_cyclonedx_json
from .spdx_builders import ROOT, package, spdx_json


def _expected(document: bytes) -> int:
    """The parsed count: /components with nested ones, plus metadata's tool components."""
    tree = orjson.loads(document)
    tools = tree.get("metadata", {}).get("tools")
    return count_components(tree) + (len(tools.get("components", [])) if tools else 0)


@pytest.mark.parametrize("size", [0, 1, 57, 2000])
def test_the_byte_count_matches_the_parsed_count(size: int) -> None:
    document = generate_cyclonedx_json(size, spec="1.6", seed=size, nested_fraction=0.3)
    assert count_component_objects(document) == _expected(document) == size + 1


def test_slices_cut_anywhere_give_the_same_count(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a document full of strings holding brackets, quotes, escapes and the key itself
    tricky = [
        library(f"c{i}", description=f'{{"components": [{{}}]}} \\" [ ] \\\\ {i}')
        for i in range(40)
    ]
    tricky[3]["components"] = [library("nested", description='"components":[{}]')]
    document = bom_json(components=tricky)
    pretty = json.dumps(orjson.loads(document), indent=1, ensure_ascii=False).encode()
    # when counted in slices of every small size (so that cuts fall everywhere)
    counts = set()
    for size in range(7, 60):
        monkeypatch.setattr(component_count, "_SLICE", size)
        counts |= {count_component_objects(document), count_component_objects(pretty)}
    # then the count is always the 41 component objects
    assert counts == {41}


def test_spdx_packages_are_counted() -> None:
    document = spdx_json(package(ROOT, "root"), *(package(f"SPDXRef-{i}", "p") for i in range(5)))
    assert count_component_objects(document) == 6


def test_a_document_over_the_limit_is_refused_before_parsing() -> None:
    document = generate_cyclonedx_json(30, spec="1.6", seed=1)
    # when the limit is below its 31 component objects (30 and the tool)
    with pytest.raises(SbomRejected) as refused:
        refuse_json_over_limit(document, 20, "PROCUREMENT_MAX_SBOM_COMPONENTS")
    # then the refusal says how many, the limit and the setting
    [issue] = refused.value.errors
    assert (issue.code, issue.location, issue.message) == (
        "TOO_MANY_COMPONENTS",
        None,
        "the document has 31 components, more than the limit of 20 "
        "(PROCUREMENT_MAX_SBOM_COMPONENTS): split it into several SBOMs, or ask an "
        "administrator to raise the limit",
    )
    # and at the limit it passes
    refuse_json_over_limit(document, 31, "PROCUREMENT_MAX_SBOM_COMPONENTS")


def test_parse_sbom_refuses_past_max_components_in_every_format() -> None:
    json_doc = bom_json(components=[library(f"c{i}") for i in range(3)])
    escaped = json_doc.replace(b'"name"', b'"na\\u006de"')  # escapes fool the screen
    for document in (json_doc, escaped):
        with pytest.raises(SbomRejected) as refused:
            parse_sbom(document, max_bytes=LIMIT, max_components=2, max_components_setting="X")
        assert [(e.code, e.message[:40]) for e in refused.value.errors] == [
            ("TOO_MANY_COMPONENTS", "the document has 3 components, more than")
        ]
    assert len(parse_sbom(json_doc, max_bytes=LIMIT, max_components=3).components) == 3


@pytest.mark.parametrize("size", [1, 5, 6, 7, 11, 12, 13, 64])
def test_names_across_slice_cuts_are_counted_once(
    monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(component_count, "_SLICE", size)
    for document in (b'x"name"' * 100, b'"name"' * 99, b'"name""name"x' * 17):
        assert component_count.name_count(document) == document.count(b'"name"')
