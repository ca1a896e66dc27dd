"""The limits on the real schema: tokens, fields, aliases, cycles, depth and cost, and the
standard introspection query that every tool sends."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, get_introspection_query

from procurement.settings import load_settings
from schema.api import schema
from schema.core.cost import field_costs
from schema.core.limits import QueryLimits, check_limits, parse_limited

SCHEMA = schema.graphql_schema
COSTS = field_costs(SCHEMA)
DEFAULTS = QueryLimits.from_settings(load_settings({}))


def refusals(query: str, limits: QueryLimits = DEFAULTS) -> list[tuple[str, str]]:
    errors = check_limits(parse_limited(query, limits), SCHEMA, limits, COSTS)
    return [(e.message, (e.extensions or {})["code"]) for e in errors]


def aliases(count: int, selection: str) -> str:
    return "{ " + " ".join(f"a{i}: {selection}" for i in range(count)) + " }"


def test_the_defaults() -> None:
    assert QueryLimits.from_settings(load_settings({})) == QueryLimits(
        max_depth=12,
        max_cost=50_000,
        page_size=100,
        max_tokens=2_000,
        max_fields=250,
        max_aliases=100,
    )


def test_the_token_cap_stops_the_parser() -> None:
    # given 10,000 identical fields (10,002 tokens)
    query = "{ " + "__typename " * 10_000 + "}"
    # then parsing stops at the cap with a message naming it
    with pytest.raises(GraphQLError) as raised:
        parse_limited(query, DEFAULTS)
    assert raised.value.message == "query has more than 2000 tokens, the limit"
    assert raised.value.extensions == {"code": "QUERY_TOO_LARGE"}


def test_comments_count_as_tokens() -> None:
    with pytest.raises(GraphQLError) as raised:
        parse_limited("{ me { role } }" + "\n#" * 2_000, DEFAULTS)
    assert raised.value.message == "query has more than 2000 tokens, the limit"


def test_a_syntax_error_stays_a_syntax_error() -> None:
    with pytest.raises(GraphQLError) as raised:
        parse_limited("{ me { role }", DEFAULTS)
    assert raised.value.message == "Syntax Error: Expected Name, found <EOF>."


def test_fields_and_aliases_are_capped() -> None:
    # 251 identical fields: under the token cap, over the field cap
    assert refusals("{ " + "__typename " * 251 + "}") == [
        ("query has 251 fields, over the limit of 250", "QUERY_TOO_LARGE")
    ]
    assert refusals(aliases(101, "__typename")) == [
        ("query has 101 aliases, over the limit of 100", "QUERY_TOO_LARGE")
    ]
    assert refusals("{ " + "__typename " * 250 + "}") == []


def test_a_fragment_cycle_is_refused_with_its_path() -> None:
    query = "{ ...A } fragment A on Query { me { role } ...B } fragment B on Query { ...A }"
    assert refusals(query) == [
        ("fragments spread each other in a cycle: A -> B -> A", "QUERY_FRAGMENT_CYCLE")
    ]


def test_depth_counts_through_fragments() -> None:
    limits = QueryLimits(4, 250, 100, 2_000, 250, 100)
    assert refusals("{ vendors(first: 2) { edges { node { name } } } }", limits) == []
    deep = "{ purchases { edges { node { ...P } } } } fragment P on Purchase { vendor { name } }"
    assert refusals(deep, limits) == [("query depth 5 exceeds the limit of 4", "QUERY_TOO_DEEP")]
    costly = "{ vendors { edges { name: cursor cursor } } }"  # 1 + 100 * (1 + 2)
    assert refusals(costly, limits) == [
        ("query complexity 301 exceeds the limit of 250", "QUERY_TOO_COMPLEX")
    ]


def test_expensive_fields_cost_what_they_do() -> None:
    # 10 exposure summaries: 10 * (5,000 + 1)
    assert refusals(aliases(10, "exposureSummary { purchaseCount }")) == [
        ("query complexity 50010 exceeds the limit of 50000", "QUERY_TOO_COMPLEX")
    ]
    # 9 introspection walks of the whole schema: 9 * (5 per schema element + 2)
    walk = COSTS["__schema"] + 2
    assert refusals(aliases(9, "__schema { types { name } }")) == [
        (f"query complexity {9 * walk} exceeds the limit of 50000", "QUERY_TOO_COMPLEX")
    ]
    # one of each is allowed
    assert refusals("{ exposureSummary { purchaseCount } __schema { types { name } } }") == []


def test_the_standard_introspection_query_passes_once() -> None:
    # given what GraphiQL and code generators send (15 deep: over the depth limit of 12)
    query = get_introspection_query(descriptions=True)
    # then it passes, being a single introspection selection
    assert refusals(query) == []
    # but not when it selects something else beside (then the depth limit applies)
    mixed = query.replace("__schema {", "me { role } __schema {", 1)
    assert refusals(mixed) == [("query depth 15 exceeds the limit of 12", "QUERY_TOO_DEEP")]


def test_the_introspection_exemption_has_its_own_cap() -> None:
    def type_refs(levels: int) -> str:  # __type, fields, type, `levels` ofType, name
        nested = "ofType { " * levels + "name" + " }" * levels
        return f'{{ __type(name: "Purchase") {{ fields {{ type {{ {nested} }} }} }} }}'

    assert refusals(type_refs(16)) == []
    assert refusals(type_refs(17)) == [("query depth 21 exceeds the limit of 20", "QUERY_TOO_DEEP")]
