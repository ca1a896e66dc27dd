"""Mutation payload errors (Saleor style): input problems are data, not exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import graphene

from procurement.errors import ErrorCode, InputError
from schema.core.describe import enum_description

ErrorCodeEnum = graphene.Enum.from_enum(
    ErrorCode,
    name="ErrorCode",
    description=enum_description(
        "Stable machine-readable codes; clients switch on these, so never rename one.",
        REQUIRED="A required value is missing",
        INVALID="A value is malformed or not allowed",
        NOT_FOUND="The thing referred to does not exist (or is not visible to the caller)",
        DUPLICATE="It already exists",
        OUT_OF_RANGE="A value is outside its allowed range",
        INVALID_STATE="Not allowed in the thing's current state",
        TOO_LARGE="The upload or input is too large",
        CONFLICT="Someone else changed it meanwhile (e.g. a stale expectedVersion)",
    ),
)


class Error(graphene.ObjectType):
    """One problem with the input: ``field`` is a dotted input path (null for the whole input)."""

    field = graphene.String(
        description="Dotted input path, e.g. contractValue.amount; null for the whole input"
    )
    message = graphene.String(required=True, description="What is wrong, in English")
    code = graphene.Field(ErrorCodeEnum, required=True, description="Machine-readable code")


def errors_field() -> graphene.List:
    return graphene.List(
        graphene.NonNull(Error),
        required=True,
        description="What was wrong with the input; empty on success",
    )


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
