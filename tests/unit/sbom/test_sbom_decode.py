"""Input handling before any parsing: emptiness, size limits, gzip, format sniffing."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from sbom import IssueCode, SbomFormat, SbomRejected, decode, parse_sbom
from sbom.decode import decode_input, gunzip_limited, sniff_format

from .builders import LIMIT, bom_json, library


def _code(excinfo: pytest.ExceptionInfo[SbomRejected]) -> IssueCode:
    return excinfo.value.errors[0].code


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", b"\xef\xbb\xbf  "])
def test_empty_or_blank_input_is_rejected(data: bytes) -> None:
    # given nothing but (optional BOM and) whitespace
    # when it is parsed
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=LIMIT)
    # then it is rejected as empty
    assert _code(excinfo) == IssueCode.EMPTY


def test_input_over_the_limit_is_rejected_before_reading() -> None:
    # given a valid document one byte larger than the limit
    data = bom_json(components=[library("a")])
    # when it is parsed with max_bytes one below its size
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=len(data) - 1)
    # then it is rejected as too large, with both sizes in the message
    assert _code(excinfo) == IssueCode.TOO_LARGE
    assert excinfo.value.errors[0].message == (
        f"the upload is {len(data)} bytes; the limit is {len(data) - 1}"
    )


def test_input_exactly_at_the_limit_is_accepted() -> None:
    data = bom_json(components=[library("a")])
    assert len(parse_sbom(data, max_bytes=len(data)).components) == 1


def test_gzip_is_detected_by_magic_bytes_and_hashed_after_decompression() -> None:
    # given a gzip-compressed document and no declared encoding
    plain = bom_json(components=[library("a"), library("b")])
    # when it is parsed
    parsed = parse_sbom(gzip.compress(plain), max_bytes=LIMIT)
    # then it is read, and the digest and size are those of the decompressed document
    assert [c.name for c in parsed.components] == ["a", "b"]
    assert parsed.size_bytes == len(plain)
    import hashlib

    assert parsed.sha256 == hashlib.sha256(plain).hexdigest()


def test_declared_gzip_encoding_is_honoured() -> None:
    plain = bom_json(components=[library("a")])
    parsed = parse_sbom(gzip.compress(plain), max_bytes=LIMIT, content_encoding="GZIP")
    assert parsed.components[0].name == "a"


def test_declared_gzip_that_is_not_gzip_is_rejected() -> None:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(bom_json(), max_bytes=LIMIT, content_encoding="gzip")
    assert _code(excinfo) == IssueCode.DECOMPRESSION_FAILED


def test_unsupported_content_encoding_is_rejected() -> None:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(bom_json(), max_bytes=LIMIT, content_encoding="br")
    assert _code(excinfo) == IssueCode.UNSUPPORTED_ENCODING


def _gzip_of_zeros(total: int) -> bytes:
    """gzip of ``total`` zero bytes, built in slices so the test never holds them all."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    parts = [compressor.compress(chunk) for _ in range(total >> 20)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_gzip_bomb_stops_at_the_limit_without_inflating_everything() -> None:
    # given 256 MiB of zeros compressed to a few hundred KiB, and a 1 MiB limit
    bomb = _gzip_of_zeros(256 << 20)
    assert len(bomb) < 1 << 20
    limit = 1 << 20
    # when it is parsed, watching the memory allocated meanwhile
    tracemalloc.start()
    try:
        with pytest.raises(SbomRejected) as excinfo:
            parse_sbom(bomb, max_bytes=limit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # then it is rejected as too large, having held only about the limit in memory
    assert _code(excinfo) == IssueCode.TOO_LARGE
    assert excinfo.value.errors[0].message == (
        f"the decompressed document is larger than the limit of {limit} bytes"
    )
    assert peak < 6 * limit


def test_gunzip_limited_accepts_exactly_the_limit() -> None:
    data = b"x" * 1000
    assert gunzip_limited(gzip.compress(data), 1000) == data
    with pytest.raises(SbomRejected):
        gunzip_limited(gzip.compress(data), 999)


def test_multi_member_gzip_is_read_whole() -> None:
    # given two gzip members concatenated (what `cat a.gz b.gz` makes)
    data = gzip.compress(b"hello ") + gzip.compress(b"world")
    # then both are inflated
    assert gunzip_limited(data, 100) == b"hello world"


@pytest.mark.parametrize(
    "damage",
    [lambda b: b[: len(b) // 2], lambda b: b[:10] + b"\x00garbage\xff" * 4 + b[10:]],
    ids=["truncated", "corrupt"],
)
def test_damaged_gzip_is_rejected(damage: object) -> None:
    good = gzip.compress(bom_json(components=[library("a")]))
    assert callable(damage)
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(damage(good), max_bytes=LIMIT)
    assert _code(excinfo) == IssueCode.DECOMPRESSION_FAILED


def test_garbage_after_gzip_is_rejected() -> None:
    with pytest.raises(SbomRejected) as excinfo:
        gunzip_limited(gzip.compress(b"{}") + b"not gzip", 100)
    assert _code(excinfo) == IssueCode.DECOMPRESSION_FAILED


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": 1}', SbomFormat.JSON),
        (b"\n\t [1]", SbomFormat.JSON),
        (b"\xef\xbb\xbf{}", SbomFormat.JSON),
        (b"<?xml version='1.0'?><bom/>", SbomFormat.XML),
        (b"  <bom/>", SbomFormat.XML),
    ],
)
def test_format_is_sniffed_from_content(data: bytes, expected: SbomFormat) -> None:
    assert sniff_format(data) is expected


def test_neither_json_xml_nor_tag_value_is_rejected() -> None:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(b"name,version\nlodash,4.17.21\n", max_bytes=LIMIT)
    assert _code(excinfo) == IssueCode.UNKNOWN_FORMAT


@pytest.mark.parametrize(
    "data",
    ["<bom/>".encode("utf-16"), "<bom/>".encode("utf-16-le"), '{"a":1}'.encode("utf-32")],
    ids=["utf-16-bom", "utf-16-le-no-bom", "utf-32"],
)
def test_non_utf8_documents_are_rejected(data: bytes) -> None:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=LIMIT)
    assert _code(excinfo) == IssueCode.UNSUPPORTED_ENCODING


