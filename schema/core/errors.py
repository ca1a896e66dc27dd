"""Turning exceptions into GraphQL errors: domain errors keep their message and gain a code;
anything unexpected is masked to the client and logged with its stack trace."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from procurement.db_faults import classify, explain
from procurement.errors import InputError, PermissionDenied, Unauthenticated

log = logging.getLogger("procurement.graphql")

INTERNAL_MESSAGE = "internal error"


def format_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    formatted: dict[str, Any] = dict(error.formatted)
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation and variable-coercion errors: written for the client already.
        return formatted
    if error.path is None and isinstance(original, ValueError):
        # A scalar's parse_literal/parse_value refusing a client's value while the document is
        # validated or its variables coerced (no field has run): graphql-core wraps our message
        # ("Expected value of type 'Upload!', found ...; files cannot be written in the query")
        # and keeps the ValueError as the original. Found by tests/e2e/test_fuzz.py.
        return formatted
    if isinstance(original, PermissionDenied):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": "FORBIDDEN"}
    elif (
        isinstance(original, DBAPIError | PoolTimeout) and (kind := classify(original)) is not None
    ):
        formatted["message"] = explain(kind)
        formatted["extensions"] = {"code": "SERVICE_UNAVAILABLE", "database": kind.value}
    elif isinstance(original, Unauthenticated):
        formatted["message"] = "authentication required"
        formatted["extensions"] = {"code": "UNAUTHENTICATED"}
    elif isinstance(original, InputError):
        formatted["message"] = str(original)
        formatted["extensions"] = {
            "code": "BAD_USER_INPUT",
            "errors": [
                {"field": e.field, "message": e.message, "code": e.code.value}
                for e in original.errors
            ],
        }
    else:
        log.error(
            "unexpected error in %s",
            ".".join(map(str, error.path or [])),
            exc_info=(type(original), original, original.__traceback__),
        )
        formatted["message"] = INTERNAL_MESSAGE
        formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return formatted
