"""A request that waits past the connection pool's timeout (every connection busy: the server is
overloaded) gets a 503 to retry, not a 500. Found by bench/load_mix.py at 40 req/s on SQLite:
"QueuePool limit of size 5 overflow 10 reached" came back as HTTP 500 and internal errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, GraphQLString
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from procurement.settings import load_settings
from schema.core.http import GraphQLEndpoint
from schema.core.limits import QueryLimits

EXHAUSTED = "QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00"
BUSY = "the database is busy with other writes; nothing was changed: retry in a little while"


def _exhausted(_root: Any, _info: Any) -> str:
    raise PoolTimeout(EXHAUSTED)


SCHEMA = GraphQLSchema(
    GraphQLObjectType("Query", {"slow": GraphQLField(GraphQLString, resolve=_exhausted)})
)


def _client(fail_on_open: bool) -> httpx.AsyncClient:
    def context(_request: Request) -> Any:
        @asynccontextmanager
        async def opened() -> AsyncIterator[object]:
            if fail_on_open:  # the token look-up waits for a connection
                raise PoolTimeout(EXHAUSTED)
            yield object()

        return opened()

    settings = load_settings({"PROCUREMENT_DATABASE_URL": "sqlite:///unused.db"})
    endpoint = GraphQLEndpoint(
        SCHEMA, context, limits=QueryLimits.from_settings(settings), max_upload_bytes=1024
    )

    async def graphql(request: Request) -> Response:
        return await endpoint(request)

    app = Starlette(routes=[Route("/graphql", graphql, methods=["GET", "POST"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_pool_timeout_before_execution_is_a_503_to_retry() -> None:
    async with _client(fail_on_open=True) as client:
        response = await client.post("/graphql", json={"query": "{ slow }"})
    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert response.json() == {"errors": [{"message": BUSY}]}


async def test_a_pool_timeout_in_a_resolver_is_a_503_naming_the_condition() -> None:
    async with _client(fail_on_open=False) as client:
        response = await client.post("/graphql", json={"query": "{ slow }"})
    assert response.status_code == 503
    assert response.json() == {
        "errors": [
            {
                "message": BUSY,
                "locations": [{"line": 1, "column": 3}],
                "path": ["slow"],
                "extensions": {"code": "SERVICE_UNAVAILABLE", "database": "busy"},
            }
        ],
        "data": {"slow": None},
    }


async def test_a_pool_timeout_in_a_rest_route_is_a_503_to_retry() -> None:
    # given the app's handler for database errors, on a route whose session waits in vain (found
    # by bench/load_pg.py: PUT /api/purchases/{id}/sbom answered 500 on an exhausted pool)
    from procurement.db_faults import DatabaseState
    from procurement.web.health import database_unavailable

    async def upload(_request: Request) -> Response:
        raise PoolTimeout(EXHAUSTED)

    app = Starlette(
        routes=[Route("/api/upload", upload, methods=["PUT"])],
        exception_handlers={PoolTimeout: database_unavailable},
    )
    app.state.database_state = DatabaseState()
    transport = httpx.ASGITransport(app=app)
    # when it is called
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.put("/api/upload", content=b"{}")
    # then a 503 with Retry-After, saying the database is busy
    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert BUSY in response.text
