"""Keeps the exposure cache honest: one choke point that drops cached exposure digests whenever
the session flushes a change to anything the exposure depends on, in the same transaction.

Only the digests a change reaches: a purchase's own rows, its vendor's or operator's; an exchange
rate, the purchases in that currency contracted from the rate's day until the next rate's day (the
contracts it prices); a new penalty schedule version, the purchases consulting the act kinds whose
records it changes (procurement.exposure.validity). A new day
drops nothing: each digest says for which days it holds.

Installed on a session factory (``install``), which the composition root does for the app, the
CLI and the tests, so every service is covered without each remembering to invalidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, event, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from procurement.errors import InputError
from procurement.exposure.fill import note_dropped
from procurement.exposure.loader import load_seed_schedules, parse_schedules
from procurement.exposure.validity import ALL_KINDS, changed_kinds
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
    rates: dict[str, set[date]] = {}  # currency -> the days changed rates were or are in force
    kinds = 0
    everything = False
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, ExchangeRateRow):
            if inspect(obj).attrs.currency.history.deleted:  # never done by the service
                everything = True
            rates.setdefault(obj.currency, set()).update(_rate_days(obj))
        elif isinstance(obj, PenaltyScheduleSet):
            if obj in session.new:
                kinds |= _schedule_kinds(session, obj)
            else:  # a stored version edited or removed: not done by the service, so be safe
                everything = True
        elif isinstance(obj, Purchase):
            if obj not in session.new:  # a purchase just inserted has no digest to drop
                purchase_ids.add(obj.id)
        elif isinstance(obj, _BY_PURCHASE):
            purchase_ids.add(obj.purchase_id)
        elif isinstance(obj, Vendor):
            vendor_ids.add(obj.id)
        elif isinstance(obj, Operator):  # whether it is a CII operator decides every fine
            operator_ids.add(obj.id)
        elif isinstance(obj, OperatorIdentification):  # ... and since when
            operator_ids.add(obj.operator_id)
    if not (everything or purchase_ids or vendor_ids or operator_ids or rates or kinds):
        return
    connection = session.connection()
    if everything or kinds == ALL_KINDS:
        connection.execute(delete(ExposureSnapshot))
        return
    for currency, days in rates.items():
        # A rate is in force from its day until the next one: it prices the contracts between.
        connection.execute(
            delete(ExposureSnapshot).where(
                ExposureSnapshot.purchase_id.in_(_priced(connection, currency, days))
            )
        )
    if kinds:
        connection.execute(
            delete(ExposureSnapshot).where(
                ExposureSnapshot.act_kinds.is_(None)
                | (ExposureSnapshot.act_kinds.op("&")(kinds) != 0)
            )
        )
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


def _priced(connection: Connection, currency: str, days: set[date]) -> Select[Any]:
    """The purchases in ``currency`` whose rate in force a change on ``days`` may have changed:
    those contracted from each day up to the next rate's day as the rates now stand (after the
    flush). A contract priced before or after the change by a rate that did not change is left
    alone: a contract's rate is the latest one on or before its date, so it changes only when
    that latest rate now is, or before was, one of the changed rows (a day in ``days``), and
    then no other rate lies between that day and the contract."""
    stored = sorted(
        connection.scalars(
            select(ExchangeRateRow.valid_from).where(ExchangeRateRow.currency == currency)
        )
    )
    spans = []
    for day in days:
        later = next((d for d in stored if d > day), None)
        # date.min: a row whose day is unknown, so every contract
        if day == date.min or later is None:
            spans.append(Purchase.contract_date >= day)
        else:
            spans.append(and_(Purchase.contract_date >= day, Purchase.contract_date < later))
    return select(Purchase.id).where(Purchase.currency == currency, or_(*spans))


def _rate_days(row: ExchangeRateRow) -> list[date]:
    """The days a changed rate row was and is in force from (both, if its day was moved)."""
    history = inspect(row).attrs.valid_from.history
    days = [*history.added, *history.unchanged, *history.deleted]
    return [day for day in days if isinstance(day, date)] or [date.min]


def _schedule_kinds(session: Session, row: PenaltyScheduleSet) -> int:
    """The act kinds whose records a new schedule version adds, removes or changes, compared
    with the version in force before it (the newest older one, else the shipped seed)."""
    try:
        new = parse_schedules(row.document)
        previous = session.connection().scalar(
            select(PenaltyScheduleSet.document)
            .where(PenaltyScheduleSet.version < row.version)
            .order_by(PenaltyScheduleSet.version.desc())
            .limit(1)
        )
        old = load_seed_schedules() if previous is None else parse_schedules(previous)
    except InputError:  # not expected (validated before storing): drop everything
        return ALL_KINDS
    return changed_kinds(old, new)


async def review_inputs(
    session: AsyncSession, purchase_ids: Sequence[int]
) -> dict[int, tuple[object, ...]]:
    """What the exposure reads of screening and review cases, per purchase: the current verdict
    and the latest case's state and dates. A bulk writer of those (rescreening) compares them
    before and after, and drops the digests of the purchases whose inputs changed."""
    verdicts = dict(
        (
            await session.execute(
                select(ScreeningRecord.purchase_id, ScreeningRecord.verdict).where(
                    ScreeningRecord.purchase_id.in_(purchase_ids),
                    ScreeningRecord.superseded_at.is_(None),
                )
            )
        ).all()
    )
    cases: dict[int, tuple[object, ...]] = {}
    for purchase_id, *case in await session.execute(
        select(
            ReviewCase.purchase_id, ReviewCase.id, ReviewCase.state, ReviewCase.state_since,
            ReviewCase.declared_on, ReviewCase.outcome_on,
        )
        .where(ReviewCase.purchase_id.in_(purchase_ids))
        .order_by(ReviewCase.id)
    ):  # fmt: skip
        cases[purchase_id] = tuple(case)  # the latest case wins, as in the exposure's facts
    return {i: (verdicts.get(i), cases.get(i)) for i in purchase_ids}


async def drop_digests(session: AsyncSession, purchase_ids: Iterable[int]) -> None:
    """For writers that bypass the ORM unit of work (bulk Core inserts and updates, which the
    after-flush hook cannot see): drop these purchases' cached digests explicitly."""
    ids = list(purchase_ids)
    if ids:
        result = await session.execute(
            delete(ExposureSnapshot).where(ExposureSnapshot.purchase_id.in_(ids))
        )
        if getattr(result, "rowcount", 0):  # a rescreen job then refills (exposure.fill)
            note_dropped(session)


event.listen(ExposureGuardedSession, "after_flush", _invalidate)


def install(factory: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """Make every session of ``factory`` drop the cached digests of what it changes."""
    factory.configure(sync_session_class=ExposureGuardedSession)
    return factory
