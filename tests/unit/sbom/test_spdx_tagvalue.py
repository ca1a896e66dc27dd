"""SPDX tag-value: detection, conversion to the JSON shape (checked against spdx-tools, the SPDX
project's own parser), errors located by line, and records equal to those of the same JSON."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbom import (
    Dependency,
    IssueCode,
    License,
    SbomFormat,
    SbomIssue,
    SbomRejected,
    SbomStandard,
    parse_sbom,
)
from sbom.decode import sniff_format
from sbom.spdx_tagvalue import TagValueDocument, count_packages

from .spdx_builders import LIMIT, without_locations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "spdx"
HAND_WRITTEN = FIXTURES / "hand-written-2.3.spdx"

HEADER = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: example
DocumentNamespace: https://example.com/spdx/example-1
Creator: Tool: example-1.0
Created: 2024-05-01T12:00:00Z
"""


def _rejection(text: str, max_errors: int = 20) -> list[SbomIssue]:
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(text.encode(), max_bytes=LIMIT, max_errors=max_errors)
    return excinfo.value.errors


@pytest.mark.parametrize(
    "head",
    [
        b"SPDXVersion: SPDX-2.3\n",
        b"## made by a tool\n\nSPDXVersion: SPDX-2.2\n",
        b"\xef\xbb\xbfSPDXVersion: SPDX-2.3",
    ],
)
def test_tag_value_is_recognised_by_its_version_line(head: bytes) -> None:
    assert sniff_format(head + b"DataLicense: CC0-1.0\n") is SbomFormat.TAG_VALUE


def test_hand_written_document_reads_into_records() -> None:
    # given a tag-value document using every section: files, snippets, extracted licences...
    parsed = parse_sbom(HAND_WRITTEN.read_bytes(), max_bytes=LIMIT)
    # then the described firmware is the product, its two packages the components
    assert (parsed.standard, parsed.format, parsed.spec_version) == (
        SbomStandard.SPDX,
        SbomFormat.TAG_VALUE,
        "2.3",
    )
    described = parsed.metadata.component
    assert described is not None
    assert (described.name, described.type, described.location, described.licenses) == (
        "router-firmware",
        "firmware",
        "line 17",
        (License(name="LicenseRef-Vendor-EULA"),),
    )
    assert [(c.name, c.type, c.location, c.purl_identity) for c in parsed.components] == [
        ("openssl", "operating-system", "line 47", "pkg:generic/openssl@3.0.13"),
        ("zlib", "library", "line 67", "pkg:generic/zlib@1.3.1"),
    ]
    # (the "PackageName:" inside the description text is not a package)
    assert parsed.raw_component_count == 2
    assert parsed.dependencies == (
        Dependency("SPDXRef-firmware", ("SPDXRef-openssl",)),
        Dependency("SPDXRef-openssl", ("SPDXRef-zlib",)),
        Dependency("SPDXRef-zlib", ()),
    )
    assert parsed.warnings == ()


def test_conversion_equals_what_spdx_tools_reads_from_the_same_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    license_expression = pytest.importorskip("license_expression")
    tagvalue = pytest.importorskip("spdx_tools.spdx.parser.tagvalue.parser")
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    # spdx-tools builds a new licence index for every expression it parses (~0.2 s each)
    monkeypatch.setattr(
        tagvalue, "get_spdx_licensing", functools.cache(license_expression.get_spdx_licensing)
    )
    text = HAND_WRITTEN.read_text()
    # given spdx-tools' reading of the tag-value text
    reference = tagvalue.Parser().parse(text)
    # when spdx-tools reads our JSON-shaped conversion of it instead
    parser = JsonLikeDictParser()  # type: ignore[no-untyped-call]
    converted = parser.parse(TagValueDocument(text, 20).document)
    # then both say the same (only the order of annotations and relationships may differ)
    for field in (
        "creation_info",
        "packages",
        "files",
        "snippets",
        "extracted_licensing_info",
    ):
        assert getattr(converted, field) == getattr(reference, field), field
    assert _sorted(converted.annotations) == _sorted(reference.annotations)
    assert set(map(repr, converted.relationships)) == set(map(repr, reference.relationships))
    assert len(converted.packages) == 3 and len(converted.annotations) == 2


def _sorted(items: list[Any]) -> list[Any]:
    return sorted(items, key=repr)


