"""Counting the component objects of a JSON SBOM from its bytes, before it is parsed.

Parsing a 1,000,000-component document builds more than a gigabyte of Python objects and holds
the GIL for seconds (orjson and the schema validator do not release it), so a document over the
limit is refused from its bytes first. The count is of the objects in every array under a
``"components"`` key (CycloneDX, nested ones and those of metadata included) or a ``"packages"``
key (SPDX).

Only C-speed bytes operations touch the document, a slice at a time, so other threads (the event
loop answering /healthz) run between slices and nothing the size of the document is built:

1. a cheap screen: every component and package has a ``"name"``, so a document with no more
   ``"name"`` strings than the limit is within it, and nothing else runs (a name spelled with
   escapes is counted after parsing instead, by the caller);
2. otherwise each slice has its escapes removed (so that every ``"`` delimits a string), a marker
   set after each ``"components":`` or ``"packages":`` key, the strings dropped (every other
   piece of a split on ``"``), and everything but brackets and markers deleted;
3. the brackets left are reduced as they come: an object or array whose members are reduced
   becomes one letter, and the objects directly in a marked array are counted and dropped.
"""

from __future__ import annotations

import re

from sbom.errors import IssueCode
from sbom.messages import refuse

_NAME = b'"name"'
_JSON_OBJECT = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\{")
_SLICE = 1 << 20
_MARK = b"\x01"  # a raw control byte: never outside a string in valid JSON, stripped inside one
_KEYS = (b'"components":', b'"packages":')
_CUTS = b",{}[]"
_CUT_BYTE = re.compile(rb"[,{}\[\]]")
_KEEP = b"{}[]" + _MARK
_DELETE = bytes(b for b in range(256) if b not in _KEEP)
# o: a reduced object, a: a reduced array; \x01 marks the array of a components key.
_COUNTED = re.compile(rb"\x01\[([oa]*)(\]?)")
# (each pattern starts with its bracket, which lets the regex engine skip ahead to it)
_ARRAY = re.compile(rb"\[(?<!\x01\[)[oa]*\]")
_OBJECT = re.compile(rb"\{[oa\x01]*\}")
_ARRAY_MEMBERS = re.compile(rb"\[(?<!\x01\[)[oa]+")  # open arrays: members no longer matter
_OBJECT_MEMBERS = re.compile(rb"\{[oa]+")


def name_count(document: bytes) -> int:
    """At least the number of components and packages (unless a name is spelled with escapes).

    Counted a slice at a time, so that no single call holds the GIL through the whole document.
    """
    count = 0
    edge = len(_NAME) - 1
    step = max(_SLICE, 4 * len(_NAME))  # windows of consecutive cuts never overlap
    for start in range(0, len(document), step):
        end = start + step
        count += document.count(_NAME, start, end)
        # A name across the cut lies wholly in this window, which is too short for any other.
        count += document.count(_NAME, end - edge, end + edge)
    return count


def count_component_objects(document: bytes) -> int:
    """The component (and package) objects of a JSON document, read from its bytes."""
    counter = _Counter()
    start, inside = 0, False
    while start < len(document):
        end = _cut(document, start)
        inside = counter.feed(document[start:end], inside)
        start = end
    return counter.total


def _cut(document: bytes, start: int) -> int:
    """Where the slice from ``start`` ends: just after a structural byte, which neither an
    escape nor a marked key holds, so neither is cut in two."""
    end = start + _SLICE
    if end >= len(document):
        return len(document)
    best = max(document.rfind(bytes([c]), start, end) for c in _CUTS)
    if best > start:
        return best + 1
    after = _CUT_BYTE.search(document, end)  # a slice within one huge string grows instead
    return after.end() if after else len(document)


class _Counter:
    def __init__(self) -> None:
        self.total = 0
        self.pending = b""

    def feed(self, piece: bytes, inside: bool) -> bool:
        """Add one slice; ``inside`` says whether it starts within a string. Returns the same
        for the next slice."""
        plain = piece.replace(b"\\\\", b"").replace(b'\\"', b"")
        for key in _KEYS:
            plain = plain.replace(key, key + _MARK)
        # Split on quotes, strings are every other piece (bytes operations in C; a pattern
        # matching strings measured slower).
        parts = plain.split(b'"')
        outside = parts[1::2] if inside else parts[0::2]
        structure = b"".join(outside).translate(None, _DELETE)
        ends_inside = inside ^ (len(parts) % 2 == 0)  # an odd number of quotes flips it
        del parts, outside
        # Empty objects and arrays are the commonest leaves: bytes.replace is cheaper than a
        # pattern (an empty marked array holds no component, so it may become "a" too).
        structure = structure.replace(b"{}", b"o").replace(b"[]", b"a")
        self.pending = self._reduce(self.pending + structure)
        return ends_inside

    def _reduce(self, text: bytes) -> bytes:
        while True:
            before = text
            text = _COUNTED.sub(self._count, text)
            text = _ARRAY.sub(b"a", text)
            text = _OBJECT.sub(b"o", text)
            text = _ARRAY_MEMBERS.sub(b"[", text)
            text = _OBJECT_MEMBERS.sub(b"{", text)
            if text == before:
                return text

    def _count(self, match: re.Match[bytes]) -> bytes:
        self.total += match.group(1).count(b"o")
        return b"a" if match.group(2) else b"\x01["


def refuse_too_many_components(count: int, maximum: int, setting: str) -> None:
    """Raise :class:`SbomRejected` when ``count`` components are more than ``maximum``."""
    if count > maximum:
        raise refuse(
            IssueCode.TOO_MANY_COMPONENTS, "too_many_components",
            count=f"{count:,}", limit=f"{maximum:,}", setting=setting,
        )  # fmt: skip


def refuse_json_over_limit(document: bytes, maximum: int, setting: str) -> None:
    """Refuse a JSON document with more than ``maximum`` components from its bytes (the screen,
    then the count); other formats, and names spelled with escapes, are left to the caller's
    check of the parsed document."""
    if not _JSON_OBJECT.match(document):
        return
    if name_count(document) > maximum:
        refuse_too_many_components(count_component_objects(document), maximum, setting)
