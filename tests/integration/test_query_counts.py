"""A page of results costs a constant number of SQL statements, whatever its size."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from procurement.screening.actions import rates
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, purchase_input, warm_token

PURCHASES_PAGE = """{ purchases(first: 100) { totalCount edges { node {
    title contractValue { amount currency }
    operator { name ciiSystems { name } }
    vendor { name restricted }
    ciiSystem { name }
    persons { name role }
} } } }"""

VENDORS_PAGE = (
    "{ vendors(first: 100) { edges { node { name restrictionListings { listName } } } } }"
)
OPERATORS_PAGE = "{ operators(first: 100) { edges { node { name ciiSystems { name } } } } }"
EXPOSURE_PAGE = (
    "{ purchases(first: 100) { edges { node { title exposure { total { min max } } } } } }"
)


async def add_purchases(db: DatabaseUnderTest, world: World, count: int) -> None:
    async with db.sessions() as session:
        for i in range(count):
            vendor = world.vendor_cn if i % 2 else world.vendor_us
            await purchases.register_purchase(
                session,
                SYSTEM,
                purchase_input(
                    world.operator_a, vendor, f"Extra {i}", cii_system_id=world.system_a
                ),
            )


async def statements_for(
    db: DatabaseUnderTest, client: httpx.AsyncClient, secret: str, query: str
) -> list[str]:
    # (the warm-up also leaves the token in the process's token cache: the counted request
    # runs no token statement, as every request does within a few seconds of another)
    await warm_token(client, secret)
    with db.queries.counting() as statements:
        status, body = await gql(client, secret, query)
    assert status == 200 and "errors" not in body, body
    return statements


@pytest.mark.parametrize("extra", [0, 97])
async def test_purchase_page_costs_five_statements_at_any_size(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, extra: int
) -> None:
    # given 3 or 100 purchases
    await add_purchases(db, world, extra)
    # when an admin lists a page with operator, vendor, system and persons of each
    statements = await statements_for(db, client, world.secrets["admin"], PURCHASES_PAGE)
    # then (the token cached by the warm-up): the page with its total count, operators and
    # vendors in one statement; the operators' systems, restrictions, systems, persons
    assert len(statements) == 5, statements
    assert sum("count(*)" in s for s in statements) == 1
    assert "JOIN operators" in statements[0] and "JOIN vendors" in statements[0]


async def test_screening_results_on_a_purchase_page_cost_no_statement_of_their_own(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given the page above, once with each purchase's screening result as well
    with_results = PURCHASES_PAGE.replace(
        "title ", "title screening { verdict findings { rule } } "
    )
    # when an admin lists it, and the page without results
    statements = await statements_for(db, client, world.secrets["admin"], with_results)
    without = await statements_for(db, client, world.secrets["admin"], PURCHASES_PAGE)
    # then the results came in the page's statement
    assert len(statements) == len(without) == 5, statements
    assert "screening_results" in statements[0] and "screening_results" not in without[0]


async def test_vendor_and_operator_pages_are_constant(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # token + count + page + one batched relation
    assert len(await statements_for(db, client, world.secrets["admin"], VENDORS_PAGE)) == 3
    assert len(await statements_for(db, client, world.secrets["admin"], OPERATORS_PAGE)) == 3


@pytest.mark.parametrize("extra", [0, 97])
async def test_exposure_of_a_purchase_page_costs_ten_statements_at_any_size(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, extra: int
) -> None:
    # given a USD rate (the world has a USD purchase) and 3 or 100 purchases
    async with db.sessions() as session:
        await rates.set_exchange_rate(session, SYSTEM, "USD", Decimal("7.1"), "2020-01-01", "t")
    await add_purchases(db, world, extra)
    # when an admin lists a page with the exposure of each purchase
    statements = await statements_for(db, client, world.secrets["admin"], EXPOSURE_PAGE)
    # then the page with its count (the token cached), and one assessment of the page: its purchases, the schedules,
    # the rates, persons, verdicts, cases, signed agreements, vendor names, and whether their
    # operators are identified CII operators, with their identification periods (was 9 per
    # purchase)
    assert len(statements) == 10, statements


async def test_exposure_pages_of_ten_and_of_a_hundred_cost_the_same_statements(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a USD rate and 100 purchases
    async with db.sessions() as session:
        await rates.set_exchange_rate(session, SYSTEM, "USD", Decimal("7.1"), "2020-01-01", "t")
    await add_purchases(db, world, 97)
    secret = world.secrets["admin"]
    # when an admin lists the first 10, then the first 100, with the exposure of each
    ten = await statements_for(db, client, secret, EXPOSURE_PAGE.replace("100", "10"))
    hundred = await statements_for(db, client, secret, EXPOSURE_PAGE)
    # then both cost the same ten statements (see the test above)
    assert (len(ten), len(hundred)) == (10, 10), (ten, hundred)