def test_tag_value_and_json_of_one_document_give_the_same_records() -> None:
    # given the hand-written document, and the JSON our conversion makes of it
    text = HAND_WRITTEN.read_text()
    json_data = orjson.dumps(TagValueDocument(text, 20).document)
    # when both are parsed, then the records are the same but for their locations
    from_text = parse_sbom(text.encode(), max_bytes=LIMIT)
    from_json = parse_sbom(json_data, max_bytes=LIMIT)
    assert without_locations(from_text) == without_locations(from_json)
    assert (from_text.components[0].location, from_json.components[0].location) == (
        "line 47",
        "/packages/1",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "PackageName: a\nthis is not a tag\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "expected 'Tag: value', found 'this is not a tag'",
                    "line 9",
                )
            ],
        ),
        (
            "PackageName: a\nPackageColour: blue\n",
            [SbomIssue(IssueCode.INVALID_TAG_VALUE, "unknown tag 'PackageColour'", "line 9")],
        ),
        (
            "PackageVersion: 1.0\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "PackageVersion is not allowed in the document section",
                    "line 8",
                )
            ],
        ),
        (
            "PackageName: a\nPackageVersion: 1\nPackageVersion: 2\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "PackageVersion is given twice (first on line 9)",
                    "line 10",
                )
            ],
        ),
        (
            "PackageName: a\nPackageComment: <text>never\nclosed\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "PackageComment: <text> is never closed with </text>",
                    "line 9",
                )
            ],
        ),
        (
            "PackageName: a\nFilesAnalyzed: maybe\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "FilesAnalyzed must be true or false, not 'maybe'",
                    "line 9",
                )
            ],
        ),
        (
            "PackageName: a\nPackageChecksum: d41d8cd98f00b204\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "PackageChecksum must read 'ALGORITHM: value', not 'd41d8cd98f00b204'",
                    "line 9",
                )
            ],
        ),
        (
            "PackageName: a\nExternalRef: PACKAGE-MANAGER purl\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "ExternalRef must read 'CATEGORY TYPE LOCATOR', not 'PACKAGE-MANAGER purl'",
                    "line 9",
                )
            ],
        ),
        (
            "Relationship: SPDXRef-DOCUMENT DESCRIBES\n",
            [
                SbomIssue(
                    IssueCode.INVALID_TAG_VALUE,
                    "Relationship must read 'ELEMENT TYPE ELEMENT', not 'SPDXRef-DOCUMENT DESCRIBES'",
                    "line 8",
                )
            ],
        ),
    ],
)
def test_unreadable_lines_are_rejected_with_their_line(
    body: str, expected: list[SbomIssue]
) -> None:
    assert _rejection(HEADER + body) == expected


def test_every_unreadable_line_is_listed_up_to_max_errors() -> None:
    body = "PackageName: a\n" + "".join(f"Nonsense{i}: x\n" for i in range(10))
    errors = _rejection(HEADER + body, max_errors=3)
    assert [(e.message, e.location) for e in errors] == [
        ("unknown tag 'Nonsense0'", "line 9"),
        ("unknown tag 'Nonsense1'", "line 10"),
        ("unknown tag 'Nonsense2'", "line 11"),
    ]


def test_schema_errors_name_the_tag_and_its_line() -> None:
    # given a package without a download location and a relationship of an unknown kind
    body = "PackageName: a\nSPDXID: SPDXRef-a\n\nRelationship: SPDXRef-a NEEDS SPDXRef-a\n"
    errors = _rejection(HEADER + body)
    assert [(e.code, e.location) for e in errors] == [
        (IssueCode.SCHEMA_INVALID, "line 8"),
        (IssueCode.SCHEMA_INVALID, "line 11"),
    ]
    assert errors[0].message == (
        'PackageDownloadLocation is required ("downloadLocation" is a required property)'
    )
    assert errors[1].message.startswith('"NEEDS" is not one of ')


def test_spdx_2_2_refuses_a_2_3_tag_on_its_line() -> None:
    body = (
        "PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\n"
        "PackageLicenseConcluded: MIT\nPackageLicenseDeclared: MIT\nPackageCopyrightText: NONE\n"
        "PrimaryPackagePurpose: LIBRARY\n"
    )
    errors = _rejection(HEADER.replace("SPDX-2.3", "SPDX-2.2") + body)
    assert errors == [
        SbomIssue(
            IssueCode.SCHEMA_INVALID,
            "PrimaryPackagePurpose is not allowed here (Additional properties are not allowed "
            "('primaryPackagePurpose' was unexpected))",
            "line 14",
        )
    ]


def test_warnings_are_located_by_line() -> None:
    body = (
        "PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\n"
        "ExternalRef: PACKAGE-MANAGER purl pkg:/broken\n"
        "Relationship: SPDXRef-a DEPENDS_ON SPDXRef-gone\n"
    )
    parsed = parse_sbom((HEADER + body).encode(), max_bytes=LIMIT)
    assert [(w.code, w.location) for w in parsed.warnings] == [
        (IssueCode.INVALID_PURL, "line 11"),
        (IssueCode.UNKNOWN_REFERENCE, "line 12"),
    ]


def test_unsupported_version_is_rejected_on_its_line() -> None:
    errors = _rejection("# SPDX 2.1\nSPDXVersion: SPDX-2.1\nDataLicense: CC0-1.0\n")
    assert errors == [
        SbomIssue(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            "spdxVersion 'SPDX-2.1' is not supported; supported SPDX versions: SPDX-2.2, SPDX-2.3",
            "line 2",
        )
    ]


def test_invalid_utf8_is_rejected_with_its_line() -> None:
    data = (HEADER + "PackageName: caf").encode() + b"\xe9\n"
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(data, max_bytes=LIMIT)
    assert excinfo.value.errors == [
        SbomIssue(IssueCode.UNSUPPORTED_ENCODING, "the document is not valid UTF-8", "line 8")
    ]


def test_packages_are_counted_outside_text_blocks() -> None:
    text = "PackageName: a\nPackageComment: <text>\nPackageName: b\n</text>\n  PackageName: c\n"
    assert count_packages(text) == 2


def test_crlf_line_ends_and_comments_are_read() -> None:
    body = "# a comment\r\nPackageName: a\r\nSPDXID: SPDXRef-a\r\nPackageDownloadLocation: NONE\r\n"
    parsed = parse_sbom((HEADER.replace("\n", "\r\n") + body).encode(), max_bytes=LIMIT)
    assert [(c.name, c.bom_ref, c.location) for c in parsed.components] == [
        ("a", "SPDXRef-a", "line 9")
    ]
