"""The purchases page read with its operators and vendors (procurement.registry.purchase_list)
gives, for every kind of principal, the same page as the plain read and exactly the parties the
scoped batch reads would: the join reads them unscoped, which is right only because a principal
who sees a purchase may see its operator and vendor."""

from __future__ import annotations

from sqlalchemy import func, select

from procurement.enums import Role
from procurement.models import ScreeningRecord
from procurement.permissions import Action, Principal, can
from procurement.registry import purchase_list, reads
from procurement.screening import reads as screening_reads
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, principals_allowed


async def test_the_parties_read_with_a_page_are_those_the_scoped_reads_give(
    db: DatabaseUnderTest, world: World
) -> None:
    principals = principals_allowed(world, Action.READ_PURCHASES)
    assert len(principals) >= 10  # the roles above that may list purchases
    screened = 0
    for principal in principals:
        async with db.sessions() as session:
            # when the page is read alone, and with its parties
            plain = await purchase_list.list_purchases(
                session, principal, purchase_list.PurchaseFilter(), None, 100
            )
            found = await purchase_list.list_purchases_with_parties(
                session, principal, purchase_list.PurchaseFilter(), None, 100, screening=True
            )
            # then the pages are the same, and the parties are what the scoped reads return
            # for the page's keys (a principal who sees a purchase sees its operator and vendor)
            operator_ids = sorted({purchase.operator_id for purchase in plain.items})
            vendor_ids = sorted({purchase.vendor_id for purchase in plain.items})
            operators = await reads.operators_by_ids(session, principal, operator_ids)
            vendors = await reads.vendors_by_ids(session, principal, vendor_ids)
            may_read_results = can(principal, Action.READ_SCREENING)
            results = (
                await screening_reads.screenings_by_purchase_ids(
                    session, principal, [p.id for p in plain.items]
                )
                if may_read_results
                else None
            )
        label = principal.name
        assert [p.id for p in found.page.items] == [p.id for p in plain.items], label
        assert (found.page.has_next, found.page.total_count) == (False, len(plain.items)), label
        assert sorted(found.operators) == sorted(operators) == operator_ids, label
        assert sorted(found.vendors) == sorted(vendors) == vendor_ids, label
        assert all(found.operators[k].name == operators[k].name for k in operators), label
        # and the current screening results are the batch read's, for those who may read them
        if results is None:
            assert found.screenings is None, label
        else:
            assert found.screenings is not None, label
            shown = {k: (r.id, r.findings) for k, r in found.screenings.items() if r is not None}
            assert shown == {k: (r.id, r.findings) for k, r in results.items()}, label
            assert len(found.screenings) == len(plain.items), label
            screened += len(results)
    assert screened >= 3  # the admin's view of the world's three screened purchases, at least


async def test_a_later_page_reads_its_parties_too(db: DatabaseUnderTest, world: World) -> None:
    # given the world's three purchases, read one at a time after the first
    async with db.sessions() as session:
        found = await purchase_list.list_purchases_with_parties(
            session, Principal(Role.ADMIN, "admin"), purchase_list.PurchaseFilter(),
            world.purchase_a_cn, 1,
        )  # fmt: skip
    # then the page holds the next purchase, and only its operator and vendor
    assert len(found.page.items) == 1 and found.page.total_count == 3
    purchase = found.page.items[0]
    assert purchase.id > world.purchase_a_cn
    assert list(found.operators) == [purchase.operator_id]
    assert list(found.vendors) == [purchase.vendor_id]


async def test_a_purchase_left_with_two_current_results_is_one_row_with_the_newer(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a purchase whose current result was copied as a second current one (never made by
    # the service: screening supersedes the old result in the transaction that adds one)
    async with db.sessions() as session:
        current = await session.scalar(
            select(ScreeningRecord).where(
                ScreeningRecord.purchase_id == world.purchase_a_cn,
                ScreeningRecord.superseded_at.is_(None),
            )
        )
        assert current is not None
        copy = {c.key: getattr(current, c.key) for c in ScreeningRecord.__table__.columns}
        del copy["id"]
        session.add(ScreeningRecord(**copy))
        await session.commit()
        newest = await session.scalar(
            select(func.max(ScreeningRecord.id)).where(
                ScreeningRecord.purchase_id == world.purchase_a_cn
            )
        )
    # when the page is read with results
    async with db.sessions() as session:
        found = await purchase_list.list_purchases_with_parties(
            session, Principal(Role.ADMIN, "admin"), purchase_list.PurchaseFilter(), None, 100,
            screening=True,
        )  # fmt: skip
    # then the purchase is listed once, with the newer of the two
    ids = [p.id for p in found.page.items]
    assert ids.count(world.purchase_a_cn) == 1 and found.page.total_count == len(ids) == 3
    assert found.screenings is not None
    shown = found.screenings[world.purchase_a_cn]
    assert shown is not None and shown.id == newest and newest > current.id
