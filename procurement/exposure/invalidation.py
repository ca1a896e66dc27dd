"""Keeps the exposure cache honest: one choke point that drops cached exposure digests whenever
the session flushes a change to anything the exposure depends on, in the same transaction.

Installed on a session factory (``install``), which the composition root does for the app, the
CLI and the tests, so every service is covered without each remembering to invalidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from procurement.models import (
    Agreement,
    ExchangeRateRow,
    ExposureSnapshot,
    Operator,
    OperatorIdentification,
    PenaltyScheduleSet,
    Purchase,
    ResponsiblePerson,
    ReviewCase,
    ScreeningRecord,
    Vendor,
)

_BY_PURCHASE = (ResponsiblePerson, ScreeningRecord, ReviewCase, Agreement)


class ExposureGuardedSession(Session):
    """The sync session behind every AsyncSession of an installed factory; only sessions of this
    class run the after-flush invalidation."""


def _invalidate(session: Session, _flush_context: Any) -> None:
    purchase_ids: set[int] = set()
    vendor_ids: set[int] = set()
    operator_ids: set[int] = set()
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
        elif isinstance(obj, Operator):  # whether it is a CII operator decides every fine
            operator_ids.add(obj.id)
        elif isinstance(obj, OperatorIdentification):  # ... and since when
            operator_ids.add(obj.operator_id)
    if not (everything or purchase_ids or vendor_ids or operator_ids):
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
    if operator_ids:
        of_operators = select(Purchase.id).where(Purchase.operator_id.in_(operator_ids))
        connection.execute(
            delete(ExposureSnapshot).where(ExposureSnapshot.purchase_id.in_(of_operators))
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


event.listen(ExposureGuardedSession, "after_flush", _invalidate)


def install(factory: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Make every session of ``factory`` drop the cached digests of what it changes."""
    factory.configure(sync_session_class=ExposureGuardedSession)
    return factory
