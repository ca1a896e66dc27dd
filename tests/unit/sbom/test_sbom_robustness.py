"""Robustness: deep nesting, threads, the garbage collector left as found."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest

from sbom import IssueCode, SbomRejected, parse_sbom

from .builders import LIMIT, bom_json, bom_xml, library


def _nested_json(depth: int) -> bytes:
    text = '{"type":"library","name":"leaf"}'
    for level in range(depth):
        text = f'{{"type":"library","name":"c{level}","components":[{text}]}}'
    return f'{{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{text}]}}'.encode()


def test_deeply_nested_components_are_all_read_without_recursion() -> None:
    # given 500 levels of nested components (about 1,000 JSON levels)
    parsed = parse_sbom(_nested_json(500), max_bytes=LIMIT)
    # then every level is a component and the deepest knows its parent
    assert len(parsed.components) == parsed.raw_component_count == 501
    deepest = parsed.components[-1]
    assert (deepest.name, deepest.depth, deepest.parent_ref) == ("leaf", 500, None)


def test_nesting_beyond_the_json_parser_limit_is_rejected_cleanly() -> None:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(_nested_json(600), max_bytes=LIMIT)
    assert excinfo.value.errors[0].code == IssueCode.INVALID_JSON
    assert "depth limit exceeded" in excinfo.value.errors[0].message


def test_xml_nesting_beyond_the_safe_parser_limit_is_rejected_cleanly() -> None:
    body = "<components>" + '<component type="library"><name>x</name><components>' * 300
    body += "</components></component>" * 300 + "</components>"
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT)
    assert excinfo.value.errors[0].code == IssueCode.INVALID_XML


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_is_left_as_it_was(enabled: bool) -> None:
    # given the collector on or off
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        # when a document is parsed, and another rejected
        parse_sbom(bom_json(components=[library("a")]), max_bytes=LIMIT)
        with pytest.raises(SbomRejected):
            parse_sbom(b"{not json", max_bytes=LIMIT)
        # then the collector is as it was
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_parsing_from_several_threads_at_once_is_safe() -> None:
    # given JSON and XML documents of each supported XML version
    xml_body = '<components><component type="library"><name>a</name><version>1</version></component></components>'
    documents = [bom_xml(spec, xml_body) for spec in ("1.2", "1.3", "1.4", "1.5", "1.6")]
    documents += [bom_json(spec, components=[library("a")]) for spec in ("1.4", "1.5", "1.6")]
    invalid = bom_xml("1.4", '<components><component type="library"/></components>')

    # when they are parsed concurrently, many times over
    def work(index: int) -> tuple[str, int]:
        if index % 7 == 0:
            try:
                parse_sbom(invalid, max_bytes=LIMIT)
            except SbomRejected as exc:
                return ("rejected", len(exc.errors))
        parsed = parse_sbom(documents[index % len(documents)], max_bytes=LIMIT)
        return (parsed.spec_version, len(parsed.components))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(200)))
    # then every result is what a lone parse gives
    assert {r for i, r in enumerate(results) if i % 7 == 0} == {("rejected", 1)}
    assert {r[1] for i, r in enumerate(results) if i % 7} == {1}


def test_xml_wrapped_text_is_collapsed_like_json_writers_do() -> None:
    body = (
        '<components><component type="library"><name>\n  tomcat\n</name><version>7</version>'
        "<licenses><license><name>Apache License, Version 2.0 and\n        Common Development"
        "</name></license></licenses></component></components>"
    )
    (component,) = parse_sbom(bom_xml("1.4", body), max_bytes=LIMIT).components
    assert component.name == "tomcat"
    assert component.licenses[0].name == "Apache License, Version 2.0 and Common Development"


def test_keep_tree_is_handed_the_parsed_json_once_read() -> None:
    # given a JSON document of one component, and a caller that keeps the parsed tree
    kept: list[object] = []
    data = bom_json(components=[library("zlib")])
    # when it is parsed
    parsed = parse_sbom(data, max_bytes=LIMIT, keep_tree=kept.append)
    # then the caller holds the whole tree, and the component was read as without it
    assert kept == [orjson.loads(data)]
    assert [c.name for c in parsed.components] == ["zlib"]
