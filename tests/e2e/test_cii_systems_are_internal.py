"""Which CII systems an operator protects is internal: a vendor never reads their names
(issue 11: `Operator.ciiSystems` showed them to every vendor the operator buys from)."""

from __future__ import annotations

import httpx

from tests.support.world import World, gql

QUERY = """{ purchases(first: 5) { edges { node { title ciiSystem { name }
  operator { name ciiSystems { name } } } } } }"""


async def test_a_vendor_gets_forbidden_for_the_systems_and_nothing_of_their_names(
    client: httpx.AsyncClient, world: World
) -> None:
    # when the vendor of operator A's core routers asks for the systems behind its purchase
    status, body = await gql(client, world.secrets["vendor"], QUERY)
    # then the purchase and operator are there, the systems are null with FORBIDDEN, and the
    # system's name appears nowhere in the answer
    assert status == 200
    node = body["data"]["purchases"]["edges"][0]["node"]
    assert node == {
        "title": "Core routers",
        "ciiSystem": None,
        "operator": {"name": "Operator A", "ciiSystems": None},
    }
    assert {tuple(e["path"][-1:]) for e in body["errors"]} == {("ciiSystem",), ("ciiSystems",)}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert "Dispatch SCADA" not in str(body)


async def test_the_operators_own_staff_still_see_them(
    client: httpx.AsyncClient, world: World
) -> None:
    status, body = await gql(client, world.secrets["procurement"], QUERY)
    assert status == 200 and "errors" not in body
    routers = next(
        e["node"]
        for e in body["data"]["purchases"]["edges"]
        if e["node"]["title"] == "Core routers"
    )
    assert routers["ciiSystem"] == {"name": "Dispatch SCADA"}
    assert routers["operator"]["ciiSystems"] == [{"name": "Dispatch SCADA"}]
