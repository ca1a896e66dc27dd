"""Reading facts back out of .docx files: clause bookmarks and the generated file's name."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CLAUSE = re.compile(r"^clause_([a-z0-9_]+)$")


def clause_ids(document: bytes) -> tuple[str, ...]:
    """Clause ids of the ``clause_<id>`` bookmarks in the body, in document order.

    The shipped templates put one on every clause heading; an uploaded template that keeps them
    lets the service tell which clauses the new version still has.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(io.BytesIO(document)) as package:
            root = etree.fromstring(package.read("word/document.xml"), parser)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return ()
    found: list[str] = []
    for start in root.iter(f"{_W}bookmarkStart"):
        match = _CLAUSE.match(start.get(f"{_W}name") or "")
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return tuple(found)


def agreement_file_stem(title: str, number: str, language: str) -> str:
    """``网络安全保密协议_SCA-2025-00001-01_zh``: the title people know, then what identifies it
    (spaces become hyphens, so the name survives shells and ``curl -OJ``)."""
    words = "-".join(title.split())
    return f"{words}_{number}_{language}"
