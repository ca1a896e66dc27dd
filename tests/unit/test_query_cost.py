"""Depth and cost of small documents, with exact figures; fragments are measured once."""

from __future__ import annotations

import time

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, build_schema, parse

from schema.core.cost import CEILING, FragmentCycle, Measure, Meter, field_costs, fragment_order

SDL = """
type Query { shop: Shop  items(first: Int): ItemConnection  summary: Int  node: Item }
type Shop { name: String  items(first: Int): ItemConnection }
type ItemConnection { edges: [ItemEdge]  total: Int }
type ItemEdge { node: Item }
type Item { id: ID  name: String  kind: Kind }
enum Kind { A B }
"""
SCHEMA = build_schema(SDL)
COSTS = {"Query.summary": 500}


def measure(query: str, page_size: int = 10) -> Measure:
    document = parse(query)
    meter = Meter(SCHEMA, document, page_size, COSTS)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return meter.operation(operation)


@pytest.mark.parametrize(
    ("query", "cost", "depth"),
    [
        ("{ shop { name } }", 2, 2),
        # a connection without `first` costs one full page: 1 + 10 * (1 + 1 + 1)
        ("{ items { edges { node { id } } } }", 31, 4),
        # `first` sets the multiplier: 1 + 3 * (3 + 1)
        ("{ items(first: 3) { total edges { node { id } } } }", 13, 4),
        # a variable `first` is taken as a full page
        ("query Q($n: Int) { items(first: $n) { total } }", 11, 2),
        # a negative `first` is refused by the resolver and must not lower the sum
        ("{ summary items(first: -100) { total } }", 501, 2),
        # a field from the cost table
        ("{ a: summary b: summary }", 1000, 1),
        # fields inside inline fragments count as if written in place
        ("{ shop { ... on Shop { name } } }", 2, 2),
    ],
)
def test_cost_and_depth_of_small_documents(query: str, cost: int, depth: int) -> None:
    assert (measure(query).cost, measure(query).depth) == (cost, depth)


def test_a_fragment_counts_at_every_spread_with_its_own_type() -> None:
    # given a fragment on Shop spread twice, whose connection has no `first`
    query = """{ shop { ...S } again: shop { ...S } }
        fragment S on Shop { name items { edges { node { id name } } } }"""
    # then each spread costs 1 + (1 + 1 + 10 * (1 + 1 + 2)) = 43 and nests 4 deep
    assert measure(query) == Measure(cost=2 * 43, depth=5, connection=False)


def test_a_fragment_bomb_is_measured_in_linear_time() -> None:
    # given 23 fragments where each spreads the previous one twice (2^22 fields inlined)
    fragments = ["fragment F0 on Query { summary }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 23)]
    query = "{ ...F22 } " + " ".join(fragments)
    # when measuring it
    started = time.perf_counter()
    result = measure(query)
    elapsed = time.perf_counter() - started
    # then the cost is exact, and it took milliseconds, not the 34 s of inlining
    assert result == Measure(cost=500 * 2**22, depth=1, connection=False)
    assert elapsed < 0.5


def test_costs_beyond_the_ceiling_stop_at_it() -> None:
    fragments = ["fragment F0 on Query { summary }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 61)]
    assert measure("{ ...F60 } " + " ".join(fragments)).cost == CEILING


def test_fragments_are_ordered_after_what_they_spread() -> None:
    document = parse(
        "fragment A on Query { ...B ...C } fragment B on Query { ...C } "
        "fragment C on Query { summary } { ...A }"
    )
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    assert fragment_order(fragments) == ["C", "B", "A"]


def test_a_long_chain_of_fragments_does_not_exhaust_the_stack() -> None:
    # given 3,000 fragments, each spreading the next (deeper than the recursion limit)
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(3000))
    query = "{ ...F0 } " + chain + " fragment F3000 on Query { summary }"
    # then each is measured once, deepest first
    assert measure(query) == Measure(cost=500, depth=1, connection=False)


def test_a_fragment_cycle_is_named() -> None:
    document = parse(
        "{ ...A } fragment A on Query { shop { ...B } } "
        "fragment B on Shop { name } fragment C on Query { ...D } fragment D on Query { ...C }"
    )
    with pytest.raises(FragmentCycle) as raised:
        Meter(SCHEMA, document, 10, COSTS)
    assert raised.value.path == ["C", "D", "C"]


def test_introspection_costs_follow_the_size_of_the_schema() -> None:
    # given two schemas, the second with one more field (with one argument)
    fields = [f"f{i}(a: Int): Int" for i in range(41)]
    wide = build_schema("type Query { " + " ".join(fields[:40]) + " }")
    wider = build_schema("type Query { " + " ".join(fields) + " }")
    # then __schema costs 5 per element it can walk: two elements more, 10 more
    assert field_costs(wider)["__schema"] - field_costs(wide)["__schema"] == 10
    # and __type costs as walking the widest type: Query, 1 + 40 fields + 40 arguments
    assert field_costs(wide)["__type"] == 5 * 81
    # and the fixed table keeps only fields this schema has
    assert "Query.exposureSummary" not in field_costs(wide)
