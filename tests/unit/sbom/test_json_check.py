"""Checking a JSON SBOM elsewhere while it is read (sbom.json_check) gives the answer that
checking it first gives: the same records, the same warnings in the same order, the same
refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbom import IssueCode, ParsedSbom, SbomIssue, SbomRejected, parse_sbom
from sbom.issuelog import IssueLog
from sbom.json_check import JsonCheck, check_json
from tests.unit.sbom.builders import LIMIT, bom_json, library
from tests.unit.sbom.conftest import generate_cyclonedx_json
from tests.unit.sbom.spdx_builders import package, spdx_json


@pytest.fixture(scope="module")
def threads() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def elsewhere(pool: ThreadPoolExecutor) -> Callable[[bytes, int], Callable[[], JsonCheck]]:
    """A checker that runs the checks in another thread, as the service runs them in another
    process."""

    def start(body: bytes, max_errors: int) -> Callable[[], JsonCheck]:
        return pool.submit(check_json, body, max_errors).result

    return start


def issues(found: tuple[SbomIssue, ...] | list[SbomIssue]) -> list[tuple[Any, ...]]:
    """Issues with their message keys and parameters, which SbomIssue's == leaves out."""
    return [(i.code, i.message, i.location, i.key, i.params) for i in found]


def outcome(parse: Callable[[], ParsedSbom]) -> tuple[str, Any]:
    try:
        return "accepted", parse()
    except SbomRejected as rejected:
        return "refused", issues(rejected.errors)


def both_ways(
    document: bytes, pool: ThreadPoolExecutor, **options: Any
) -> tuple[tuple[str, Any], tuple[str, Any]]:
    first = outcome(lambda: parse_sbom(document, max_bytes=LIMIT, **options))
    beside = outcome(
        lambda: parse_sbom(document, max_bytes=LIMIT, checker=elsewhere(pool), **options)
    )
    return first, beside


def with_bad_url(component: dict[str, Any]) -> dict[str, Any]:
    # Structurally valid, but not an iri-reference: a format warning from the validator.
    return {**component, "externalReferences": [{"type": "website", "url": "http://a b/${x}"}]}


WARNED = bom_json(
    components=[
        with_bad_url(library("first", purl="pkg:npm/first@1.0.0", **{"bom-ref": "a"})),
        library("bad-purl", purl="pkg:/nothing", **{"bom-ref": "a"}),  # invalid; bom-ref twice
        with_bad_url(library("third", purl="pkg:pypi/third@2.0")),
    ]
)


def test_a_document_with_format_and_reading_warnings_reads_the_same(
    threads: ThreadPoolExecutor,
) -> None:
    # Given a valid document whose validation warns twice and whose reading warns twice
    # When it is parsed with the checks first, and with them beside the reading
    first, beside = both_ways(WARNED, threads)
    # Then both accept it with the same records and the warnings in the same order
    assert first[0] == beside[0] == "accepted"
    assert beside[1] == first[1]
    assert issues(beside[1].warnings) == issues(first[1].warnings)
    assert [w.code for w in beside[1].warnings] == [
        IssueCode.INVALID_FORMAT,
        IssueCode.INVALID_FORMAT,
        IssueCode.DUPLICATE_BOM_REF,
        IssueCode.INVALID_PURL,
    ]


def test_capped_warnings_keep_the_first_and_count_the_rest(threads: ThreadPoolExecutor) -> None:
    # Given the same document with room for three warnings
    # When it is parsed both ways
    first, beside = both_ways(WARNED, threads, max_warnings=3)
    # Then both keep the first three and say one more was not listed
    assert issues(beside[1].warnings) == issues(first[1].warnings)
    assert [w.code for w in beside[1].warnings] == [
        IssueCode.INVALID_FORMAT,
        IssueCode.INVALID_FORMAT,
        IssueCode.DUPLICATE_BOM_REF,
        IssueCode.WARNINGS_TRUNCATED,
    ]
    assert beside[1].warnings[-1].message == "1 more warnings were not listed"


