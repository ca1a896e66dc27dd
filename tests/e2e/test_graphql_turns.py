"""Turns at /graphql (schema/core/turns.py): past PROCUREMENT_GRAPHQL_CONCURRENCY operations at
once, a request waits its turn; past PROCUREMENT_GRAPHQL_QUEUE_SECONDS it gets a 503 to retry and
nothing of it runs."""

from __future__ import annotations

import asyncio

import httpx

from procurement.settings import load_settings
from procurement.web.app import create_app
from schema.core.turns import Turns
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

REGISTER = (
    'mutation { registerVendor(input: {name: "Queued Networks", country: "CN", '
    "ownership: PRIVATE}) { vendor { name } errors { message } } }"
)
COUNT = "{ vendors(first: 100) { totalCount } }"


def one_turn_app(db: DatabaseUnderTest) -> tuple[httpx.AsyncClient, Turns]:
    settings = load_settings(
        {
            "PROCUREMENT_DATABASE_URL": db.url,
            "PROCUREMENT_GRAPHQL_CONCURRENCY": "1",
            "PROCUREMENT_GRAPHQL_QUEUE_SECONDS": "1",
        }
    )
    app = create_app(settings, engine=db.engine)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    turns: Turns = app.state.graphql_turns
    return client, turns


async def test_a_request_past_the_wait_limit_gets_503_and_nothing_runs(
    db: DatabaseUnderTest, world: World
) -> None:
    # given an app executing one operation at a time, waiting at most 1 s, its turn taken
    headers = {"authorization": f"Bearer {world.secrets['admin']}"}
    client, turns = one_turn_app(db)
    async with client:
        before = (await client.post("/graphql", json={"query": COUNT}, headers=headers)).json()
        async with turns.turn():
            # when a mutation comes
            refused = await client.post("/graphql", json={"query": REGISTER}, headers=headers)
        after = (await client.post("/graphql", json={"query": COUNT}, headers=headers)).json()

    # then it is told to retry, and no vendor was registered
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert refused.json() == {
        "errors": [{"message": "the server is busy: no turn to execute within 1 s; retry later"}]
    }
    assert after == before


async def test_a_request_that_waits_less_runs_when_the_turn_is_free(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the only turn taken
    headers = {"authorization": f"Bearer {world.secrets['admin']}"}
    client, turns = one_turn_app(db)
    async with client:
        async with turns.turn():
            # when a mutation comes, and the turn is freed 0.2 s later
            sent = asyncio.create_task(
                client.post("/graphql", json={"query": REGISTER}, headers=headers)
            )
            await asyncio.sleep(0.2)
            assert not sent.done()  # it is waiting
        answered = await sent

    # then it ran
    assert answered.status_code == 200
    assert answered.json() == {
        "data": {"registerVendor": {"vendor": {"name": "Queued Networks"}, "errors": []}}
    }
