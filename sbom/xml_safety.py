"""Safe XML parsing: no DTD, no entities, no network.

A DOCTYPE is refused before parsing (CycloneDX never needs one, and DTDs are how entity
expansion ("billion laughs") and external entities (XXE) get in). The parser itself never
resolves entities, loads DTDs or touches the network, and the reader checks for a DOCTYPE again
after parsing: three lines of defence, each tested on its own.
"""

from __future__ import annotations

import re

from lxml import etree

from sbom.errors import IssueCode, reject

FORBIDDEN = "XML documents with a DOCTYPE (DTD or entity declarations) are not accepted"
_XML_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Encodings in which "<!DOCTYPE" is spelled with the same bytes as in ASCII.
_ALLOWED_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1"})


def safe_parser() -> etree.XMLParser:
    """A new parser per document (lxml parsers must not be shared between threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,  # keeps libxml2's depth and size limits
        remove_comments=True,
        remove_pis=True,
    )


def check_prolog(data: bytes) -> None:
    """Refuse a DOCTYPE and non-ASCII-compatible encodings before the parser sees anything.

    A DOCTYPE can only stand in the prolog, so skip the XML declaration, comments and processing
    instructions and look at what comes next; text further in (even "<!DOCTYPE" inside CDATA)
    cannot be one.
    """
    declared = _XML_DECLARATION.match(data.lstrip(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii").lower() not in _ALLOWED_ENCODINGS:
        raise reject(
            IssueCode.UNSUPPORTED_ENCODING,
            f"XML encoding {declared.group(1).decode('ascii')!r} is not supported; use UTF-8",
            "line 1",
        )
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while position < len(data) and data[position] in b" \t\r\n":
            position += 1
        if data.startswith(b"<?", position):
            closing = b"?>"
        elif data.startswith(b"<!--", position):
            closing = b"-->"
        elif data.startswith(b"<!", position):
            raise reject(IssueCode.FORBIDDEN_XML, FORBIDDEN, f"line {_line_of(data, position)}")
        else:
            return
        end = data.find(closing, position)
        if end < 0:
            return  # unterminated: the parser reports it as malformed
        position = end + len(closing)


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1
