"""Keeps the exposure cache honest: one choke point that drops cached exposure digests whenever
the session flushes a change to anything the exposure depends on, in the same transaction.

Registered once on SQLAlchemy's Session class (procurement.db.session_factory installs it), so
every service, the CLI and the API are covered without each remembering to invalidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from procurement.models import (
    Agreement,
    ExchangeRateRow,
    ExposureSnapshot,
    PenaltyScheduleSet,
    Purchase,
    ResponsiblePerson,
    ReviewCase,
    ScreeningRecord,
    Vendor,
)

_BY_PURCHASE = (ResponsiblePerson, ScreeningRecord, ReviewCase, Agreement)
_installed = False


def _invalidate(session: Session, _flush_context: Any) -> None:
    purchase_ids: set[int] = set()
    vendor_ids: set[int] = set()
    everything = False
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, ExchangeRateRow | PenaltyScheduleSet):
            everything = True
        elif isinstance(obj, Purchase):
            purchase_ids.add(obj.id)
        elif isinstance(obj, _BY_PURCHASE):
            purchase_ids.add(obj.purchase_id)
        elif isinstance(obj, Vendor):
            vendor_ids.add(obj.id)
    if not (everything or purchase_ids or vendor_ids):
        return
    connection = session.connection()
    if everything:
        connection.execute(delete(ExposureSnapshot))
        return
    if vendor_ids:
        of_vendors = select(Purchase.id).where(Purchase.vendor_id.in_(vendor_ids))
        connection.execute(
            delete(ExposureSnapshot).where(ExposureSnapshot.purchase_id.in_(of_vendors))
        )
    if purchase_ids:
        connection.execute(
            delete(ExposureSnapshot).where(ExposureSnapshot.purchase_id.in_(purchase_ids))
        )


async def drop_digests(session: AsyncSession, purchase_ids: Iterable[int]) -> None:
    """For writers that bypass the ORM unit of work (bulk Core inserts and updates, which the
    after-flush hook cannot see): drop these purchases' cached digests explicitly."""
    ids = list(purchase_ids)
    if ids:
        await session.execute(delete(ExposureSnapshot).where(ExposureSnapshot.purchase_id.in_(ids)))


def install() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _invalidate)
        _installed = True
