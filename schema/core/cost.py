"""Depth and cost of a GraphQL document, in time linear in its size.

The cost model: 1 per field (or the field's own cost from a table, for fields that do far more work
than reading a value), and a connection multiplies the cost of its children by ``first`` (or by
the page size when ``first`` is absent or a variable). A fragment is measured once and its measure
reused at every spread, so fragments that spread each other many times cost nothing extra to
measure: inlining them instead is exponential (2^22 work for an 847-byte document).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    get_named_type,
)

# Costs beyond the result's size are capped here, so that a fan-out of fragments yields a number
# that still prints, not a 250-digit one; any limit is far below it.
CEILING = 10**12

# What an introspection field costs per schema element it can walk (types, fields, arguments,
# enum values, input fields). Measured: the standard introspection query takes about as much CPU
# as a result of 5 fields per element of this schema.
INTROSPECTION_COST_PER_ELEMENT = 5

# Fields whose work is out of proportion with their result, in units of one plain field (about
# 25 us of CPU on the reference machine). Measured or estimated per field:
# - exposureSummary reads and prices every purchase the caller sees: 33 ms on the test world,
#   up to about 150 ms on 10,000 purchases;
# - sbomDiff reads both versions' components (unpaginated: up to tens of thousands each);
# - componentUsages scans every stored component with that package URL before paginating;
# - a purchase's exposure prices one purchase with a few statements of its own (no loader);
# - rescreening mutations rescreen every active purchase; uploadSbom ingests a whole document.
FIELD_COSTS: Mapping[str, int] = {
    "Query.exposureSummary": 5_000,
    "Query.sbomDiff": 2_000,
    "Query.componentUsages": 500,
    "Purchase.exposure": 50,
    "Mutation.importAdvisories": 5_000,
    "Mutation.updateRestrictionList": 5_000,
    "Mutation.updateScreeningRules": 5_000,
    "Mutation.uploadSbom": 5_000,
}

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class Measure:
    cost: int
    depth: int
    connection: bool  # the selection holds `edges`: it is one page of a connection


EMPTY = Measure(0, 0, False)


class FragmentCycle(Exception):
    def __init__(self, path: list[str]) -> None:
        super().__init__(" -> ".join(path))
        self.path = path


def _elements(named: GraphQLNamedType) -> int:
    """The type itself and what introspection lists under it."""
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return 1 + sum(1 + len(field.args) for field in named.fields.values())
    if isinstance(named, GraphQLInputObjectType):
        return 1 + len(named.fields)
    if isinstance(named, GraphQLEnumType):
        return 1 + len(named.values)
    return 1


def field_costs(schema: GraphQLSchema) -> dict[str, int]:
    """The cost table for a schema: the fixed table plus the introspection fields, whose work grows
    with the schema (``__type`` walks one type, at most the largest)."""
    sizes = [_elements(named) for named in schema.type_map.values()]
    costs = {key: value for key, value in FIELD_COSTS.items() if _exists(schema, key)}
    costs["__schema"] = INTROSPECTION_COST_PER_ELEMENT * sum(sizes)
    costs["__type"] = INTROSPECTION_COST_PER_ELEMENT * max(sizes, default=1)
    return costs


def _exists(schema: GraphQLSchema, key: str) -> bool:
    type_name, field_name = key.split(".")
    named = schema.get_type(type_name)
    return isinstance(named, GraphQLObjectType) and field_name in named.fields


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """Names of the fragments spread anywhere inside a selection set."""
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)
    return names


def fragment_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after every fragment it spreads; FragmentCycle if one spreads itself.

    Iterative depth-first search: a chain of a thousand fragments must not exhaust the stack.
    """
    spreads = {name: _spreads(fragment.selection_set) for name, fragment in fragments.items()}
    order: list[str] = []
    done: set[str] = set()
    for root in fragments:
        if root in done:
            continue
        path, on_path = [root], {root}
        pending = [iter(spreads[root])]
        while pending:
            for child in pending[-1]:
                if child not in fragments or child in done:
                    continue  # an unknown fragment is the validator's to report
                if child in on_path:
                    raise FragmentCycle([*path[path.index(child) :], child])
                path.append(child)
                on_path.add(child)
                pending.append(iter(spreads[child]))
                break
            else:
                pending.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                order.append(finished)
    return order


class Meter:
    """Measures the operations of one document; each fragment is measured once, up front."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        page_size: int,
        costs: Mapping[str, int],
    ) -> None:
        self.schema = schema
        self.page_size = page_size
        self.costs = costs
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.fragments: dict[str, Measure] = {}
        for name in fragment_order(fragments):
            fragment = fragments[name]
            on = self.schema.get_type(fragment.type_condition.name.value)
            self.fragments[name] = self.selection_set(fragment.selection_set, on)

    def operation(self, operation: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(operation.operation)
        return self.selection_set(operation.selection_set, root)

    def selection_set(
        self, node: SelectionSetNode | None, parent: GraphQLNamedType | None
    ) -> Measure:
        if node is None:
            return EMPTY
        cost = depth = 0
        connection = False
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                measure = self.field(selection, parent)
                connection = connection or selection.name.value == "edges"
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = parent if condition is None else self.schema.get_type(condition.name.value)
                measure = self.selection_set(selection.selection_set, on)
            elif isinstance(selection, FragmentSpreadNode):
                measure = self.fragments.get(selection.name.value, EMPTY)
            else:  # pragma: no cover - the three kinds above are all GraphQL has
                continue
            cost = min(cost + measure.cost, CEILING)
            depth = max(depth, measure.depth)
            connection = connection or measure.connection
        return Measure(cost, depth, connection)

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        name = node.name.value
        own, child_type = 1, None
        if name in INTROSPECTION_FIELDS:
            own = self.costs.get(name, 1)
            meta = SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
            child_type = get_named_type(meta.type)
        elif isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            own = self.costs.get(f"{parent.name}.{name}", 1)
            definition = parent.fields.get(name)
            child_type = None if definition is None else get_named_type(definition.type)
        children = self.selection_set(node.selection_set, child_type)
        multiplier = self.page_size if children.connection else 1
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = argument.value
                if isinstance(value, IntValueNode):
                    # A negative `first` is refused by the resolver; it must not lower the sum.
                    multiplier = max(0, int(value.value))
                else:
                    multiplier = self.page_size
        return Measure(min(own + multiplier * children.cost, CEILING), 1 + children.depth, False)
