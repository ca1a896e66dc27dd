"""Hostile documents over HTTP are refused fast with a 400 naming the limit; the standard
introspection query that tools send is answered."""

from __future__ import annotations

import time

import httpx
from graphql import get_introspection_query

from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts


def auth(world: World) -> dict[str, str]:
    # The GraphQL response type, whose refusals carry a 400 (plain JSON ones carry a 200).
    return {
        "authorization": f"Bearer {world.secrets['procurement']}",
        "accept": "application/graphql-response+json",
    }


def aliases(count: int, selection: str) -> str:
    return "{ " + " ".join(f"a{i}: {selection}" for i in range(count)) + " }"


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the one before twice: 2^levels fields once inlined."""
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return " ".join(fragments) + f" {{ ...F{levels} }}"


async def post_timed(
    client: httpx.AsyncClient, world: World, query: str
) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query}, headers=auth(world))
    return response, time.perf_counter() - started


def first_error(response: httpx.Response) -> tuple[int, str, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["message"], error["extensions"]["code"]


async def test_the_fragment_bomb_is_refused_in_milliseconds(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the 2^22 fragment fan-out (34 s of CPU on the event loop before the fix)
    bomb = fragment_bomb(22)
    assert len(bomb.encode()) == 897
    # when a valid token sends it
    response, _elapsed = await post_timed(client, world, bomb)
    # then it is refused by the complexity limit, well under a second
    assert first_error(response) == (
        400,
        "query complexity 4194304 exceeds the limit of 50000",
        "QUERY_TOO_COMPLEX",
    )


async def test_a_fragment_cycle_is_refused(client: httpx.AsyncClient, world: World) -> None:
    query = "{ ...A } fragment A on Query { me { role } ...B } fragment B on Query { ...A }"
    response, _elapsed = await post_timed(client, world, query)
    assert first_error(response) == (
        400,
        "fragments spread each other in a cycle: A -> B -> A",
        "QUERY_FRAGMENT_CYCLE",
    )


async def test_a_thousand_exposure_summaries_are_refused(
    db: DatabaseUnderTest, client: httpx.AsyncClient, world: World
) -> None:
    # given 1,000 aliases of exposureSummary (32.7 s of CPU before the fix)
    query = aliases(1000, "exposureSummary { purchaseCount }")
    async with db.sessions() as session:
        before = await row_counts(session)
    # when sent with the default limits, then the token cap stops it while parsing
    response, _elapsed = await post_timed(client, world, query)
    assert first_error(response) == (
        400,
        "query has more than 2000 tokens, the limit",
        "QUERY_TOO_LARGE",
    )
    # and with the token and alias caps raised, the field's own cost still refuses it
    settings = load_settings(
        {
            "PROCUREMENT_DATABASE_URL": db.url,
            "PROCUREMENT_MAX_QUERY_TOKENS": "100000",
            "PROCUREMENT_MAX_QUERY_FIELDS": "10000",
            "PROCUREMENT_MAX_QUERY_ALIASES": "10000",
        }
    )
    app = create_app(settings, engine=db.engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as roomy:
        response, _elapsed = await post_timed(roomy, world, query)
    assert first_error(response) == (
        400,
        "query complexity 5001000 exceeds the limit of 50000",
        "QUERY_TOO_COMPLEX",
    )
    # and nothing ran: not even the exposure cache was filled
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_ten_thousand_identical_fields_are_refused_by_the_token_cap(
    client: httpx.AsyncClient, world: World
) -> None:
    # given 10,000 identical fields (6.6 s on the event loop before the fix)
    query = "{ " + "__typename " * 10_000 + "}"
    response, _elapsed = await post_timed(client, world, query)
    assert first_error(response) == (
        400,
        "query has more than 2000 tokens, the limit",
        "QUERY_TOO_LARGE",
    )


async def test_fields_and_aliases_under_the_token_cap_are_capped_too(
    client: httpx.AsyncClient, world: World
) -> None:
    fields, _ = await post_timed(client, world, "{ " + "__typename " * 251 + "}")
    assert first_error(fields) == (
        400,
        "query has 251 fields, over the limit of 250",
        "QUERY_TOO_LARGE",
    )
    named, _ = await post_timed(client, world, aliases(101, "__typename"))
    assert first_error(named) == (
        400,
        "query has 101 aliases, over the limit of 100",
        "QUERY_TOO_LARGE",
    )


async def test_the_standard_introspection_query_is_answered(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the introspection query GraphiQL and code generators send (15 levels deep)
    query = get_introspection_query(descriptions=True)
    # when sent once
    response, _elapsed = await post_timed(client, world, query)
    # then it is answered with the schema
    assert response.status_code == 200
    schema = response.json()["data"]["__schema"]
    assert (schema["queryType"]["name"], schema["mutationType"]["name"]) == ("Query", "Mutation")
    names = {t["name"] for t in schema["types"]}
    assert {"Purchase", "ExposureSummary", "__Schema"} <= names
    assert "errors" not in response.json()


async def test_many_introspection_walks_are_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    # 1,000 aliases of __schema (21.5 s before the fix): over the token cap; 9 fit under it
    # but cost 9 walks of the whole schema
    many, _ = await post_timed(client, world, aliases(1000, "__schema { types { name } }"))
    assert first_error(many)[0::2] == (400, "QUERY_TOO_LARGE")
    nine, _ = await post_timed(client, world, aliases(9, "__schema { types { name } }"))
    status, message, code = first_error(nine)
    assert (status, code) == (400, "QUERY_TOO_COMPLEX")
    assert message.startswith("query complexity ")
