"""Pages of agreement lists cost a constant number of SQL statements, whatever their size."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.agreements import add_purchase, generate, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, warm_token

WITHOUT_AGREEMENT = """{ purchasesWithoutAgreement(first: 100) { totalCount edges { node {
    title vendor { name } operator { name } currentAgreement { state number }
} } } }"""
AGREEMENT_PAGE = """{ purchases(first: 100) { edges { node {
    title agreements { state document { fileName } obligations { code checks { result } } }
} } } }"""


async def _add(db: DatabaseUnderTest, world: World, count: int) -> None:
    """``count`` more purchases: a third without agreement, a third with a draft, a third signed."""
    async with db.sessions() as session:
        for i in range(count):
            purchase = await add_purchase(session, world, f"Extra {i}")
            if i % 3:
                agreement = (await generate(session, purchase)).id
                if i % 3 == 2:
                    await send(session, agreement)
                    await sign(session, agreement)


async def _statements(
    db: DatabaseUnderTest, client: httpx.AsyncClient, secret: str, query: str
) -> tuple[list[str], dict[str, Any]]:
    await warm_token(client, secret)
    with db.queries.counting() as statements:
        status, body = await gql(client, secret, query)
    assert status == 200 and "errors" not in body, body
    return statements, body


@pytest.mark.parametrize(("extra", "listed"), [(0, 3), (12, 11)])
async def test_purchases_without_agreement_page_is_constant(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, extra: int, listed: int
) -> None:
    # given 3 or 15 purchases, of which the extra ones are one third signed
    await _add(db, world, extra)
    # when an admin lists those without a signed agreement, with vendor, operator and draft
    statements, body = await _statements(db, client, world.secrets["admin"], WITHOUT_AGREEMENT)
    # then the signed ones are left out, at the same cost:
    # token, count, page, vendors, operators, agreements
    assert body["data"]["purchasesWithoutAgreement"]["totalCount"] == listed
    assert len(statements) == 5, statements


@pytest.mark.parametrize("extra", [3, 12])
async def test_agreements_with_obligations_and_checks_are_batched(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, extra: int
) -> None:
    await _add(db, world, extra)
    statements, _ = await _statements(db, client, world.secrets["legal"], AGREEMENT_PAGE)
    # the page with its total count, agreements, obligations, checks (the token cached)
    assert len(statements) == 4, statements
