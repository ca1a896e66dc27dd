"""A CycloneDX JSON upload's rows are built straight from the parsed tree (procurement.sboms.rows
.prepare); they must equal the rows of the record path (parse_sbom's Component records turned
into rows), which every other format takes: same columns, quality, warnings, dependencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from procurement.sboms import rows
from sbom import SbomRejected, parse_sbom
from sbom.purls import parse_purl_with_library
from sbom.quality import ntia_quality
from tests.support.properties import examples
from tests.unit.sbom.conftest import generate_cyclonedx_json
from tests.unit.sbom.test_sbom_purls import purlish, purls_of, simple_purlish

LIMIT = 50_000_000


def _record_path(document: bytes) -> tuple[Any, ...]:
    parsed = parse_sbom(document, max_bytes=LIMIT)
    return (
        [rows.component_row(c, i) for i, c in enumerate(parsed.components)],
        [rows.dependency_row(d) for d in parsed.dependencies],
        ntia_quality(parsed),
        parsed.warnings,
    )


def _prepared(document: bytes) -> tuple[Any, ...]:
    prepared = rows.prepare(document, max_bytes=LIMIT, content_encoding=None)
    return prepared.components, prepared.dependencies, prepared.quality, prepared.warnings


@pytest.mark.parametrize(
    ("spec", "seed", "nested"), [("1.6", 1, 0.05), ("1.4", 2, 0.3), ("1.2", 3, 0.0)]
)
def test_generated_documents_give_the_rows_of_the_record_path(
    spec: str, seed: int, nested: float
) -> None:
    # given generated documents (npm scopes written both ways, nesting, licences, hashes)
    document = generate_cyclonedx_json(1500, spec=spec, seed=seed, nested_fraction=nested)
    # when read into rows straight from the JSON tree
    prepared = _prepared(document)
    # then the rows, dependencies, quality and warnings equal the record path's
    assert len(prepared[0]) == 1500
    assert prepared == _record_path(document)


def test_warnings_and_invalid_purls_are_the_same() -> None:
    # given a document with an invalid purl twice, a repeated bom-ref and purls in other forms
    document = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
      "components": [
        {"type": "library", "name": "a", "bom-ref": "x", "purl": "not a purl"},
        {"type": "library", "name": "b", "bom-ref": "x", "purl": "not a purl",
         "components": [{"type": "library", "name": "c", "purl": "pkg:npm/@s/c@1.0.0"}]},
        {"type": "library", "name": "d", "purl": "pkg:npm/@s/c@1.0.0"},
        {"type": "library", "name": "e", "purl": "pkg:pypi/Some_Name@1.0+local#sub",
         "licenses": [{"expression": "MIT OR Apache-2.0"}]},
        {"type": "library", "name": "f", "licenses": [{"license": {"name": "X"}}]}
      ],
      "dependencies": [{"ref": "x", "dependsOn": ["y"]}]}"""
    # when read into rows straight from the JSON tree
    prepared = _prepared(document)
    # then they equal the record path's, with the warnings at the same places
    assert prepared == _record_path(document)
    assert [(w.code.name, w.location) for w in prepared[3]] == [
        ("INVALID_PURL", "/components/0/purl"),
        ("DUPLICATE_BOM_REF", "/components/1"),
        ("INVALID_PURL", "/components/1/purl"),
    ]
    assert [row[2:5] for row in prepared[0]] == [
        ("library", "a", "x"),
        ("library", "b", "x"),
        ("library", "c", None),
        ("library", "d", None),
        ("library", "e", None),
        ("library", "f", None),
    ]


def test_corpus_documents_give_the_rows_of_the_record_path(corpus: Path) -> None:
    # given every CycloneDX JSON document of the real corpus that is accepted
    compared = 0
    for path in sorted(corpus.rglob("*.json")):
        document = path.read_bytes()
        try:
            expected = _record_path(document)
        except SbomRejected:
            continue
        if b'"spdxVersion"' in document:
            continue
        # then the rows built from the JSON tree equal the record path's
        assert _prepared(document) == expected, path.name
        compared += 1
    assert compared == 65


