"""A page carries the total count in its own statement (procurement.paging.page_with_total): the
same pages, totals and next-page flags as a separate count gave, on both backends, including an
empty page after the last cursor and a filter that matches nothing."""

from __future__ import annotations

from datetime import date

from procurement.models import Purchase, ReviewCase
from procurement.paging import Page
from procurement.permissions import SYSTEM
from procurement.registry import purchase_list
from procurement.reviews import reads as review_reads
from procurement.reviews.decisions import PendingReviewOrder
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

AS_OF = date(2025, 4, 1)


def _shape(page: Page[Purchase] | Page[ReviewCase]) -> tuple[list[int], bool, int]:
    return [item.id for item in page.items], page.has_next, page.total_count


async def _purchases(
    db: DatabaseUnderTest, after: int | None, limit: int, search: str | None = None
) -> tuple[list[int], bool, int]:
    async with db.sessions() as session:
        page = await purchase_list.list_purchases(
            session, SYSTEM, purchase_list.PurchaseFilter(search=search), after, limit
        )
    return _shape(page)


async def test_purchase_pages_carry_the_total_of_all_matching_rows(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the world's purchases, in id order
    every, _, total = await _purchases(db, None, 100)
    assert total == len(every) >= 3
    # when they are read two at a time, and once past the last one
    first = await _purchases(db, None, 2)
    second = await _purchases(db, first[0][-1], 2)
    past_the_end = await _purchases(db, every[-1], 2)
    # then every page says how many match in all; only the last says there is nothing next
    assert first == (every[:2], True, total)
    assert second == (every[2:4], len(every) > 4, total)
    assert past_the_end == ([], False, total)


async def test_a_filter_matching_nothing_gives_an_empty_page_of_zero(
    db: DatabaseUnderTest, world: World
) -> None:
    # when a search matches no title, on the first page and after a cursor
    assert await _purchases(db, None, 10, search="no such title") == ([], False, 0)
    assert await _purchases(db, 1, 10, search="no such title") == ([], False, 0)


async def test_pending_review_pages_carry_the_total_too(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the world's open review cases in deadline order
    async with db.sessions() as session:
        whole = await review_reads.list_pending_reviews(
            session, SYSTEM, review_reads.PendingFilter(), PendingReviewOrder.DEADLINE, None, 100,
            AS_OF,
        )  # fmt: skip
        # when only the first one is asked for
        one = await review_reads.list_pending_reviews(
            session, SYSTEM, review_reads.PendingFilter(), PendingReviewOrder.DEADLINE, None, 1,
            AS_OF,
        )  # fmt: skip
    # then it is the first of them, with the total of all and a next page
    assert whole.total_count == len(whole.items) >= 2
    assert _shape(one) == ([whole.items[0].id], True, whole.total_count)


async def test_pending_review_cursors_walk_every_order_case_by_case(
    db: DatabaseUnderTest, world: World
) -> None:
    # (the world's open cases have unknown, equal and distinct sort keys: each cursor shape)
    for order in PendingReviewOrder:
        # given the world's open review cases in this order
        async with db.sessions() as session:
            whole = await review_reads.list_pending_reviews(
                session, SYSTEM, review_reads.PendingFilter(), order, None, 100, AS_OF
            )
            # when they are walked one page of one case at a time from each case's cursor
            walked: list[int] = []
            after = None
            while True:
                page = await review_reads.list_pending_reviews(
                    session, SYSTEM, review_reads.PendingFilter(), order, after, 1, AS_OF
                )
                # then every page carries the total of all, even the empty one after the last
                assert page.total_count == whole.total_count
                if not page.items:
                    break
                walked.append(page.items[0].id)
                after = review_reads.case_key(page.items[0], order)
        # and the walk meets every case once, in the list's order
        assert walked == [case.id for case in whole.items]
        assert len(walked) == whole.total_count >= 2
