"""Descriptions for GraphQL enums generated with ``graphene.Enum.from_enum``."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


def enum_description(type_description: str, **values: str) -> Callable[[Enum | None], str | None]:
    """What ``from_enum(description=...)`` takes: called with ``None`` for the type's description
    and with each member for that value's description (keyed by member name)."""

    def describe(member: Enum | None) -> str | None:
        if member is None:
            return type_description
        return values.get(member.name)

    return describe