def test_quality_counts_each_element_on_its_own_components() -> None:
    # given five components, each element missing from a different number of them: suppliers
    # on 4, versions on 3, an identifier on 3 (a purl, a CPE, a SWID tag), 2 in the dependency
    # graph (one of them only as a dependsOn target)
    document = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
      "components": [
        {"type": "library", "name": "a", "bom-ref": "a", "version": "1",
         "supplier": {"name": "S"}, "purl": "pkg:npm/a@1"},
        {"type": "library", "name": "b", "bom-ref": "b", "version": "2",
         "supplier": {"name": "S"}, "cpe": "cpe:2.3:a:x:b:2:*:*:*:*:*:*:*"},
        {"type": "library", "name": "c", "bom-ref": "c", "version": "3",
         "supplier": {"name": "S"}, "swid": {"tagId": "t", "name": "c"}},
        {"type": "library", "name": "d", "bom-ref": "d", "supplier": {"name": "S"}},
        {"type": "library", "name": "e"}
      ],
      "dependencies": [{"ref": "a", "dependsOn": ["c"]}]}"""
    # when read into rows straight from the JSON tree
    quality = _prepared(document)[2]
    # then each element's coverage is counted on its own, as the record path counts it
    assert quality == _record_path(document)[2]
    assert quality.coverage() | {"author": None, "timestamp": None} == {
        "supplier": 0.8,
        "component_name": 1.0,
        "version": 0.6,
        "unique_identifier": 0.6,
        "dependencies": 0.4,
        "author": None,
        "timestamp": None,
    }


def test_licences_in_every_shape_give_the_record_path_rows() -> None:
    # given licences by id (twice, once with a URL), by name, two at once, an expression
    document = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
      "components": [
        {"type": "library", "name": "a", "licenses": [{"license": {"id": "MIT"}}]},
        {"type": "library", "name": "b", "licenses": [{"license": {"id": "MIT"}}]},
        {"type": "library", "name": "c", "licenses": [{"license": {"name": "Own"}}]},
        {"type": "library", "name": "d",
         "licenses": [{"license": {"id": "MIT", "url": "https://x.example"}}]},
        {"type": "library", "name": "e",
         "licenses": [{"license": {"id": "MIT"}}, {"license": {"id": "Apache-2.0"}}]},
        {"type": "library", "name": "f", "licenses": [{"expression": "MIT OR Apache-2.0"}]},
        {"type": "library", "name": "g", "licenses": []}
      ]}"""
    # when read into rows straight from the JSON tree
    components = _prepared(document)[0]
    # then the licence columns are the record path's
    assert components == _record_path(document)[0]
    licences = rows.COMPONENT_COLUMNS.index("licenses_json")
    assert [row[licences] for row in components] == [
        '[["MIT",null,null]]',
        '[["MIT",null,null]]',
        '[[null,"Own",null]]',
        '[["MIT",null,null]]',
        '[["MIT",null,null],["Apache-2.0",null,null]]',
        '[[null,null,"MIT OR Apache-2.0"]]',
        None,
    ]


def test_dependency_rows_in_every_shape_are_the_record_paths() -> None:
    # given dependencies with and without dependsOn, an empty one, and provides (1.6)
    document = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
      "components": [
        {"type": "library", "name": "a", "bom-ref": "a"},
        {"type": "library", "name": "b", "bom-ref": "b"},
        {"type": "library", "name": "c", "bom-ref": "c"},
        {"type": "library", "name": "d", "bom-ref": "d"}
      ],
      "dependencies": [
        {"ref": "a", "dependsOn": ["b", "x"]},
        {"ref": "b"},
        {"ref": "c", "dependsOn": [], "provides": ["d"]}
      ]}"""
    # when read into rows straight from the JSON tree
    prepared = _prepared(document)
    # then the dependency rows and the graph's coverage are the record path's
    assert prepared[1] == _record_path(document)[1]
    assert prepared[1] == [("a", '["b","x"]', None), ("b", "[]", None), ("c", "[]", '["d"]')]
    assert prepared[2] == _record_path(document)[2]
    assert prepared[2].dependencies == 0.75  # a, b, c: provides is not the dependency graph


def _library_columns(raw: str) -> rows.PurlColumns:
    parts = parse_purl_with_library(raw)
    return rows.purl_columns(raw, None if isinstance(parts, str) else parts)


@settings(max_examples=examples(2000))
@given(st.one_of(purlish(), simple_purlish()))
@example("pkg:npm/@babel/core@7.21.0")
@example("pkg:deb/debian/curl@7.74.0-1.3+deb11u7?distro=debian-11&arch=amd64")
def test_fast_purl_columns_are_the_librarys(raw: str) -> None:
    # given any purl-like string
    # then the columns straight from the fast path, when it takes the purl, are those of
    # packageurl-python's answer (canonical, as written, type, namespace, name, version, key)
    fast = rows._simple_purl_columns(raw)
    if fast is not None:
        assert fast == _library_columns(raw)


def test_fast_purl_columns_of_generated_and_corpus_purls_are_the_librarys(corpus: Path) -> None:
    # given the purls of generated documents and of the real corpus
    purls = sorted(
        {
            *purls_of(orjson.loads(generate_cyclonedx_json(3000, seed=4))),
            *(
                p
                for path in corpus.rglob("*.json")
                for p in purls_of(orjson.loads(path.read_bytes()))
            ),
        }
    )
    # then every one the fast path takes gets the library's columns, and it takes all but the
    # 36 of the corpus it declined before
    fast = {raw: rows._simple_purl_columns(raw) for raw in purls}
    assert {raw: columns for raw, columns in fast.items() if columns is not None} == {
        raw: _library_columns(raw) for raw, columns in fast.items() if columns is not None
    }
    assert sum(columns is None for columns in fast.values()) == 36
