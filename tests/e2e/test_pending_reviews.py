"""pendingReviews: filters, the three orders and keyset pagination over them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import ASSIGN, call, declare, gid, open_case_id
from tests.support.world import World, gql

LIST = """query P($filter: PendingReviewFilterInput, $order: PendingReviewOrder, $first: Int,
  $after: String, $asOf: Date) {
  pendingReviews(filter: $filter, orderBy: $order, first: $first, after: $after, asOf: $asOf) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { deadline overdue riskScore purchase { title } } } } }"""


@pytest.fixture
async def cases(db: DatabaseUnderTest, world: World, client: httpx.AsyncClient) -> World:
    """Core routers declared 26 Sep (due 16 Oct), storage array declared 10 Oct (due 23 Oct: Saturday 11 Oct is worked),
    branch switches (operator B) still waiting for triage."""
    reviewer = world.secrets["reviewer"]
    async with db.sessions() as session:
        routers = gid("ReviewCase", await open_case_id(session, world.purchase_a_cn))
        storage = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
    await declare(client, reviewer, routers, "2025-09-15", "2025-09-26")
    await declare(client, reviewer, storage, "2025-09-15", "2025-10-10")
    payload = await call(client, world.secrets["admin"], ASSIGN, caseId=routers, reviewerTokenId=1)
    assert payload["errors"] == []
    return world


async def titles(client: httpx.AsyncClient, secret: str, **variables: Any) -> list[str]:
    status, body = await gql(client, secret, LIST, variables)
    assert status == 200 and "errors" not in body, body
    return [e["node"]["purchase"]["title"] for e in body["data"]["pendingReviews"]["edges"]]


async def test_orders_put_unknown_keys_last(cases: World, client: httpx.AsyncClient) -> None:
    admin = cases.secrets["admin"]
    _status, body = await gql(client, admin, LIST, {"asOf": "2025-10-20"})
    assert [
        (e["node"]["purchase"]["title"], e["node"]["deadline"], e["node"]["overdue"])
        for e in body["data"]["pendingReviews"]["edges"]
    ] == [
        ("Core routers", "2025-10-16", True),
        ("Storage array", "2025-10-23", False),
        ("Branch switches", None, False),
    ]
    assert await titles(client, admin, order="RISK") == [
        "Storage array",
        "Core routers",
        "Branch switches",
    ]
    # the USD purchase has no CNY value without an exchange rate: it comes last
    assert await titles(client, admin, order="VALUE") == [
        "Core routers",
        "Branch switches",
        "Storage array",
    ]


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"overdue": True}, ["Core routers"]),
        ({"overdue": False}, ["Storage array", "Branch switches"]),
        ({"minSeverity": "HIGH"}, ["Storage array"]),
        ({"state": "PENDING_TRIAGE"}, ["Branch switches"]),
        ({"state": "DECLARED"}, ["Core routers", "Storage array"]),
        ({"operatorId": gid("Operator", 2)}, ["Branch switches"]),
        ({"vendorId": gid("Vendor", 2)}, ["Storage array"]),
        ({"assignedToMe": True}, ["Core routers"]),
    ],
)
async def test_filters(
    cases: World, client: httpx.AsyncClient, filter: dict[str, Any], expected: list[str]
) -> None:
    got = await titles(client, cases.secrets["admin"], filter=filter, asOf="2025-10-20")
    assert got == expected


@pytest.mark.parametrize("order", ["DEADLINE", "RISK", "VALUE"])
async def test_keyset_pages_cover_every_case_once(
    cases: World, client: httpx.AsyncClient, order: str
) -> None:
    admin = cases.secrets["admin"]
    whole = await titles(client, admin, order=order)
    seen: list[str] = []
    after = None
    for _ in range(5):
        _status, body = await gql(client, admin, LIST, {"order": order, "first": 1, "after": after})
        page = body["data"]["pendingReviews"]
        assert page["totalCount"] == 3
        seen += [e["node"]["purchase"]["title"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == whole


async def test_a_cursor_of_another_order_is_refused(
    cases: World, client: httpx.AsyncClient
) -> None:
    admin = cases.secrets["admin"]
    _, body = await gql(client, admin, LIST, {"order": "RISK", "first": 1})
    cursor = body["data"]["pendingReviews"]["pageInfo"]["endCursor"]
    status, body = await gql(client, admin, LIST, {"order": "VALUE", "after": cursor})
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["errors"][0]["field"] == "after"
