"""Relay global IDs (``base64("Type:pk")``) and opaque pagination cursors."""

from __future__ import annotations

import base64
import binascii

from procurement.errors import ErrorCode, InputError


def to_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def parse_global_id(value: object, expected_type: str, field: str) -> int:
    """The primary key inside a global ID of ``expected_type``; a clear error otherwise."""
    if isinstance(value, str):
        try:
            decoded = base64.b64decode(value.encode(), validate=True).decode()
            type_name, _, pk = decoded.partition(":")
            if type_name == expected_type and pk.isdigit():
                return int(pk)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
    raise InputError.single(field, f"'{value}' is not a {expected_type} ID", ErrorCode.INVALID)


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode()).decode()
        prefix, _, pk = decoded.partition(":")
        if prefix == "cursor" and pk.isdigit():
            return int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InputError.single("after", f"'{cursor}' is not a valid cursor", ErrorCode.INVALID)
