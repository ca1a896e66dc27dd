"""Refusing JSON documents in which one object has the same key twice.

RFC 8259 leaves the meaning of duplicate keys open: orjson (as Python's json) keeps the last
value, other parsers keep the first or refuse. A vendor's tool and this service could then read
different components from one SBOM, so such a document is refused, at the JSON pointer of the key.

Most documents have no duplicates, and looking for them with ``object_pairs_hook`` costs about as
much as the whole parse again. So a screen that runs in C comes first: a duplicate makes the parsed
tree hold fewer keys than the text. The text's keys are its ``":`` sequences when no string
holds an escaped quote before a colon and no key is followed by white space before its colon;
the tree's keys are the ``":`` of orjson's compact re-serialisation (no white space, quotes in
strings escaped). Equal counts prove there is no duplicate (and a text identical to the
re-serialisation needs no count at all); otherwise, or when the screen cannot be exact, the slow
search runs and finds where they are.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from typing import Any

import orjson

from sbom.errors import IssueCode, SbomIssue, SbomRejected
from sbom.messages import issue

_KEY_END = b'":'
_ESCAPED_QUOTE_COLON = b'\\":'  # a quote inside a string followed by a colon (or a key ending in \)
_SPACE_BEFORE_COLON = re.compile(rb'"[ \t\r\n]+:')
_DEEPER = threading.Lock()
_DEEP_ENOUGH = 4000  # orjson's 1024 levels, and the frames of the caller


def refuse_duplicate_keys(source: bytes | memoryview, tree: Any, *, max_errors: int) -> None:
    """Raise :class:`SbomRejected` if an object of ``source`` (parsed as ``tree``) repeats a key."""
    text = source.tobytes() if isinstance(source, memoryview) else source
    if not isinstance(tree, dict | list) or not _may_repeat_keys(text, tree):
        return
    issues = find_duplicate_keys(text, max_errors=max_errors)
    if issues:
        raise SbomRejected(issues)


def _may_repeat_keys(text: bytes, tree: Any) -> bool:
    try:
        compact = orjson.dumps(tree)
    except TypeError:  # nested deeper than orjson writes (254 levels; it reads 1024)
        if _ESCAPED_QUOTE_COLON in text or _SPACE_BEFORE_COLON.search(text):
            return True
        return text.count(_KEY_END) != _count_keys(tree)
    if compact == text:
        return False  # written as orjson writes it (as many tools do): nothing was dropped
    if _ESCAPED_QUOTE_COLON in text or _SPACE_BEFORE_COLON.search(text):
        return True  # the text's key count would not be exact
    if _ESCAPED_QUOTE_COLON in compact:
        return True
    return text.count(_KEY_END) != compact.count(_KEY_END)


def _count_keys(tree: Any) -> int:
    """The keys of every object in the tree, without recursion (it may be 1024 levels deep)."""
    keys = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keys += len(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return keys


class _Repeated(dict[str, Any]):
    """A parsed object (last value wins, as orjson) that remembers the keys it had twice."""

    __slots__ = ("repeated",)
    repeated: list[str]


def find_duplicate_keys(text: bytes, *, max_errors: int) -> list[SbomIssue]:
    """Every repeated key (at most ``max_errors``), in document order, at its JSON pointer."""
    found = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found
        plain = dict(pairs)
        if len(plain) == len(pairs):
            return plain
        found = True
        marked = _Repeated(pairs)
        seen: set[str] = set()
        marked.repeated = []
        for key, _value in pairs:
            if key in seen and key not in marked.repeated:
                marked.repeated.append(key)
            seen.add(key)
        return marked

    try:
        tree = json.loads(text, object_pairs_hook=pairs_hook)
    except RecursionError:
        # Python's reader recurses once per level; orjson accepted up to 1024 levels.
        with _DEEPER:
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(limit, _DEEP_ENOUGH))
            try:
                tree = json.loads(text, object_pairs_hook=pairs_hook)
            finally:
                sys.setrecursionlimit(limit)
    return _locate(tree, max_errors) if found else []


def _locate(tree: Any, max_errors: int) -> list[SbomIssue]:
    issues: list[SbomIssue] = []
    stack: list[tuple[Any, str]] = [(tree, "")]
    while stack and len(issues) < max_errors:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if isinstance(node, _Repeated):
                issues.extend(_issue(f"{pointer}/{_escape(key)}", key) for key in node.repeated)
            children = [(value, f"{pointer}/{_escape(key)}") for key, value in node.items()]
        elif isinstance(node, list):
            children = [(value, f"{pointer}/{i}") for i, value in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))  # pre-order: document order of the objects
    return issues[:max_errors]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _issue(pointer: str, key: str) -> SbomIssue:
    quoted = json.dumps(key, ensure_ascii=False)
    return issue(IssueCode.DUPLICATE_KEY, "duplicate_key", pointer, name=quoted)
