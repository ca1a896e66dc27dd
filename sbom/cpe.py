"""CPE names as the CycloneDX XSD (and SPDX tools, with the same pattern) accept them.

A CPE 2.3 formatted string must quote special characters inside an attribute with a backslash;
tools often do not (Debian's version "1.2-1+deb12u1"). Such a name is quoted; one that still does
not match is not a CPE the schema takes, and the writers leave it out rather than write it invalid.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from sbom.schemas import xml_schema_path

_CPE_SEPARATOR = re.compile(r"(?<!\\):")
_CPE_UNQUOTED = re.compile(r"(?<!\\)([^A-Za-z0-9\-._*?\\])")


@cache
def _cpe_pattern() -> re.Pattern[str]:
    schema = etree.parse(str(xml_schema_path("1.6")))
    namespaces = {"xs": "http://www.w3.org/2001/XMLSchema"}
    (pattern,) = schema.xpath(
        "//xs:simpleType[@name='cpe']//xs:pattern/@value", namespaces=namespaces
    )
    return re.compile(str(pattern))


def valid_cpe(value: str) -> str | None:
    """``value`` as the XSD accepts it, quoting CPE 2.3 special characters if needed; else None."""
    if _cpe_pattern().fullmatch(value):
        return value
    if value.startswith("cpe:2.3:"):
        parts = _CPE_SEPARATOR.split(value)
        quoted = ":".join(parts[:3] + [_CPE_UNQUOTED.sub(r"\\\1", p) for p in parts[3:]])
        if _cpe_pattern().fullmatch(quoted):
            return quoted
    return None
