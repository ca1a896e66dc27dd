"""Limits that refuse a hostile document before graphql-core's validation and execution see it.

Every check here is linear in the size of the document; they run in this order, cheapest first:
tokens (while parsing: the parser stops at the cap), then fields and aliases (one pass over the
tree), then fragment cycles, depth and cost (each fragment measured once, see ``cost.py``). The
standard validation rules run only on a document that passed: some of them are quadratic in the
number of fields of one selection set (10,000 identical fields took 6.6 s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from procurement.settings import Settings
from schema.core.cost import CEILING, INTROSPECTION_FIELDS, FragmentCycle, Meter

# The depth limit does not apply to a document that is exactly one introspection selection: the
# standard introspection query nests 15 deep (TypeRef unwraps ofType) and every tool sends it.
# Its own cap still bounds it; its cost is counted as for any document.
INTROSPECTION_MAX_DEPTH = 20

_TOKEN_LIMIT_HINT = "tokens. Parsing aborted."  # graphql-core's wording when max_tokens is hit


@dataclass(frozen=True, slots=True)
class QueryLimits:
    max_depth: int
    max_cost: int
    page_size: int
    max_tokens: int
    max_fields: int
    max_aliases: int

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryLimits:
        return cls(
            max_depth=settings.max_query_depth,
            max_cost=settings.max_query_complexity,
            page_size=settings.max_page_size,
            max_tokens=settings.max_query_tokens,
            max_fields=settings.max_query_fields,
            max_aliases=settings.max_query_aliases,
        )


def _refusal(message: str, code: str, node: Node | None = None) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code})


def parse_limited(query: str, limits: QueryLimits) -> DocumentNode:
    """Parse, giving up at ``max_tokens`` (comments count); raises GraphQLError."""
    try:
        return parse(query, max_tokens=limits.max_tokens)
    except GraphQLSyntaxError as error:
        if _TOKEN_LIMIT_HINT not in error.message:
            raise
    raise _refusal(f"query has more than {limits.max_tokens} tokens, the limit", "QUERY_TOO_LARGE")


def _count_fields(document: DocumentNode) -> tuple[int, int]:
    """Field selections and aliases written in the document (fragments counted once each)."""
    fields = aliases = 0
    stack: list[SelectionSetNode] = [
        definition.selection_set
        for definition in document.definitions
        if isinstance(definition, ExecutableDefinitionNode)
    ]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                fields += 1
                aliases += selection.alias is not None
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)
    return fields, aliases


def _is_introspection(operation: OperationDefinitionNode) -> bool:
    selections = operation.selection_set.selections
    return (
        len(selections) == 1
        and isinstance(selections[0], FieldNode)
        and selections[0].name.value in INTROSPECTION_FIELDS
    )


def check_limits(
    document: DocumentNode, schema: GraphQLSchema, limits: QueryLimits, costs: Mapping[str, int]
) -> list[GraphQLError]:
    """The refusals for a parsed document; an empty list when it is within every limit."""
    fields, aliases = _count_fields(document)
    if fields > limits.max_fields:
        message = f"query has {fields} fields, over the limit of {limits.max_fields}"
        return [_refusal(message, "QUERY_TOO_LARGE")]
    if aliases > limits.max_aliases:
        message = f"query has {aliases} aliases, over the limit of {limits.max_aliases}"
        return [_refusal(message, "QUERY_TOO_LARGE")]
    try:
        meter = Meter(schema, document, limits.page_size, costs)
    except FragmentCycle as cycle:
        message = f"fragments spread each other in a cycle: {' -> '.join(cycle.path)}"
        return [_refusal(message, "QUERY_FRAGMENT_CYCLE")]
    errors: list[GraphQLError] = []
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        measure = meter.operation(operation)
        max_depth = INTROSPECTION_MAX_DEPTH if _is_introspection(operation) else limits.max_depth
        if measure.depth > max_depth:
            message = f"query depth {measure.depth} exceeds the limit of {max_depth}"
            errors.append(_refusal(message, "QUERY_TOO_DEEP", operation))
        elif measure.cost > limits.max_cost:
            cost = f"over {CEILING}" if measure.cost >= CEILING else measure.cost
            message = f"query complexity {cost} exceeds the limit of {limits.max_cost}"
            errors.append(_refusal(message, "QUERY_TOO_COMPLEX", operation))
    return errors
