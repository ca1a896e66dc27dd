"""An explicit null for an argument that has a default is a validation error naming the argument,
never an internal error (issue 11: these were 'internal error' before)."""

from __future__ import annotations

import httpx
import pytest

from tests.support.world import World

CASES = [
    ("{ pendingReviews(orderBy: null) { totalCount } }", "PendingReviewOrder!"),
    ("{ exposureSummary(groupBy: null) { __typename } }", "ExposureGroupBy!"),
    ("{ exposureSummary(whatIf: null) { __typename } }", "Boolean!"),
    ("{ exposureSummary(top: null) { __typename } }", "Int!"),
    ('{ componentUsages(purl: "pkg:npm/x", includeSuperseded: null) { totalCount } }', "Boolean!"),
]


@pytest.mark.parametrize(("query", "expected_type"), CASES)
async def test_null_for_a_defaulted_argument_is_refused_before_execution(
    client: httpx.AsyncClient, world: World, query: str, expected_type: str
) -> None:
    # when an admin sends null where the argument has a default
    r = await client.post(
        "/graphql",
        json={"query": query},
        headers={
            "authorization": f"Bearer {world.secrets['admin']}",
            "accept": "application/graphql-response+json",
        },
    )
    # then validation refuses it, naming the expected type; nothing runs
    assert r.status_code == 400
    body = r.json()
    assert "data" not in body
    assert [e["message"] for e in body["errors"]] == [
        f"Expected value of type '{expected_type}', found null."
    ]


async def test_null_for_a_defaulted_input_field_is_refused_before_execution(
    client: httpx.AsyncClient, world: World
) -> None:
    query = (
        'mutation { registerPurchase(input: {vendorId: "VmVuZG9yOjE=", title: "x", '
        'category: CORE_NETWORK_EQUIPMENT, contractValue: {amount: "1", currency: "CNY"}, '
        'taxIncluded: true, contractDate: "2026-01-05", persons: [], singleSource: null}) '
        "{ errors { field } } }"
    )
    r = await client.post(
        "/graphql",
        json={"query": query},
        headers={"authorization": f"Bearer {world.secrets['procurement']}"},
    )
    assert r.status_code == 200  # application/json: the body carries the refusal
    assert [e["message"] for e in r.json()["errors"]] == [
        "Expected value of type 'Boolean!', found null."
    ]


async def test_a_null_variable_for_a_defaulted_argument_is_an_error_naming_it(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a nullable variable in the defaulted argument's place (allowed by GraphQL)
    query = "query S($g: ExposureGroupBy) { exposureSummary(groupBy: $g) { __typename } }"
    # when it is sent as null
    r = await client.post(
        "/graphql",
        json={"query": query, "variables": {"g": None}},
        headers={"authorization": f"Bearer {world.secrets['admin']}"},
    )
    # then the field is refused with the argument named, not an internal error
    errors = r.json()["errors"]
    assert [e["message"] for e in errors] == [
        "Argument 'groupBy' of non-null type 'ExposureGroupBy!' must not be null."
    ]
    assert "INTERNAL" not in str(errors)
