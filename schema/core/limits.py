"""Validation rules that refuse too-deep or too-expensive documents before execution."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


def _selections(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> list[FieldNode]:
    """The fields of a selection set with fragments inlined (cycles are another rule's job)."""
    if selection_set is None:
        return []
    out: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            out.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            out.extend(_selections(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                out.extend(_selections(fragments[name].selection_set, fragments, seen | {name}))
    return out


def _depth(node: FieldNode, fragments: dict[str, FragmentDefinitionNode]) -> int:
    children = _selections(node.selection_set, fragments, frozenset())
    return 1 + max((_depth(child, fragments) for child in children), default=0)


def _cost(node: FieldNode, fragments: dict[str, FragmentDefinitionNode], page: int) -> int:
    """1 per field; a connection multiplies its children by ``first`` (or the page size)."""
    children = _selections(node.selection_set, fragments, frozenset())
    # A connection without `first` returns a full page, so it costs like one.
    is_connection = any(child.name.value == "edges" for child in children)
    multiplier = page if is_connection else 1
    for argument in node.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            multiplier = int(value.value) if isinstance(value, IntValueNode) else page
    return 1 + multiplier * sum(_cost(child, fragments, page) for child in children)


def limit_rules(max_depth: int, max_cost: int, page_size: int) -> list[type[ASTValidationRule]]:
    class QueryLimits(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            context = self.context
            fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            for definition in node.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                fields = _selections(definition.selection_set, fragments, frozenset())
                depth = max((_depth(f, fragments) for f in fields), default=0)
                if depth > max_depth:
                    context.report_error(
                        GraphQLError(
                            f"query depth {depth} exceeds the limit of {max_depth}",
                            definition,
                            extensions={"code": "QUERY_TOO_DEEP"},
                        )
                    )
                    continue
                cost = sum(_cost(f, fragments, page_size) for f in fields)
                if cost > max_cost:
                    context.report_error(
                        GraphQLError(
                            f"query complexity {cost} exceeds the limit of {max_cost}",
                            definition,
                            extensions={"code": "QUERY_TOO_COMPLEX"},
                        )
                    )

    return [QueryLimits]
