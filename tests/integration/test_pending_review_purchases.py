"""The pending-reviews page read with its cases' purchases and vendors
(procurement.reviews.reads.list_pending_reviews_with_purchases) gives, for every kind of
principal, the same page as the plain read and exactly what the scoped batch reads would: the
join reads them unscoped, which is right only because a case repeats its purchase's operator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from procurement.enums import PurchaseCategory, Role
from procurement.permissions import SYSTEM, Action
from procurement.registry import reads
from procurement.registry.actions import purchases
from procurement.reviews import reads as review_reads
from procurement.reviews.decisions import PendingReviewOrder
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, principals_allowed, purchase_input

AS_OF = date(2025, 4, 1)


async def test_the_purchases_read_with_cases_are_those_the_scoped_reads_give(
    db: DatabaseUnderTest, world: World
) -> None:
    # given flagged purchases (each opens a case) of both operators, from both vendors
    async with db.sessions() as session:
        for i, (operator, vendor) in enumerate(
            [(world.operator_a, world.vendor_us), (world.operator_b, world.vendor_cn)] * 2
        ):
            await purchases.register_purchase(
                session, SYSTEM,
                purchase_input(operator, vendor, f"Storage {i}",
                               category=PurchaseCategory.MASS_STORAGE_DEVICE),
            )  # fmt: skip
    principals = principals_allowed(world, Action.READ_REVIEWS)
    assert {p.role for p in principals} >= {Role.ADMIN, Role.REVIEWER}
    seen = 0
    for principal in principals:
        async with db.sessions() as session:
            # when the page is read alone, and with its purchases and vendors
            args = (review_reads.PendingFilter(), PendingReviewOrder.DEADLINE, None, 100, AS_OF)
            plain = await review_reads.list_pending_reviews(session, principal, *args)
            found = await review_reads.list_pending_reviews_with_purchases(
                session, principal, *args
            )
            # then the pages are the same, and the purchases and vendors are what the scoped
            # reads give for the page's keys (whoever sees a case sees its purchase and vendor)
            purchase_ids = sorted({case.purchase_id for case in plain.items})
            scoped = await reads.purchases_by_ids(session, principal, purchase_ids)
            vendor_ids = sorted({purchase.vendor_id for purchase in scoped.values()})
            vendors = await reads.vendors_by_ids(session, principal, vendor_ids)
        label = principal.name
        assert [c.id for c in found.page.items] == [c.id for c in plain.items], label
        assert found.page.total_count == plain.total_count == len(plain.items), label
        assert sorted(found.purchases) == sorted(scoped) == purchase_ids, label
        assert sorted(found.vendors) == sorted(vendors) == vendor_ids, label
        seen += len(plain.items)
    # and the principals above saw cases at all: the admin all four, each operator's two
    assert seen >= 4 + 2 * 2


async def test_pages_with_purchases_follow_each_order_as_the_plain_pages_do(
    db: DatabaseUnderTest, world: World
) -> None:
    # given five flagged purchases of one operator, with different values
    async with db.sessions() as session:
        for i in range(5):
            await purchases.register_purchase(
                session, SYSTEM,
                purchase_input(world.operator_a, world.vendor_us, f"Storage {i}",
                               category=PurchaseCategory.MASS_STORAGE_DEVICE,
                               contract_value=Decimal(1_000_000 + 7919 * (i % 3))),
            )  # fmt: skip
    for order in PendingReviewOrder:
        async with db.sessions() as session:
            # when the cases are read whole, and one at a time with their purchases
            args = (review_reads.PendingFilter(), order)
            whole = await review_reads.list_pending_reviews(
                session, SYSTEM, *args, None, 100, AS_OF
            )
            walked: list[int] = []
            after = None
            while True:
                found = await review_reads.list_pending_reviews_with_purchases(
                    session, SYSTEM, *args, after, 1, AS_OF
                )
                walked += [case.id for case in found.page.items]
                assert found.page.total_count == whole.total_count, order
                assert [p.id for p in found.purchases.values()] == [
                    case.purchase_id for case in found.page.items
                ], order
                if not found.page.has_next:
                    break
                after = review_reads.case_key(found.page.items[-1], order)
        # then they come in the same order, each once
        assert walked == [case.id for case in whole.items] and len(walked) >= 5, order
