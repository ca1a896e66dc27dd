"""Duplicate JSON keys are refused at their JSON pointer (issue 11: an SBOM with "components"
twice was stored with the second list only, and no warning, while other readers take the first)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from sbom import IssueCode, SbomRejected, parse_sbom
from sbom.json_duplicates import find_duplicate_keys, refuse_duplicate_keys

from .builders import LIMIT, bom_json, library
from .conftest import generate_cyclonedx_json
from .spdx_builders import ROOT, package, spdx_json

HEAD = b'{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,'


def _refusals(data: bytes) -> list[tuple[str, str | None, str]]:
    with pytest.raises(SbomRejected) as refused:
        parse_sbom(data, max_bytes=LIMIT)
    return [(e.code, e.location, e.message) for e in refused.value.errors]


def _message(key: str) -> str:
    return (
        f"the key {key} appears more than once in one object; JSON readers disagree on which "
        "value counts (this service would keep the last, others the first), so the document is "
        "ambiguous: remove all but one"
    )


def test_components_twice_is_refused_at_its_pointer() -> None:
    # given a CycloneDX document with two "components" lists (a reader keeps one or the other)
    document = (
        HEAD + b'"components":[{"type":"library","name":"a"}],'
        b'"components":[{"type":"library","name":"b"}]}'
    )
    # then it is refused at /components, saying what is wrong
    assert _refusals(document) == [("DUPLICATE_KEY", "/components", _message('"components"'))]


def test_a_duplicate_inside_a_component_is_refused_at_its_pointer() -> None:
    components = ",".join(f'{{"type":"library","name":"c{i}","version":"1"}}' for i in range(3))
    twice = '{"type":"library","name":"c3","version":"1.0","version":"2.0"}'
    document = HEAD + f'"components":[{components},{twice}]}}'.encode()
    assert _refusals(document) == [
        ("DUPLICATE_KEY", "/components/3/version", _message('"version"'))
    ]


def test_pretty_printed_duplicates_with_escapes_are_found_in_document_order() -> None:
    # given white space before colons, a quote in a string, and keys needing pointer escapes
    text = (
        '{\n  "bomFormat" : "CycloneDX", "specVersion": "1.6", "version": 1,\n'
        '  "metadata": {"component": {"type": "library", "name": "say \\"hi\\": x",'
        ' "a/b~c": 1, "a/b~c": 2}},\n'
        '  "components": [{"type": "library", "name": "n", "name": "m"}]\n}'
    )
    # then each duplicate is reported, outermost first, with ~ and / escaped in the pointer
    assert [(code, where) for code, where, _ in _refusals(text.encode())] == [
        ("DUPLICATE_KEY", "/metadata/component/a~1b~0c"),
        ("DUPLICATE_KEY", "/components/0/name"),
    ]


def test_spdx_json_with_a_duplicate_package_key_is_refused() -> None:
    good = spdx_json(package(ROOT, "root"), package("SPDXRef-p", "lib"))
    tree = orjson.loads(good)
    text = json.dumps(tree)  # ", " and ": " separators: the slow search's path is taken too
    duplicated = text.replace('"name": "lib"', '"name": "lib", "name": "other"')
    assert _refusals(duplicated.encode()) == [
        ("DUPLICATE_KEY", "/packages/1/name", _message('"name"'))
    ]


@pytest.mark.parametrize(
    "document",
    [
        bom_json(components=[library("a", description='quote " and colon": here')]),
        bom_json(components=[library("a\\", description="ends in a backslash")]),
        json.dumps(orjson.loads(bom_json(components=[library("x")])), indent=2).encode(),
        bom_json(components=[library("\u4e2d\u6587", description="\u00e9\\u0022:")]),
    ],
    ids=["escaped-quote-colon", "backslash", "indented", "non-ascii"],
)
def test_documents_without_duplicates_pass(document: bytes) -> None:
    # given documents that make the fast screen unsure (or not), none with a duplicate key
    tree = orjson.loads(document)
    # then nothing is refused, and the slow search agrees there is none
    refuse_duplicate_keys(document, tree, max_errors=20)
    assert find_duplicate_keys(document, max_errors=20) == []


def test_generated_and_real_documents_have_no_duplicates(generated_1000: bytes) -> None:
    parsed = parse_sbom(generated_1000, max_bytes=LIMIT)
    assert len(parsed.components) == 1000


def test_the_report_stops_at_max_errors() -> None:
    twice = '{"type":"library","name":"a","name":"b"}'
    document = HEAD + f'"components":[{",".join([twice] * 30)}]}}'.encode()
    with pytest.raises(SbomRejected) as refused:
        parse_sbom(document, max_bytes=LIMIT, max_errors=5)
    assert [e.location for e in refused.value.errors] == [f"/components/{i}/name" for i in range(5)]


def test_a_duplicate_in_a_real_corpus_document_is_found(corpus: Path) -> None:
    # given a real CycloneDX JSON document from the corpus, with its first key written twice
    source = sorted(p for p in corpus.rglob("*.json") if b'"bomFormat"' in p.read_bytes())[0]
    data = source.read_bytes()
    tree = orjson.loads(data)
    refuse_duplicate_keys(data, tree, max_errors=20)  # as published: no duplicate
    doubled = data.replace(b'"bomFormat"', b'"bomFormat": "CycloneDX", "bomFormat"', 1)
    # then the duplicate is found at the top level
    issues = find_duplicate_keys(doubled, max_errors=20)
    assert [(i.code, i.location) for i in issues] == [(IssueCode.DUPLICATE_KEY, "/bomFormat")]


def test_generated_documents_of_every_spec_pass_the_screen() -> None:
    for spec in ("1.2", "1.4", "1.6"):
        document = generate_cyclonedx_json(200, spec=spec, seed=3)
        refuse_duplicate_keys(document, orjson.loads(document), max_errors=20)


@pytest.mark.parametrize("separator", [b":", b" :"], ids=["compact", "space-before-colon"])
def test_a_duplicate_1000_levels_deep_is_found(separator: bytes) -> None:
    # given a duplicate at the bottom of objects nested deeper than orjson writes and Python's
    # reader recurses by default (orjson reads up to 1024 levels)
    key = b'"a"' + separator
    text = (b"{" + key) * 1000 + b'{"x":1,"x":2}' + b"}" * 1000
    tree = orjson.loads(text)
    # then it is refused at its pointer
    with pytest.raises(SbomRejected) as refused:
        refuse_duplicate_keys(text, tree, max_errors=20)
    assert [e.location for e in refused.value.errors] == ["/a" * 1000 + "/x"]