REFUSED = {
    # reading this one unvalidated fails (no "name"): the schema's refusal must win
    "schema": bom_json(components=[{"type": "library", "version": "1"}]),
    "components not a list": bom_json(components={"name": "x"}),
    "duplicate keys": b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, '
    b'"components": [], "components": []}',
    "duplicate key and wrong format": b'{"bomFormat": "CycloneDX", "bomFormat": "SPDX"}',
    "not CycloneDX": orjson.dumps({"bomFormat": "Other", "components": []}),
    "unsupported spec": bom_json(spec="9.9"),
    "not an object": b"[1, 2]",
    "invalid JSON": b'{"bomFormat": ',
    "SPDX with a duplicate key": b'{"spdxVersion": "SPDX-2.3", "spdxVersion": "SPDX-2.3"}',
    "invalid SPDX": orjson.dumps({"spdxVersion": "SPDX-2.3", "packages": "none"}),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_document_is_refused_for_the_same_reasons(
    name: str, threads: ThreadPoolExecutor
) -> None:
    # Given a document the reader refuses
    # When it is parsed both ways
    first, beside = both_ways(REFUSED[name], threads)
    # Then both refuse it with the same issues, in the same order
    assert first[0] == "refused"
    assert beside == first


def test_the_schema_refusal_wins_over_what_reading_met(threads: ThreadPoolExecutor) -> None:
    # Given a component without a name: read unvalidated, it raises a KeyError
    # When it is parsed beside its checks
    refused = outcome(
        lambda: parse_sbom(REFUSED["schema"], max_bytes=LIMIT, checker=elsewhere(threads))
    )
    # Then the refusal is the schema's, at the component
    assert refused[0] == "refused"
    assert [(code, location) for code, _, location, _, _ in refused[1]] == [
        (IssueCode.SCHEMA_INVALID, "/components/0")
    ]


def test_a_reading_failure_in_a_valid_document_is_raised(threads: ThreadPoolExecutor) -> None:
    # Given a valid document and a row builder that fails
    def failing(*_: Any) -> tuple[Any, ...]:
        raise LookupError("a bug in the row builder")

    # When it is parsed beside its checks
    # Then the failure is not taken for a refusal
    with pytest.raises(LookupError, match="a bug in the row builder"):
        parse_sbom(WARNED, max_bytes=LIMIT, checker=elsewhere(threads), component_row=failing)


def test_spdx_json_reads_the_same(threads: ThreadPoolExecutor) -> None:
    # Given an SPDX JSON document
    document = spdx_json(package("SPDXRef-a", "a", versionInfo="1.0"))
    # When it is parsed both ways
    first, beside = both_ways(document, threads)
    # Then both read the same
    assert first[0] == "accepted"
    assert beside == first


def test_a_checker_that_declines_leaves_the_checks_here() -> None:
    # Given a checker that declines (as the service's does for small documents)
    asked: list[int] = []

    def declines(body: bytes, max_errors: int) -> None:
        asked.append(len(body))

    # When a document with a duplicate key is parsed with it
    # Then it is refused here, as without one
    with pytest.raises(SbomRejected) as refused:
        parse_sbom(REFUSED["duplicate keys"], max_bytes=LIMIT, checker=declines)
    assert [e.code for e in refused.value.errors] == [IssueCode.DUPLICATE_KEY]
    assert asked == [len(REFUSED["duplicate keys"])]


def test_generated_documents_read_the_same(threads: ThreadPoolExecutor) -> None:
    for spec in ("1.2", "1.4", "1.6", "1.7"):
        # Given a generated document of 300 components
        document = generate_cyclonedx_json(300, spec=spec, seed=3)
        # When it is parsed both ways
        first, beside = both_ways(document, threads)
        # Then both read the same components and warnings
        assert first[0] == "accepted", spec
        assert beside == first, spec
        assert len(beside[1].components) == 300


@pytest.mark.corpus
def test_every_corpus_json_document_reads_the_same(
    corpus: Path, threads: ThreadPoolExecutor
) -> None:
    documents = sorted(corpus.rglob("*.json"))
    assert len(documents) > 40
    for path in documents:
        # Given a real document
        # When it is parsed both ways
        first, beside = both_ways(path.read_bytes(), threads)
        # Then the outcomes are identical
        assert beside == first, path
        if first[0] == "accepted":
            assert issues(beside[1].warnings) == issues(first[1].warnings), path


def test_taking_warnings_counts_what_did_not_fit() -> None:
    # Given a log with room for two, and a reading that warned three times (one dropped)
    log, reading = IssueLog(2), IssueLog(2)
    for n in range(3):
        reading.warn(IssueCode.INVALID_PURL, f"reading {n}", None)
    earlier = [SbomIssue(IssueCode.INVALID_FORMAT, "format", "/x")]
    # When the log takes the earlier warning, then the reading's
    log.take(earlier, reading)
    # Then it keeps the first two and counts the other two
    assert [w.message for w in log.warnings()] == [
        "format",
        "reading 0",
        "2 more warnings were not listed",
    ]
