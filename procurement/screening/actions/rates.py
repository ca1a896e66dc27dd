"""Setting an exchange rate (admin): the rate is exposure data, but the purchase-value rule of
the screening converts with the same table, so the purchases in that currency are screened again
in the same transaction (their verdict can change, and a review case can open)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseStatus
from procurement.exposure.actions import record_exchange_rate
from procurement.models import Purchase
from procurement.models.exposure import ExchangeRateRow
from procurement.permissions import Principal
from procurement.screening.store.rescreen import rescreen_purchases


async def set_exchange_rate(
    session: AsyncSession,
    principal: Principal,
    currency: str,
    rate_to_cny: Decimal | str,
    valid_from: date | str,
    source: str,
) -> ExchangeRateRow:
    """Record the rate (checked and audited by the exposure domain), rescreen the active
    purchases in its currency, and commit once."""
    row = await record_exchange_rate(session, principal, currency, rate_to_cny, valid_from, source)
    affected = await session.scalars(
        select(Purchase.id).where(
            Purchase.currency == row.currency, Purchase.status == PurchaseStatus.ACTIVE
        )
    )
    await rescreen_purchases(session, list(affected), "exchange_rate.set", actor=principal)
    await session.commit()
    return row
