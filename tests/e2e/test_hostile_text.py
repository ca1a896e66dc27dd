"""Text no column can store, nesting no request needs, and searches no one types: each gets a
4xx or a payload error saying what and where, on both databases, and nothing is written
(issue 11: these were HTTP 500s or 'internal error', or a NUL stored on SQLite)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

REGISTER = (
    'mutation($n: String!) { registerVendor(input: {name: $n, country: "CN", '
    "ownership: PRIVATE}) { vendor { id } errors { field message } } }"
)


def headers(world: World, role: str = "procurement") -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}", "content-type": "application/json"}


async def test_a_nul_in_a_variable_is_refused_with_its_path_and_nothing_is_written(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    body = json.dumps({"query": REGISTER, "variables": {"n": "Hua\u0000xin"}})
    r = await client.post("/graphql", content=body, headers=headers(world))
    assert (r.status_code, r.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "variables.n contains U+0000 (NUL) at character 3, "
                    "which no text field accepts"
                }
            ]
        },
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_lone_surrogate_in_a_variable_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    # JSON may escape a lone surrogate; no database can store it
    body = '{"query": ' + json.dumps(REGISTER) + ', "variables": {"n": "a\\ud800b"}}'
    r = await client.post("/graphql", content=body, headers=headers(world))
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        "variables.n contains U+D800 (a lone surrogate) at character 1, which no text field accepts"
    )


async def test_a_nul_in_a_string_literal_is_a_validation_error_at_its_location(
    client: httpx.AsyncClient, world: World
) -> None:
    query = (
        'mutation { registerVendor(input: {name: "a\\u0000b", country: "CN", '
        "ownership: PRIVATE}) { errors { message } } }"
    )
    r = await client.post(
        "/graphql",
        json={"query": query},
        headers={**headers(world), "accept": "application/graphql-response+json"},
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {
            "message": "this string contains U+0000 (NUL) at character 1, "
            "which no text field accepts",
            "locations": [{"line": 1, "column": 41}],
        }
    ]


@pytest.mark.parametrize("depth", [65, 100_000])
async def test_variables_nested_deeper_than_any_input_are_refused(
    client: httpx.AsyncClient, world: World, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    body = '{"query": "{ me { role } }", "variables": {"a": ' + nested + "}}"
    r = await client.post("/graphql", content=body, headers=headers(world))
    assert r.status_code == 400
    message = r.json()["errors"][0]["message"]
    assert message in {
        "variables.a" + "[0]" * 64 + " nests deeper than 64 levels",
        "the request body nests too deep to be a GraphQL request",
    }


async def test_a_search_longer_than_anyone_types_is_a_field_error(
    client: httpx.AsyncClient, world: World
) -> None:
    query = "query($s: String) { vendors(search: $s) { totalCount } }"
    r = await client.post(
        "/graphql",
        json={"query": query, "variables": {"s": "%_" * 450_000}},
        headers=headers(world),
    )
    error = r.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "search: is longer than 200 characters"


async def test_like_wildcards_in_a_search_are_taken_literally(
    client: httpx.AsyncClient, world: World
) -> None:
    query = "query($s: String) { vendors(search: $s) { totalCount } }"
    everything = await client.post(
        "/graphql", json={"query": query, "variables": {"s": "%"}}, headers=headers(world)
    )
    assert everything.json() == {"data": {"vendors": {"totalCount": 0}}}
