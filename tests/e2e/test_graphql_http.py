"""GraphQL-over-HTTP behaviour of /graphql: methods, media types, status codes, error bodies."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from procurement.registry.actions import vendors as vendor_service
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, audit_count, row_counts

ME = "{ me { role } }"
GQL_ACCEPT = "application/graphql-response+json"
GQL_RESPONSE = "application/graphql-response+json; charset=utf-8"
JSON_RESPONSE = "application/json; charset=utf-8"


def auth(world: World, role: str = "admin", **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}", **extra}


async def test_post_json_query_answers_200_with_data(
    client: httpx.AsyncClient, world: World
) -> None:
    # when a query is POSTed as JSON
    r = await client.post("/graphql", json={"query": ME}, headers=auth(world))
    # then it is answered as application/json with the data
    assert (r.status_code, r.headers["content-type"]) == (200, JSON_RESPONSE)
    assert r.json() == {"data": {"me": {"role": "ADMIN"}}}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/graphql-response+json", GQL_RESPONSE),
        ("application/json", JSON_RESPONSE),
        ("application/graphql-response+json, application/json;q=0.9", GQL_RESPONSE),
        ("application/json, application/graphql-response+json;q=0.5", JSON_RESPONSE),
        ("*/*", JSON_RESPONSE),
    ],
)
async def test_response_media_type_follows_accept(
    client: httpx.AsyncClient, world: World, accept: str, expected: str
) -> None:
    r = await client.post("/graphql", json={"query": ME}, headers=auth(world, accept=accept))
    assert (r.status_code, r.headers["content-type"]) == (200, expected)


async def test_unacceptable_accept_gets_406(client: httpx.AsyncClient, world: World) -> None:
    r = await client.post("/graphql", json={"query": ME}, headers=auth(world, accept="text/csv"))
    assert r.status_code == 406
    assert r.json() == {"errors": [{"message": "cannot answer in any of: text/csv"}]}


async def test_get_query_is_allowed(client: httpx.AsyncClient, world: World) -> None:
    r = await client.get("/graphql", params={"query": ME}, headers=auth(world))
    assert (r.status_code, r.json()) == (200, {"data": {"me": {"role": "ADMIN"}}})


async def test_get_query_with_variables(client: httpx.AsyncClient, world: World) -> None:
    query = "query Q($n: Int) { vendors(first: $n) { totalCount edges { node { name } } } }"
    r = await client.get(
        "/graphql", params={"query": query, "variables": json.dumps({"n": 1})}, headers=auth(world)
    )
    assert r.status_code == 200
    assert r.json() == {
        "data": {"vendors": {"totalCount": 2, "edges": [{"node": {"name": "Huaxin Networks"}}]}}
    }


async def test_mutation_over_get_is_refused_with_405_and_changes_nothing(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    # given the current rows
    async with db.sessions() as session:
        before = await row_counts(session)
    mutation = 'mutation { registerVendor(input: {name: "X", country: "CN", ownership: STATE}) { errors { code } } }'
    # when a mutation arrives over GET (a link or image a browser would follow)
    r = await client.get("/graphql", params={"query": mutation}, headers=auth(world))
    # then it is refused, says why, and nothing was written
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    assert r.json() == {"errors": [{"message": "only queries may be sent with GET; use POST"}]}
    async with db.sessions() as session:
        assert await row_counts(session) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "'query' is required"),
        ({"query": 1}, "'query' must be a string"),
        ({"query": None}, "'query' is required"),
        ({"query": ME, "variables": [1]}, "'variables' must be an object"),
        ({"query": ME, "variables": "x"}, "'variables' must be an object"),
        ({"query": ME, "operationName": 3}, "'operationName' must be a string"),
        ({"query": ME, "extensions": "x"}, "'extensions' must be an object"),
    ],
)
async def test_malformed_request_parameters_get_400(
    client: httpx.AsyncClient, world: World, body: dict[str, object], message: str
) -> None:
    r = await client.post("/graphql", json=body, headers=auth(world))
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message}]})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "the request body is not valid JSON"),
        (b"[1, 2]", "the request body must be a JSON object"),
        (b"\xff\xfe", "the request body is not valid JSON"),
    ],
)
async def test_bad_json_bodies_get_400(
    client: httpx.AsyncClient, world: World, content: bytes, message: str
) -> None:
    headers = auth(world, **{"content-type": "application/json"})
    r = await client.post("/graphql", content=content, headers=headers)
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message}]})


async def test_wrong_content_type_gets_415(client: httpx.AsyncClient, world: World) -> None:
    headers = auth(world, **{"content-type": "text/plain"})
    r = await client.post("/graphql", content=json.dumps({"query": ME}), headers=headers)
    assert r.status_code == 415


async def test_unparsable_document_gets_400_with_location(
    client: httpx.AsyncClient, world: World
) -> None:
    r = await client.post(
        "/graphql", json={"query": "{ me { role "}, headers=auth(world, accept=GQL_ACCEPT)
    )
    assert r.status_code == 400
    assert r.json() == {
        "errors": [
            {
                "message": "Syntax Error: Expected Name, found <EOF>.",
                "locations": [{"line": 1, "column": 13}],
            }
        ]
    }


async def test_invalid_document_gets_400(client: httpx.AsyncClient, world: World) -> None:
    r = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers=auth(world, accept=GQL_ACCEPT)
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        "Cannot query field 'nope' on type 'Query'. Did you mean 'node'?"
    )
    assert "data" not in r.json()


async def test_document_errors_in_plain_json_get_200_as_the_spec_says(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a client that accepts only application/json (GraphQL over HTTP: such clients read
    # the body, so the server SHOULD answer 200 for a parse, validation or coercion failure)
    headers = auth(world, accept="application/json")
    unparsable = await client.post("/graphql", json={"query": "{ me { "}, headers=headers)
    invalid = await client.post("/graphql", json={"query": "{ nope }"}, headers=headers)
    bad_variable = await client.post(
        "/graphql",
        json={"query": "query Q($n: Int) { vendors(first: $n) { totalCount } }",
              "variables": {"n": "many"}},
        headers=headers,
    )  # fmt: skip
    # then each is a 200 whose body carries the errors and no data
    for r in (unparsable, invalid, bad_variable):
        assert (r.status_code, r.headers["content-type"]) == (200, JSON_RESPONSE)
        assert "data" not in r.json() and len(r.json()["errors"]) == 1
    # and a malformed request (no query at all) is still a 400
    missing = await client.post("/graphql", json={}, headers=headers)
    assert missing.status_code == 400


async def test_bad_variable_gets_400_without_data(client: httpx.AsyncClient, world: World) -> None:
    query = "query Q($n: Int) { vendors(first: $n) { totalCount } }"
    r = await client.post(
        "/graphql",
        json={"query": query, "variables": {"n": "many"}},
        headers=auth(world, accept=GQL_ACCEPT),
    )
    assert r.status_code == 400
    assert "data" not in r.json()
    assert r.json()["errors"][0]["message"].startswith("Variable '$n' got invalid value 'many'")


async def test_ambiguous_operation_gets_400(client: httpx.AsyncClient, world: World) -> None:
    body = {"query": "query A { me { role } } query B { me { name } }"}
    r = await client.post("/graphql", json=body, headers=auth(world))
    assert r.status_code == 400
    assert r.json() == {
        "errors": [{"message": "the operation to run is unknown or ambiguous: name it"}]
    }
    body["operationName"] = "B"
    r = await client.post("/graphql", json=body, headers=auth(world))
    assert (r.status_code, r.json()) == (200, {"data": {"me": {"name": "admin user"}}})


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_get_405(client: httpx.AsyncClient, world: World, method: str) -> None:
    r = await client.request(method, "/graphql", json={"query": ME}, headers=auth(world))
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, POST"


MISSING = "authentication required: send 'Authorization: Bearer <token>'"
MALFORMED = "the Authorization header must be 'Bearer <token>' with the token after it"
INVALID = (
    "the token sent is not valid: it is mistyped, revoked or unknown here; "
    "ask an administrator for a new one"
)


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, MISSING),
        ("Bearer ", MALFORMED),
        ("Basic abc", MALFORMED),
        ("Bearer prt_unknown", INVALID),
        ("Bearer x" * 300, INVALID),
    ],
)
async def test_missing_or_unknown_token_gets_401_and_nothing_else(
    client: httpx.AsyncClient, world: World, authorization: str | None, message: str
) -> None:
    headers = {} if authorization is None else {"authorization": authorization}
    r = await client.post(
        "/graphql", json={"query": "{ purchases { totalCount } }"}, headers=headers
    )
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Bearer realm="procurement"'
    assert r.json() == {"errors": [{"message": message}]}


async def test_a_browser_asking_for_graphql_is_sent_to_the_explorer_served_here(
    client: httpx.AsyncClient,
) -> None:
    # when a browser opens /graphql (it asks for HTML)
    r = await client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml"})
    # then it is sent to the explorer page of this service, not to a page that loads a CDN
    assert (r.status_code, r.headers["location"]) == (303, "/explorer")


async def test_a_wrong_token_and_a_malformed_header_are_told_apart_from_no_token(
    client: httpx.AsyncClient,
) -> None:
    # when a mistyped token, and a header without the Bearer scheme, are sent
    wrong = await client.post(
        "/graphql", json={"query": ME}, headers={"authorization": "Bearer prt_mistyped"}
    )
    malformed = await client.post(
        "/graphql", json={"query": ME}, headers={"authorization": "prt_no_scheme"}
    )
    # then each 401 says what to do about it
    assert (wrong.status_code, wrong.json()) == (
        401,
        {
            "errors": [
                {
                    "message": "the token sent is not valid: it is mistyped, revoked or unknown "
                    "here; ask an administrator for a new one"
                }
            ]
        },
    )
    assert (malformed.status_code, malformed.json()["errors"][0]["message"]) == (
        401,
        "the Authorization header must be 'Bearer <token>' with the token after it",
    )


async def test_healthz(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


def limited_client(db: DatabaseUnderTest, **env: str) -> httpx.AsyncClient:
    """A client on an app with tighter limits than the defaults."""
    settings = load_settings({"PROCUREMENT_DATABASE_URL": db.url, **env})
    app = create_app(settings, engine=db.engine)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_query_depth_limit(db: DatabaseUnderTest, world: World) -> None:
    # given an app that allows a depth of 5
    async with limited_client(db, PROCUREMENT_MAX_QUERY_DEPTH="5") as client:
        five = "{ purchases { edges { node { operator { name } } } } }"
        six = "{ purchases { edges { node { operator { ciiSystems { name } } } } } }"
        via_fragment = (
            "{ purchases { edges { node { ...P } } } } "
            "fragment P on Purchase { operator { ciiSystems { name } } }"
        )
        # when sending queries of depth 5 and 6 (the latter also through a fragment)
        ok = await client.post(
            "/graphql", json={"query": five}, headers=auth(world, accept=GQL_ACCEPT)
        )
        deep = await client.post(
            "/graphql", json={"query": six}, headers=auth(world, accept=GQL_ACCEPT)
        )
        hidden = await client.post(
            "/graphql", json={"query": via_fragment}, headers=auth(world, accept=GQL_ACCEPT)
        )
    # then depth 5 runs and depth 6 is refused before execution, fragments included
    assert ok.status_code == 200
    for r in (deep, hidden):
        assert r.status_code == 400
        assert r.json()["errors"][0]["message"] == "query depth 6 exceeds the limit of 5"
        assert r.json()["errors"][0]["extensions"] == {"code": "QUERY_TOO_DEEP"}


async def test_query_complexity_limit(db: DatabaseUnderTest, world: World) -> None:
    # given an app allowing a complexity of 10,000 (cost 1 per field, times `first` below it)
    heavy_but_fine = (  # 1 + 100 * 12 = 1,201 plus 1 + 100 * 7 = 701
        "{ purchases(first: 100) { edges { node { operator { ciiSystems { id name } } "
        "vendor { restrictionListings { listName source reason } } } } } "
        "vendors(first: 100) { edges { node { name contact { name email phone } } } } }"
    )
    aliased = (  # 20 x (1 + 100 * 6) = 12,020
        "{ "
        + " ".join(
            f"p{i}: purchases(first: 100) {{ edges {{ node {{ id title vendor {{ name }} }} }} }}"
            for i in range(20)
        )
        + " }"
    )
    async with limited_client(db, PROCUREMENT_MAX_QUERY_COMPLEXITY="10000") as client:
        ok = await client.post(
            "/graphql", json={"query": heavy_but_fine}, headers=auth(world, accept=GQL_ACCEPT)
        )
        r = await client.post(
            "/graphql", json={"query": aliased}, headers=auth(world, accept=GQL_ACCEPT)
        )
    # then the first runs, the second is refused before any SQL runs
    assert ok.status_code == 200
    assert r.status_code == 400
    assert r.json()["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}
    assert r.json()["errors"][0]["message"] == "query complexity 12020 exceeds the limit of 10000"


async def test_page_size_is_capped(client: httpx.AsyncClient, world: World) -> None:
    r = await client.post(
        "/graphql", json={"query": "{ purchases(first: 101) { totalCount } }"}, headers=auth(world)
    )
    assert r.status_code == 200
    error = r.json()["errors"][0]
    assert error["message"] == "first: must be between 0 and 100"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert r.json()["data"] is None


async def test_pagination_walks_every_row_once(client: httpx.AsyncClient, world: World) -> None:
    query = "query P($after: String) { purchases(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { title } } } }"
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        r = await client.post(
            "/graphql", json={"query": query, "variables": {"after": after}}, headers=auth(world)
        )
        body = r.json()["data"]["purchases"]
        pages += 1
        seen += [e["node"]["title"] for e in body["edges"]]
        assert body["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not body["pageInfo"]["hasNextPage"]:
            break
        after = body["pageInfo"]["endCursor"]
    assert pages == 2
    assert seen == ["Core routers", "Storage array", "Branch switches"]


async def test_bad_cursor_is_a_clear_error(client: httpx.AsyncClient, world: World) -> None:
    r = await client.post(
        "/graphql",
        json={"query": '{ purchases(after: "nope") { totalCount } }'},
        headers=auth(world),
    )
    assert r.json()["errors"][0]["message"] == "after: 'nope' is not a valid cursor"


async def test_unexpected_errors_are_masked_and_logged(
    client: httpx.AsyncClient,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    db: object,
) -> None:
    # given a service that fails in an unexpected way
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret connection string in here")

    monkeypatch.setattr(vendor_service, "register_vendor", broken)
    mutation = 'mutation { registerVendor(input: {name: "X", country: "CN", ownership: STATE}) { errors { code } } }'
    # when the mutation runs
    with caplog.at_level(logging.ERROR, logger="procurement.graphql"):
        r = await client.post("/graphql", json={"query": mutation}, headers=auth(world))
    # then the client sees a masked error, the log has the stack trace
    assert r.status_code == 200
    assert r.json() == {
        "data": {"registerVendor": None},
        "errors": [
            {
                "message": "internal error",
                "locations": [{"line": 1, "column": 12}],
                "path": ["registerVendor"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }
    assert "secret connection string" not in r.text
    assert "RuntimeError: secret connection string in here" in caplog.text


async def test_decimal_amount_sent_as_json_number_is_exact(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    from tests.support.world import gql

    mutation = """mutation R($input: RegisterPurchaseInput!) {
      registerPurchase(input: $input) { purchase { contractValue { amount currency } } errors { field code } } }"""
    variables = {
        "input": {
            "vendorId": "VmVuZG9yOjE=",
            "operatorId": "T3BlcmF0b3I6MQ==",
            "title": "Exact",
            "category": "CORE_NETWORK_EQUIPMENT",
            "contractValue": {"amount": 1234567.1, "currency": "cny"},
            "taxIncluded": True,
            "contractDate": "2025-05-01",
            "persons": [{"name": "Zhang", "role": "PERSON_IN_CHARGE"}],
        }
    }
    status, body = await gql(client, world.secrets["admin"], mutation, variables)
    assert status == 200
    assert body == {
        "data": {
            "registerPurchase": {
                "purchase": {"contractValue": {"amount": "1234567.10", "currency": "CNY"}},
                "errors": [],
            }
        }
    }
    async with db.sessions() as session:
        # 20 events from building the world (2 operators, 2 vendors, 3 purchases, 7 tokens, and
        # for each purchase its first screening verdict and the review case it opened) + 3
        assert await audit_count(session) == 23
