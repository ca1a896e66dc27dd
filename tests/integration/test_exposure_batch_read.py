"""``exposures_by_purchase_ids``, the batch behind ``Purchase.exposure``: each purchase gets its
own result or its own error (only that purchase fails), on both backends.

Test world: purchase_a_cn and purchase_b_cn in CNY, purchase_a_us in USD 250,000.50, all
contracted 2025-03-01; operator A's staff see only the first two.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from procurement.enums import Role
from procurement.errors import PermissionDenied
from procurement.exposure import reads as exposure
from procurement.permissions import SYSTEM, Principal
from procurement.registry.actions import purchases
from procurement.screening.actions import rates
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

AS_OF = date(2025, 6, 1)
UNKNOWN = 999_999


def outcome(value: Any) -> Any:
    """Exceptions compare by type and message (instances never compare equal)."""
    return (type(value).__name__, str(value)) if isinstance(value, Exception) else value


async def test_each_purchase_gets_its_own_result_or_error(
    db: DatabaseUnderTest, world: World
) -> None:
    # given no USD rate (purchase_a_us cannot be converted) and an id that does not exist
    ids = [world.purchase_a_us, world.purchase_b_cn, UNKNOWN, world.purchase_a_cn]
    async with db.sessions() as session:
        # when the batch reads them all at once
        batch = await exposure.exposures_by_purchase_ids(session, SYSTEM, ids, AS_OF)
        # (the CNY purchases as a portfolio run assesses them)
        run = await exposure.assess(
            session, SYSTEM, purchase_ids=[world.purchase_a_cn, world.purchase_b_cn], as_of=AS_OF
        )
    # then every id has its own outcome, in the order asked
    assert list(batch) == ids
    assert [outcome(batch[i]) for i in ids] == [
        ("MissingExchangeRate", "currency: no exchange rate from USD to CNY in force on "
         "2025-03-01; add a USD rate valid from 2025-03-01 or earlier"),
        run.exposures[1],
        ("NotFound", f"id: purchase {UNKNOWN} not found"),
        run.exposures[0],
    ]  # fmt: skip
    assert [e.purchase_id for e in run.exposures] == [
        str(world.purchase_a_cn), str(world.purchase_b_cn)
    ]  # fmt: skip


async def test_purchases_outside_the_assessment_say_why(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a USD rate and purchase_b_cn cancelled
    async with db.sessions() as session:
        await rates.set_exchange_rate(session, SYSTEM, "USD", "7.1", "2025-01-01", "t")
        await purchases.cancel_purchase(session, SYSTEM, world.purchase_b_cn, "t", "2025-04-01")
    ids = [world.purchase_a_cn, world.purchase_b_cn, world.purchase_a_us]
    async with db.sessions() as session:
        # when asked on AS_OF and on the day before every contract date
        now = await exposure.exposures_by_purchase_ids(session, SYSTEM, ids, AS_OF)
        before = await exposure.exposures_by_purchase_ids(session, SYSTEM, ids, date(2025, 2, 28))
    # then the cancelled one is an error saying so, and before the contracts each one says why
    assert [type(now[i]).__name__ for i in ids] == [
        "PurchaseExposure",
        "InputError",
        "PurchaseExposure",
    ]
    assert str(now[world.purchase_b_cn]) == (
        f"status: purchase {world.purchase_b_cn} is cancelled: exposure is assessed for active "
        "purchases only"
    )
    assert str(before[world.purchase_b_cn]) == str(now[world.purchase_b_cn])
    assert [str(before[i]) for i in (world.purchase_a_cn, world.purchase_a_us)] == [
        f"asOf: 2025-02-28 is before purchase {i}'s contract date 2025-03-01: no duty to review "
        "or to sign an agreement had been breached yet, so nothing is exposed; ask for a day on "
        "or after the contract date"
        for i in (world.purchase_a_cn, world.purchase_a_us)
    ]


async def test_purchases_hidden_from_the_principal_are_not_found(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's procurement staff, who may not see operator B's purchase
    staff = Principal(Role.PROCUREMENT, "buyer", operator_id=world.operator_a)
    ids = [world.purchase_a_cn, world.purchase_b_cn]
    # when
    async with db.sessions() as session:
        batch = await exposure.exposures_by_purchase_ids(session, staff, ids, AS_OF)
    # then
    assert type(batch[world.purchase_a_cn]).__name__ == "PurchaseExposure"
    assert outcome(batch[world.purchase_b_cn]) == (
        "NotFound", f"id: purchase {world.purchase_b_cn} not found"
    )  # fmt: skip


async def test_vendors_are_refused_the_whole_batch(db: DatabaseUnderTest, world: World) -> None:
    vendor = Principal(Role.VENDOR, "cn", vendor_id=world.vendor_cn)
    async with db.sessions() as session:
        with pytest.raises(
            PermissionDenied,
            match="role 'vendor' may not see the fines a purchase may expose the operator to",
        ):
            await exposure.exposures_by_purchase_ids(session, vendor, [world.purchase_a_cn], AS_OF)
