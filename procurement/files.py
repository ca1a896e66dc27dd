"""Uploaded and downloadable files: the value services receive, content sniffing, the check of
evidence files, safe file names.

A client's declared content type is not trusted: the type stored with a file is the one its first
bytes show, so a download is always served as what it really is.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from procurement.errors import ErrorCode
from procurement.texts import Text
from procurement.validation import Checker

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
MAX_EVIDENCE_BYTES = 25 * 1024 * 1024  # a scanned signed agreement or an audit report

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF_TYPE),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
EXTENSIONS = {
    PDF_TYPE: ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    DOCX_TYPE: ".docx",
}
# Characters that break paths or headers on some system: separators, quotes, shell and Windows
# reserved characters. Letters of every script (Chinese included) are kept.
_UNSAFE = re.compile(r'[\\/:*?"<>|;\'`$\x00-\x1f\x7f]+')


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file a client sent (GraphQL multipart request), read into memory."""

    filename: str
    content_type: str | None
    data: bytes

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def sniff_document_type(data: bytes) -> str | None:
    """The media type of a signed copy or evidence file (PDF, image, .docx), None otherwise."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return DOCX_TYPE
    return None


def check_evidence(check: Checker, field: str, upload: UploadedFile) -> str | None:
    """The sniffed media type of an evidence file (a signed copy, a supervision attachment);
    None with the problem in ``check`` when it is too large or not a document we keep."""
    if len(upload.data) > MAX_EVIDENCE_BYTES:
        too_large = Text("input.larger_than_mib", {"mib": MAX_EVIDENCE_BYTES // 2**20})
        check.fail(field, too_large, ErrorCode.TOO_LARGE)
        return None
    media_type = sniff_document_type(upload.data)
    if media_type is None:
        check.fail(field, Text("input.evidence_type", {}))
    return media_type


def safe_file_name(name: str | None, fallback: str, extension: str, max_len: int = 150) -> str:
    """A file name safe to store and to send back: no directories or control characters, the
    given extension, at most ``max_len`` characters; ``fallback`` when nothing usable is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    if base.lower().endswith(extension.lower()):
        base = base[: -len(extension)]
    base = _UNSAFE.sub("_", base).strip(" ._")
    if not base:
        base = fallback
    return base[: max_len - len(extension)] + extension
