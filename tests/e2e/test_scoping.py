"""Row-level scoping through the HTTP API: operators' staff see their operator's rows, vendors
their own purchases, and nothing reveals that another operator's rows exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from schema.core.ids import to_global_id
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, row_counts

LIST_PURCHASES = (
    "query($filter: PurchaseFilterInput) { purchases(filter: $filter) {"
    " totalCount edges { node { title operator { name } vendor { name } } } } }"
)
BY_ID = (
    "query($id: ID!) { purchase(id: $id) { title } node(id: $id) { ... on Purchase { title } } }"
)
UPDATE = (
    'mutation($id: ID!) { updatePurchase(id: $id, input: {title: "Hijacked"}) {'
    " purchase { title } errors { field message code } } }"
)
IN_USE = (
    'mutation($id: ID!) { recordPurchaseInUse(id: $id, inUseDate: "2025-06-01") {'
    " purchase { title } errors { field message code } } }"
)
INTERNAL = (
    "query($id: ID!) { purchase(id: $id) { title contractValue { amount currency }"
    " persons { name } vendor { name country restricted restrictionListings { listName } } } }"
)


def _purchase(pk: int) -> str:
    return to_global_id("Purchase", pk)


def _listed(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    edges = body["data"]["purchases"]["edges"]
    return [
        (e["node"]["title"], e["node"]["operator"]["name"], e["node"]["vendor"]["name"])
        for e in edges
    ]


async def _counts(db: DatabaseUnderTest) -> dict[str, int]:
    async with db.sessions() as session:
        return await row_counts(session)


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (
            "procurement",
            [
                ("Core routers", "Operator A", "Huaxin Networks"),
                ("Storage array", "Operator A", "Northwind Storage"),
            ],
        ),
        ("procurement_b", [("Branch switches", "Operator B", "Huaxin Networks")]),
        (
            "vendor",
            [
                ("Core routers", "Operator A", "Huaxin Networks"),
                ("Branch switches", "Operator B", "Huaxin Networks"),
            ],
        ),
    ],
)
async def test_purchase_list_is_scoped(
    client: httpx.AsyncClient, world: World, caller: str, expected: list[tuple[str, str, str]]
) -> None:
    # given the three purchases of the test world (A+CN, A+US, B+CN)
    # when the caller lists purchases
    status, body = await gql(client, world.secrets[caller], LIST_PURCHASES)
    # then it sees exactly its operator's (or, for the vendor, its vendor's) purchases
    assert status == 200
    assert _listed(body) == expected
    assert body["data"]["purchases"]["totalCount"] == len(expected)


@pytest.mark.parametrize(
    ("caller", "filter_of"),
    [
        ("procurement", lambda w: {"operatorId": to_global_id("Operator", w.operator_b)}),
        ("procurement_b", lambda w: {"operatorId": to_global_id("Operator", w.operator_a)}),
        ("vendor", lambda w: {"vendorId": to_global_id("Vendor", w.vendor_us)}),
    ],
    ids=["A-asks-for-B", "B-asks-for-A", "vendor-asks-for-other-vendor"],
)
async def test_filters_never_widen_the_scope(
    client: httpx.AsyncClient, world: World, caller: str, filter_of: Callable[[World], Any]
) -> None:
    # given a filter naming rows outside the caller's scope
    variables = {"filter": filter_of(world)}
    # when the caller lists purchases with it
    status, body = await gql(client, world.secrets[caller], LIST_PURCHASES, variables)
    # then the list is empty
    assert (status, body) == (200, {"data": {"purchases": {"totalCount": 0, "edges": []}}})


@pytest.mark.parametrize(
    ("caller", "purchase"),
    [
        ("procurement", "purchase_b_cn"),
        ("legal", "purchase_b_cn"),
        ("auditor", "purchase_b_cn"),
        ("procurement_b", "purchase_a_cn"),
        ("procurement_b", "purchase_a_us"),
        ("vendor", "purchase_a_us"),
    ],
)
async def test_another_operators_purchase_by_id_is_null(
    client: httpx.AsyncClient, world: World, caller: str, purchase: str
) -> None:
    # given a purchase the caller may not see, and an id that does not exist at all
    hidden, missing = _purchase(getattr(world, purchase)), _purchase(999_999)
    # when the caller fetches both through purchase(id) and node(id)
    hidden_result = await gql(client, world.secrets[caller], BY_ID, {"id": hidden})
    missing_result = await gql(client, world.secrets[caller], BY_ID, {"id": missing})
    # then both are null without an error, so the hidden one is indistinguishable from none
    assert hidden_result == (200, {"data": {"purchase": None, "node": None}})
    assert missing_result == hidden_result


@pytest.mark.parametrize("document", [UPDATE, IN_USE], ids=["updatePurchase", "recordInUse"])
async def test_changing_another_operators_purchase_is_not_found(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, document: str
) -> None:
    # given operator B's buyer and operator A's core routers purchase
    before = await _counts(db)
    pk = world.purchase_a_cn
    # when B's buyer tries to change it
    status, body = await gql(
        client, world.secrets["procurement_b"], document, {"id": _purchase(pk)}
    )
    # then the answer is the same NOT_FOUND as for a purchase that does not exist
    name = "updatePurchase" if document is UPDATE else "recordPurchaseInUse"
    error = {"field": "id", "message": f"purchase {pk} not found", "code": "NOT_FOUND"}
    assert (status, body) == (200, {"data": {name: {"purchase": None, "errors": [error]}}})
    # and nothing changed: no row, no audit event, not the title
    assert await _counts(db) == before
    _, check = await gql(client, world.secrets["admin"], BY_ID, {"id": _purchase(pk)})
    assert check["data"]["purchase"] == {"title": "Core routers"}


async def test_registering_a_purchase_for_another_operator_is_forbidden(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's buyer and a purchase input naming operator B
    before = await _counts(db)
    document = (
        "mutation($input: RegisterPurchaseInput!) { registerPurchase(input: $input) {"
        " purchase { title } errors { field } } }"
    )
    purchase = {
        "operatorId": to_global_id("Operator", world.operator_b),
        "vendorId": to_global_id("Vendor", world.vendor_cn),
        "title": "Smuggled switches",
        "category": "CORE_NETWORK_EQUIPMENT",
        "contractValue": {"amount": "10.00", "currency": "CNY"},
        "taxIncluded": True,
        "contractDate": "2025-03-01",
        "persons": [{"name": "Wang Fang", "role": "PERSON_IN_CHARGE"}],
    }
    # when A's buyer registers it
    status, body = await gql(client, world.secrets["procurement"], document, {"input": purchase})
    # then it is refused with FORBIDDEN and nothing was written
    assert status == 200
    assert body["data"] == {"registerPurchase": None}
    assert [(e["path"], e["extensions"]) for e in body["errors"]] == [
        (["registerPurchase"], {"code": "FORBIDDEN"})
    ]
    assert await _counts(db) == before
    # and without operatorId the purchase goes to the buyer's own operator
    del purchase["operatorId"]
    document = document.replace("purchase { title }", "purchase { title operator { name } }")
    status, body = await gql(client, world.secrets["procurement"], document, {"input": purchase})
    assert (status, body["data"]["registerPurchase"]) == (
        200,
        {
            "purchase": {"title": "Smuggled switches", "operator": {"name": "Operator A"}},
            "errors": [],
        },
    )


async def test_vendor_sees_only_itself_among_vendors(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the vendor token of Huaxin Networks
    document = (
        "query($other: ID!) { vendors { totalCount edges { node { name country } } }"
        " node(id: $other) { id } }"
    )
    # when it lists vendors and fetches the other vendor by id
    other = to_global_id("Vendor", world.vendor_us)
    status, body = await gql(client, world.secrets["vendor"], document, {"other": other})
    # then only its own vendor is there, and the other one is null
    vendors = {"totalCount": 1, "edges": [{"node": {"name": "Huaxin Networks", "country": "CN"}}]}
    assert (status, body) == (200, {"data": {"vendors": vendors, "node": None}})


async def test_vendor_gets_forbidden_for_internal_fields_only(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the vendor token and one of its purchases
    variables = {"id": _purchase(world.purchase_a_cn)}
    # when it asks for public and internal fields in one query
    status, body = await gql(client, world.secrets["vendor"], INTERNAL, variables)
    # then the public fields resolve and each internal field is null with a FORBIDDEN error
    assert status == 200
    assert body["data"] == {
        "purchase": {
            "title": "Core routers",
            "contractValue": {"amount": "1200000.00", "currency": "CNY"},
            "persons": None,
            "vendor": {
                "name": "Huaxin Networks",
                "country": "CN",
                "restricted": None,
                "restrictionListings": None,
            },
        }
    }
    assert [(e["path"], e["extensions"]) for e in body["errors"]] == [
        (["purchase", "persons"], {"code": "FORBIDDEN"}),
        (["purchase", "vendor", "restricted"], {"code": "FORBIDDEN"}),
        (["purchase", "vendor", "restrictionListings"], {"code": "FORBIDDEN"}),
    ]


@pytest.mark.parametrize("caller", ["procurement", "legal", "reviewer", "auditor"])
async def test_operator_staff_read_internal_fields(
    client: httpx.AsyncClient, world: World, caller: str
) -> None:
    # given an operator A staff token and the same purchase
    variables = {"id": _purchase(world.purchase_a_cn)}
    # when asking for the internal fields
    status, body = await gql(client, world.secrets[caller], INTERNAL, variables)
    # then they resolve
    assert status == 200
    assert "errors" not in body
    purchase = body["data"]["purchase"]
    assert purchase["persons"] == [{"name": "Zhang Wei"}, {"name": "Liu Yang"}]
    assert (purchase["vendor"]["restricted"], purchase["vendor"]["restrictionListings"]) == (
        False,
        [],
    )


@pytest.mark.parametrize(
    ("caller", "role", "name", "operator", "vendor"),
    [
        ("admin", "ADMIN", "admin user", None, None),
        ("procurement", "PROCUREMENT", "procurement user", "operator_a", None),
        ("procurement_b", "PROCUREMENT", "B buyer", "operator_b", None),
        ("vendor", "VENDOR", "vendor user", None, "vendor_cn"),
        ("legal", "LEGAL", "legal user", "operator_a", None),
        ("reviewer", "REVIEWER", "reviewer user", "operator_a", None),
        ("auditor", "AUDITOR", "auditor user", "operator_a", None),
    ],
)
async def test_me_tells_role_operator_and_vendor(
    client: httpx.AsyncClient,
    world: World,
    caller: str,
    role: str,
    name: str,
    operator: str | None,
    vendor: str | None,
) -> None:
    # given the caller's token
    document = "{ me { name role operator { id name } vendor { id name } } }"
    # when asking who it is
    status, body = await gql(client, world.secrets[caller], document)
    # then the role, operator and vendor are the token's
    names = {
        "operator_a": "Operator A",
        "operator_b": "Operator B",
        "vendor_cn": "Huaxin Networks",
    }
    expected = {
        "name": name,
        "role": role,
        "operator": None
        if operator is None
        else {"id": to_global_id("Operator", getattr(world, operator)), "name": names[operator]},
        "vendor": None
        if vendor is None
        else {"id": to_global_id("Vendor", getattr(world, vendor)), "name": names[vendor]},
    }
    assert (status, body) == (200, {"data": {"me": expected}})
