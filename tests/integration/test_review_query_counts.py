"""pendingReviews costs a constant number of SQL statements, whatever the page size."""

from __future__ import annotations

import httpx
import pytest

from procurement.enums import PurchaseCategory
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, purchase_input, warm_token

PENDING_PAGE = """{ pendingReviews(first: 100, orderBy: RISK) { totalCount
  pageInfo { hasNextPage endCursor }
  edges { cursor node { id state deadline overdue riskScore
    purchase { title contractValue { amount currency } vendor { name country }
      operator { name }
      screening { verdict score ruleSetVersion screenedAt
        findings { rule factor severity explanation evidence } } } } } } }"""

WITH_HISTORY = PENDING_PAGE.replace("riskScore", "riskScore history deadlineInfo { due }")


async def add_flagged_purchases(db: DatabaseUnderTest, world: World, count: int) -> None:
    async with db.sessions() as session:
        for i in range(count):
            await purchases.register_purchase(
                session,
                SYSTEM,
                purchase_input(
                    world.operator_a if i % 2 else world.operator_b,
                    world.vendor_us,
                    f"Storage {i}",
                    category=PurchaseCategory.MASS_STORAGE_DEVICE,
                ),
            )


@pytest.mark.parametrize("extra", [0, 97])
async def test_pending_reviews_page_costs_the_same_for_3_or_100_cases(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, extra: int
) -> None:
    # given 3 or 100 open cases
    await add_flagged_purchases(db, world, extra)
    # when an admin lists a page with each case's purchase, vendor, operator and findings
    await warm_token(client, world.secrets["admin"])
    with db.queries.counting() as statements:
        status, body = await gql(client, world.secrets["admin"], PENDING_PAGE)
    assert status == 200 and "errors" not in body, body
    assert len(body["data"]["pendingReviews"]["edges"]) == 3 + extra
    # then (the token cached by the warm-up): the page with its total count, purchases and
    # vendors in one statement; operators, screenings
    assert len(statements) == 3, statements
    assert sum("count(*)" in s for s in statements) == 1
    assert "JOIN purchases" in statements[0] and "JOIN vendors" in statements[0]
    # and history and deadline details add one batched query each, plus one read of the
    # loaded holiday schedules for the whole request
    await warm_token(client, world.secrets["admin"])
    with db.queries.counting() as statements:
        status, body = await gql(client, world.secrets["admin"], WITH_HISTORY)
    assert status == 200 and "errors" not in body, body
    assert len(statements) == 6, statements
    assert sum("FROM holiday_calendars" in s for s in statements) == 1
