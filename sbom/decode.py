"""Turn uploaded bytes into the document's bytes: size limits, gzip, format sniffing.

Limits are enforced while inflating, so a decompression bomb stops after ``max_bytes + 1``
bytes of output instead of after inflating everything.
"""

from __future__ import annotations

import re
import zlib

from sbom.errors import IssueCode, reject
from sbom.messages import refuse
from sbom.models import SbomFormat

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
_GZIP_ENCODINGS = frozenset({"gzip", "x-gzip"})
_PLAIN_ENCODINGS = frozenset({"", "identity"})
_OTHER_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32: CycloneDX and SPDX are UTF-8
_LEADING_SPACE = re.compile(rb"[ \t\r\n]*")
# SPDX tag-value: an "SPDXVersion:" line near the top (comments or other document tags may
# come first; tools write it first).
_SPDX_VERSION_TAG = re.compile(rb"^[ \t]*SPDXVersion[ \t]*:", re.MULTILINE)
_TAG_VALUE_SNIFF = 64 * 1024
_SPDX_YAML_VERSION = re.compile(rb"^[ \t]*['\"]?spdxVersion['\"]?[ \t]*:", re.MULTILINE)
# Input is fed to zlib in slices so one call never holds more than this much pending input.
_FEED = 1 << 20


def decode_input(data: bytes, *, max_bytes: int, content_encoding: str | None = None) -> bytes:
    """Return the (decompressed) document bytes, or raise :class:`~sbom.SbomRejected`.

    gzip is recognised by ``content_encoding`` ("gzip"/"x-gzip") or by its magic bytes; any other
    encoding is refused rather than misread.
    """
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    if not data:
        raise refuse(IssueCode.EMPTY, "empty")
    if len(data) > max_bytes:
        raise refuse(IssueCode.TOO_LARGE, "too_large", size=len(data), limit=max_bytes)
    encoding = (content_encoding or "").strip().lower()
    if encoding in _GZIP_ENCODINGS:
        if not data.startswith(GZIP_MAGIC):
            raise refuse(IssueCode.DECOMPRESSION_FAILED, "not_gzip")
        data = gunzip_limited(data, max_bytes)
    elif encoding in _PLAIN_ENCODINGS:
        if data.startswith(GZIP_MAGIC):
            data = gunzip_limited(data, max_bytes)
    else:
        raise refuse(IssueCode.UNSUPPORTED_ENCODING, "encoding", encoding=repr(content_encoding))
    return data


# A NUL written raw, or as the JSON escape \u0000 (after an even run of backslashes, so that
# an escaped backslash followed by "u0000" is not one). No database text column holds U+0000.
_NUL = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000")


def refuse_nul(document: bytes) -> None:
    """Refuse a document with U+0000 in it, at its line and column; every SBOM format is text."""
    # Two substring searches (memchr-fast) settle almost every document; the regex, with its
    # look-behind tried at every byte, ran 65 s over 800 MB holding the GIL, so it only locates.
    if b"\x00" not in document and b"\\u0000" not in document:
        return
    found = _NUL.search(document)
    if found is None:
        return
    position = found.end() - (1 if found.group() == b"\x00" else 6)
    line = document.count(b"\n", 0, position) + 1
    column = position - (document.rfind(b"\n", 0, position) + 1) + 1
    raise refuse(IssueCode.INVALID_CHARACTER, "nul", f"line {line}, column {column}")


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """Inflate gzip ``data`` (several members allowed), refusing more than ``limit`` bytes."""
    out = bytearray()
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    pending = memoryview(data)
    try:
        while True:
            # Ask for at most one byte past the limit: enough to know it was exceeded.
            room = limit + 1 - len(out)
            if inflater.unconsumed_tail:
                chunk = inflater.decompress(inflater.unconsumed_tail, room)
            elif pending:
                chunk = inflater.decompress(pending[:_FEED], room)
                pending = pending[_FEED:]
            else:
                chunk = inflater.decompress(b"", room)
                if not chunk and not inflater.eof:
                    raise refuse(IssueCode.DECOMPRESSION_FAILED, "gzip_truncated")
            out += chunk
            if len(out) > limit:
                raise refuse(IssueCode.TOO_LARGE, "decompressed_too_large", limit=limit)
            if inflater.eof:
                rest = inflater.unused_data + bytes(pending)
                if not rest.strip(b"\x00"):
                    break
                if not rest.startswith(GZIP_MAGIC):
                    raise refuse(IssueCode.DECOMPRESSION_FAILED, "gzip_trailing")
                inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                pending = memoryview(rest)
    except zlib.error as exc:
        raise refuse(IssueCode.DECOMPRESSION_FAILED, "gzip_corrupt", detail=str(exc)) from None
    return bytes(out)


def sniff_format(data: bytes) -> SbomFormat:
    """Tell JSON, XML and SPDX tag-value apart by the content (never by a file name)."""
    if data.startswith(_OTHER_UNICODE_BOMS) or b"\x00" in data[:4]:
        raise refuse(IssueCode.UNSUPPORTED_ENCODING, "utf16")
    start = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    first = _LEADING_SPACE.match(data, start)
    position = first.end() if first else start
    head = data[position : position + 1]
    if head in (b"{", b"["):
        return SbomFormat.JSON
    if head == b"<":
        return SbomFormat.XML
    if not head:
        raise refuse(IssueCode.EMPTY, "blank")
    # (a slice, so that "^" matches at its start: search(data, pos) would not, after a BOM)
    top = data[position : position + _TAG_VALUE_SNIFF]
    if _SPDX_VERSION_TAG.search(top):
        return SbomFormat.TAG_VALUE
    if _SPDX_YAML_VERSION.search(top):
        raise refuse(IssueCode.UNKNOWN_FORMAT, "spdx_yaml")
    raise reject(
        IssueCode.UNKNOWN_FORMAT,
        "the document is neither JSON, XML nor SPDX tag-value (a CycloneDX document starts with"
        " '{' or '<', an SPDX one with '{' or an 'SPDXVersion:' line)",
    )
