from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import graphene

from procurement.screening import DEFAULT_RULESET
from procurement.screening.reads import list_restriction_lists, rule_set_versions
from schema.context import context_of
from schema.core.pagination import connection, page_args
from schema.screening.types import RestrictionListConnection, ScreeningRules


@dataclass(frozen=True)
class _BuiltInRules:
    version: int = DEFAULT_RULESET.version
    rules: dict[str, Any] = field(default_factory=DEFAULT_RULESET.to_dict)


class ScreeningQueries(graphene.ObjectType):
    screening_rules = graphene.List(
        graphene.NonNull(ScreeningRules),
        required=True,
        description="Every rule-set version, newest (in force) first; not for vendors",
    )
    restriction_lists = graphene.Field(
        RestrictionListConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        description="Restriction lists of suppliers; not for vendors",
    )

    @staticmethod
    async def resolve_screening_rules(_root: Any, info: Any) -> list[Any]:
        rows: list[Any] = list(await context_of(info).call(rule_set_versions))
        return [*rows, _BuiltInRules()]

    @staticmethod
    async def resolve_restriction_lists(
        _root: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(list_restriction_lists, after_id, limit)
        return connection(RestrictionListConnection, page, after)
