"""Stored files: content sniffing, the evidence check, safe names, Content-Disposition."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote

import pytest

from procurement.files import (
    DOCX_TYPE,
    UploadedFile,
    check_evidence,
    safe_file_name,
    sniff_document_type,
)
from procurement.validation import Checker
from procurement.web.downloads import content_disposition


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, b"<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (b"II*\x00....", "image/tiff"),
        (_zip(["[Content_Types].xml", "word/document.xml"]), DOCX_TYPE),
        (_zip(["mimetype", "content.xml"]), None),  # an OpenDocument file is not a .docx
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_the_bytes_decide_the_type(data: bytes, expected: str | None) -> None:
    assert sniff_document_type(data) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("scan 签字.pdf", "scan 签字.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\li\\合同.PDF", "合同.pdf"),
        ('a"b<c>|d;e.pdf', "a_b_c_d_e.pdf"),
        ("...", "signed.pdf"),
        (None, "signed.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_file_names_are_made_safe(name: str | None, expected: str) -> None:
    assert safe_file_name(name, "signed", ".pdf") == expected


def test_content_disposition_keeps_the_exact_utf8_name() -> None:
    header = content_disposition("网络安全保密协议_SCA-2025-00001-01_zh.docx")
    ascii_part, star_part = header.split("; filename*=UTF-8''")
    assert ascii_part == 'attachment; filename="SCA-2025-00001-01_zh.docx"'
    assert unquote(star_part) == "网络安全保密协议_SCA-2025-00001-01_zh.docx"
    assert content_disposition("协议.docx").startswith('attachment; filename="download.docx"')
    assert content_disposition('a "quoted"; name.pdf').startswith(
        'attachment; filename="a _quoted__ name.pdf"'
    )


@pytest.mark.parametrize(
    ("data", "expected_type", "errors"),
    [
        (b"%PDF-1.7\n...", "application/pdf", []),
        (
            b"MZ\x90\x00",
            None,
            [("proof", "must be a PDF, PNG, JPEG, TIFF or .docx file", "INVALID")],
        ),
        (b"", None, [("proof", "must be a PDF, PNG, JPEG, TIFF or .docx file", "INVALID")]),
        (
            b"%PDF-" + b"x" * (25 * 1024 * 1024),
            None,
            [("proof", "is larger than 25 MiB", "TOO_LARGE")],
        ),
    ],
)
def test_evidence_files_are_at_most_25_mib_and_documents(
    data: bytes, expected_type: str | None, errors: list[tuple[str, str, str]]
) -> None:
    # given an uploaded evidence file, when checked, then its sniffed type or the problem
    check = Checker()
    media_type = check_evidence(check, "proof", UploadedFile("scan.pdf", "application/pdf", data))
    assert media_type == expected_type
    assert [(e.field, e.message, e.code.value) for e in check.errors] == errors
