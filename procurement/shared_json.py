"""JSON decoded once per process per distinct text, for columns of rows that never change.

A purchases page shows each purchase's current screening result, whose findings are a few KB of
JSON with the explanations. SQLAlchemy decodes every JSON column of every row it loads, so the
same unchanged findings were decoded on every page request: about 8% of the server's CPU on the
read mix (issue 14). A screening result row is never rewritten (a new outcome is a new row), so
its text, and so its value, is the same every time; the cache is keyed by the text itself, so even
a changed text could never be answered with an old value.

The values are shared between requests: a caller must not mutate them (none does; they are read
to answer queries and pages, and copied by ``dict(...)``/``list(...)`` where a changed form is
needed).
"""

from __future__ import annotations

import json
from typing import Any

MAX_ENTRIES = 2048  # about 8 MB of findings text with their decoded values at ~4 KB each
MAX_CACHED_TEXT = 64 * 1024  # a larger document is decoded each time, never kept

_decoded: dict[str, Any] = {}


def decode_shared(text: str | None) -> Any:
    """``json.loads(text)`` (None for NULL), from the cache when the same text was seen before."""
    if text is None:
        return None
    value = _decoded.get(text)
    if value is None:
        value = json.loads(text)
        if len(text) <= MAX_CACHED_TEXT:
            if len(_decoded) >= MAX_ENTRIES:
                # Oldest first (dicts keep insertion order): cheaper than an LRU's bookkeeping
                # on every hit, and a page's working set is far below the bound.
                del _decoded[next(iter(_decoded))]
            _decoded[text] = value
    return value


def clear() -> None:
    """Forget every decoded value (tests)."""
    _decoded.clear()
