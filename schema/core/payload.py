"""Mutation payload errors (Saleor style): input problems are data, not exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import graphene

from procurement.errors import ErrorCode, InputError

ErrorCodeEnum = graphene.Enum.from_enum(ErrorCode, name="ErrorCode")


class Error(graphene.ObjectType):
    """One problem with the input: ``field`` is a dotted input path (null for the whole input)."""

    field = graphene.String()
    message = graphene.String(required=True)
    code = graphene.Field(ErrorCodeEnum, required=True)


def errors_field() -> graphene.List:
    return graphene.List(graphene.NonNull(Error), required=True)


def to_errors(error: InputError) -> list[Error]:
    return [Error(field=e.field, message=e.message, code=e.code) for e in error.errors]


async def run(
    payload: type[graphene.ObjectType], key: str, action: Callable[[], Awaitable[Any]]
) -> Any:
    """Run a service call; its InputError becomes ``errors`` and the object stays null.

    PermissionDenied and unexpected errors propagate: they are top-level errors.
    """
    try:
        result = await action()
    except InputError as error:
        return payload(**{key: None, "errors": to_errors(error)})
    return payload(**{key: result, "errors": []})
