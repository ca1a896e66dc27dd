"""The one codec for what clients see of our keys: global IDs and pagination cursors.

Global IDs are Relay's ``base64("Type:pk")``; page cursors are ``urlsafe_base64("cursor:pk")``;
keyset cursors of lists sorted on another column are ``urlsafe_base64(json([tag, key, pk]))``.
The wire formats are a contract with clients (saved links, scripts): never change them.

Decoders return None for anything that is not what was asked for; each edge (GraphQL, REST
paths, the console) says so in its own way.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from decimal import Decimal, InvalidOperation

import orjson

# Primary keys are INTEGER columns: 32-bit on PostgreSQL, where a larger bound parameter is a
# driver error (found by tests/e2e/test_fuzz.py: 2**63 - 1 in a REST path gave a 500).
MAX_PK = 2**31 - 1

# A keyset cursor's sort key: what a list may be ordered on besides the id.
SortKey = date | int | Decimal


def _pk(text: str) -> int | None:
    # isascii(): str.isdigit() also accepts digits such as "²" that int() refuses.
    if text.isascii() and text.isdigit() and int(text) <= MAX_PK:
        return int(text)
    return None


def to_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def split_global_id(value: object) -> tuple[str, int] | None:
    """The type name and primary key inside a global ID of any type."""
    if not isinstance(value, str):
        return None
    try:
        decoded = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, _, text = decoded.partition(":")
    pk = _pk(text)
    return None if not type_name or pk is None else (type_name, pk)


def from_global_id(value: object, expected_type: str) -> int | None:
    """The primary key inside a global ID of ``expected_type``."""
    split = split_global_id(value)
    return split[1] if split is not None and split[0] == expected_type else None


def from_number_or_global_id(value: str, expected_type: str) -> int | None:
    """A plain number (as in ``downloadPath`` or typed by a person) or a global ID of
    ``expected_type``."""
    return _pk(value) if value.isdigit() else from_global_id(value, expected_type)


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None
    prefix, _, text = decoded.partition(":")
    return _pk(text) if prefix == "cursor" else None


def encode_keyset_cursor(tag: str, key: SortKey | None, pk: int) -> str:
    """A cursor after (``key``, ``pk``) in the list (and order) named ``tag``."""
    plain = (
        key.isoformat() if isinstance(key, date) else str(key) if isinstance(key, Decimal) else key
    )
    return base64.urlsafe_b64encode(orjson.dumps([tag, plain, pk])).decode()


def decode_keyset_cursor(
    cursor: str, tag: str, key_type: type[SortKey]
) -> tuple[SortKey | None, int] | None:
    """(key, pk) from a cursor of the list named ``tag`` whose keys are ``key_type``; None when
    the cursor is garbage or belongs to another list or order."""
    try:
        parts = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(parts, list) or len(parts) != 3:
        return None
    name, plain, pk = parts
    if name != tag or not _is_pk(pk):
        return None
    if plain is None:
        return None, pk
    key = _sort_key(plain, key_type)
    return None if key is None else (key, pk)


def _is_pk(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_PK


def _sort_key(plain: object, key_type: type[SortKey]) -> SortKey | None:
    if key_type is int:
        return plain if isinstance(plain, int) and not isinstance(plain, bool) else None
    if not isinstance(plain, str):
        return None
    try:
        if key_type is date:
            return date.fromisoformat(plain)
        number = Decimal(plain)
    except (ValueError, InvalidOperation):
        return None
    return number if number.is_finite() else None