def test_max_bytes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        decode_input(b"{}", max_bytes=0)


@pytest.mark.parametrize(
    ("document", "location"),
    [
        (b'{"bomFormat": "CycloneDX", "x": "a\\u0000"}', "line 1, column 35"),
        (b'{\n  "bomFormat": "CycloneDX",\n  "x": "ab\\\\\\u0000"}', "line 3, column 13"),
        (b"SPDXVersion: SPDX-2.3\nPackageName: a\x00b\n", "line 2, column 15"),
    ],
)
def test_a_nul_anywhere_is_refused_at_its_line_and_column(document: bytes, location: str) -> None:
    # given a document with U+0000 (raw, or as a JSON escape after an escaped backslash)
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(document, max_bytes=LIMIT)
    # then it is refused where the NUL is, before any database sees it
    issue = excinfo.value.errors[0]
    assert (issue.code, issue.location) == (IssueCode.INVALID_CHARACTER, location)
    assert issue.message == "the document contains U+0000 (NUL), which no SBOM field may hold"


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul() -> None:
    # "\\u0000" in JSON is a backslash followed by "u0000": allowed
    document = bom_json(components=[library("a\\u0000")])
    assert b"a\\\\u0000" in document
    parsed = parse_sbom(document, max_bytes=LIMIT)
    assert parsed.components[0].name == "a\\u0000"


def test_a_clean_document_is_passed_without_the_locating_regex(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the locating regex replaced by one that fails the test if it runs
    class Forbidden:
        def search(self, _document: bytes) -> None:
            raise AssertionError("the regex ran over a document with no NUL")

    monkeypatch.setattr(decode, "_NUL", Forbidden())
    # when a document with backslashes but no NUL is checked, then it passes untouched
    decode.refuse_nul(b'{"name": "a\\u0041 \\\\ b"}')
