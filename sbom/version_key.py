"""A sortable key for plain release versions, so a database can filter version ranges itself.

``version_key(purl_type, version)`` maps a version string to bytes that sort (bytewise, as
SQLite's BLOB and PostgreSQL's bytea compare) in the same order as the ecosystem's own
comparison (univers' version class for the purl type), or ``None`` when this module does not
know how that ecosystem orders the string (pre-releases, qualifiers, epochs, leading zeros,
unknown types). ``None`` rows are checked the slow way, by univers, so a missing key only costs
time, never a wrong answer.

Each numeric part is written as its digit count then its digits (``12`` -> ``b"212"``), so
a longer number sorts after a shorter one; parts are joined by ``.``. Trailing zero parts are
dropped because every supported scheme treats ``1.0`` and ``1.0.0`` as the same version.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Parts allowed per purl type. npm, cargo, hex and generic ranges use univers' SemverVersion,
# which reads at most three parts (a fourth becomes build metadata, ignored when comparing).
_MAX_PARTS: dict[str, int] = {
    "npm": 3,
    "cargo": 3,
    "hex": 3,
    "generic": 3,
    "golang": 3,
    "nuget": 4,
    "pypi": 8,
    "maven": 8,
}
KEYED_TYPES = frozenset(_MAX_PARTS)
_MAX_DIGITS = 9  # one digit says how many follow
_RELEASE = re.compile(r"(?:0|[1-9][0-9]{0,8})(?:\.(?:0|[1-9][0-9]{0,8}))*")


@lru_cache(maxsize=1 << 14)  # versions repeat across an SBOM's components and across uploads
def version_key(purl_type: str | None, version: str | None) -> bytes | None:
    """The sortable key of ``version`` in ``purl_type``'s scheme, or None (see the module)."""
    if purl_type is None or version is None:
        return None
    max_parts = _MAX_PARTS.get(purl_type)
    if max_parts is None:
        return None
    if purl_type == "golang" and version.startswith("v"):
        version = version[1:]  # Go writes v1.2.3; univers reads it with or without the v
    if len(version) > 100 or not _RELEASE.fullmatch(version):
        return None
    parts = version.split(".")
    if len(parts) > max_parts:
        return None
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    assert all(len(p) <= _MAX_DIGITS for p in parts)  # the pattern allows nine digits at most
    return ".".join([f"{len(p)}{p}" for p in parts]).encode("ascii")
