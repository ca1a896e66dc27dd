"""componentUsages(first: 100) runs a constant number of SQL statements, however many usages the
page holds: the read loads each row's component, document version, SBOM and purchase in one
statement, and the nested fields are answered from them (issue 14, where-used at scale)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.test_sbom_api import bearer, put_url
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_FIXED, LOG4J_OLD, firmware_sbom
from tests.support.world import World, gql

LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core"
QUERY = """query U($purl: String!, $range: String) {
  componentUsages(purl: $purl, versionRange: $range, first: 100) { totalCount purchaseCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { version purchase { title } component { name purl }
      sbom { name number isCurrent purchase { title } } } } } }"""


async def _statements(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, version_range: str | None
) -> tuple[list[str], dict[str, object]]:
    """The statements of one request (the token lookup left out: it is cached per process)."""
    variables = {"purl": LOG4J, "range": version_range}
    await gql(client, world.secrets["admin"], QUERY, variables)  # the token is cached after it
    with db.queries.counting() as statements:
        status, body = await gql(client, world.secrets["admin"], QUERY, variables)
    assert status == 200 and "errors" not in body, body
    return [s for s in statements if "api_tokens" not in s], body["data"]["componentUsages"]


async def _upload(
    client: httpx.AsyncClient, world: World, purchase: int, log4j: dict[str, Any]
) -> None:
    response = await client.put(
        put_url(purchase), headers=bearer(world, "admin"), content=firmware_sbom([log4j, COMMONS])
    )
    assert response.status_code in (200, 201), response.text


async def test_one_usage_or_three_cost_the_same_statements(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given log4j-core in one purchase's SBOM
    await _upload(client, world, world.purchase_a_cn, LOG4J_OLD)
    one, one_page = await _statements(client, db, world, None)
    one_in_range, _p = await _statements(client, db, world, "vers:maven/>=2.0.0|<2.17.1")
    # when two more purchases hold it
    await _upload(client, world, world.purchase_a_us, LOG4J_FIXED)
    await _upload(client, world, world.purchase_b_cn, LOG4J_OLD)
    three, three_page = await _statements(client, db, world, None)
    three_in_range, range_page = await _statements(client, db, world, "vers:maven/>=2.0.0|<2.17.1")
    # then the page of three needs exactly the statements the page of one did: one for the page
    # and its counts, and for a range one more for the versions without a key
    assert (one_page["totalCount"], three_page["totalCount"]) == (1, 3)
    assert (range_page["totalCount"], range_page["purchaseCount"]) == (2, 2)
    assert [len(one), len(three)] == [1, 1]
    assert [len(one_in_range), len(three_in_range)] == [2, 2]
    edges = three_page["edges"]
    assert isinstance(edges, list)
    assert [e["node"]["purchase"]["title"] == e["node"]["sbom"]["purchase"]["title"]
            for e in edges] == [True, True, True]  # fmt: skip
