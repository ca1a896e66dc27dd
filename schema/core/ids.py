"""Global IDs and cursors for GraphQL: the codec in ``procurement.ids``, with input errors that
name the argument."""

from __future__ import annotations

from procurement import ids
from procurement.errors import ErrorCode, InputError
from procurement.ids import SortKey, encode_cursor, encode_keyset_cursor, to_global_id

__all__ = [
    "decode_cursor",
    "decode_keyset_cursor",
    "encode_cursor",
    "encode_keyset_cursor",
    "parse_global_id",
    "parse_optional_global_id",
    "to_global_id",
]


def parse_global_id(value: object, expected_type: str, field: str) -> int:
    """The primary key inside a global ID of ``expected_type``; a clear error otherwise."""
    pk = ids.from_global_id(value, expected_type)
    if pk is None:
        raise InputError.single(field, f"'{value}' is not a {expected_type} ID", ErrorCode.INVALID)
    return pk


def parse_optional_global_id(value: object, expected_type: str, field: str) -> int | None:
    """None for an argument left out (or null), else as ``parse_global_id``."""
    return None if value is None else parse_global_id(value, expected_type, field)


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    pk = ids.decode_cursor(cursor)
    if pk is None:
        raise InputError.single("after", f"'{cursor}' is not a valid cursor", ErrorCode.INVALID)
    return pk


def decode_keyset_cursor(
    cursor: str | None, tag: str, key_type: type[SortKey]
) -> tuple[SortKey | None, int] | None:
    if cursor is None:
        return None
    key = ids.decode_keyset_cursor(cursor, tag, key_type)
    if key is None:
        raise InputError.single(
            "after", f"'{cursor}' is not a cursor of this list and order", ErrorCode.INVALID
        )
    return key
