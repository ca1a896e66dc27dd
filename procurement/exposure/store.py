"""Session helpers of the exposure domain: the rates and schedules in force, the calculator's
facts, the computation itself. They never commit and never check permission: the calling read
has checked it and chosen the purchases.

How the stored screening and review state maps to the legal facts is the pure
:mod:`procurement.exposure.review_facts`; acts after ``as_of`` (a contract signed or a product
put into use later) are not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import AgreementState, PersonRole
from procurement.exposure import (
    ExchangeRate,
    PenaltySchedule,
    PurchaseExposure,
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    assess_purchase,
    load_seed_schedules,
    parse_schedules,
    what_if_compliant,
)
from procurement.exposure.results import ExposureRun
from procurement.exposure.review_facts import CaseRecord, review_facts
from procurement.identification import CiiPeriod
from procurement.models import (
    Agreement,
    Operator,
    OperatorIdentification,
    Purchase,
    ReviewCase,
    ScreeningRecord,
    Vendor,
)
from procurement.models import ResponsiblePerson as PersonRow
from procurement.models.exposure import ExchangeRateRow, PenaltyScheduleSet

_ROLE = {PersonRole.PERSON_IN_CHARGE: Role.PERSON_IN_CHARGE,
         PersonRole.OTHER_RESPONSIBLE: Role.OTHER_RESPONSIBLE}  # fmt: skip


def purchase_label(purchase_id: int) -> str:
    """The calculator's label of a purchase (it knows no database ids, only strings)."""
    return str(purchase_id)


async def exchange_rates_unscoped(session: AsyncSession) -> list[ExchangeRateRow]:
    """Every rate (rates are global, not per operator)."""
    stmt = select(ExchangeRateRow).order_by(ExchangeRateRow.currency, ExchangeRateRow.valid_from)
    return list(await session.scalars(stmt))


def as_rates(rows: list[ExchangeRateRow]) -> tuple[ExchangeRate, ...]:
    return tuple(ExchangeRate(r.currency, r.rate_to_cny, r.valid_from, r.source) for r in rows)


async def latest_schedule_set(session: AsyncSession) -> PenaltyScheduleSet | None:
    """The newest stored schedule set; None while the shipped seed (version 0) is in force."""
    return await session.scalar(
        select(PenaltyScheduleSet).order_by(PenaltyScheduleSet.version.desc()).limit(1)
    )


async def current_schedules(session: AsyncSession) -> tuple[int, tuple[PenaltySchedule, ...]]:
    """(version, schedules) in force: the newest stored set, else the shipped seed (version 0)."""
    row = await latest_schedule_set(session)
    if row is None:
        return 0, load_seed_schedules()
    return row.version, parse_schedules(row.document)


async def load_facts(
    session: AsyncSession, purchases: Sequence[Purchase], as_of: date
) -> list[tuple[PurchaseExposureFacts, str | None]]:
    """The calculator's facts of each purchase on ``as_of``, with a note for the actual (not the
    what-if) exposure; a fixed number of queries, whatever the number of purchases."""
    ids = [p.id for p in purchases]
    persons: dict[int, list[ResponsiblePerson]] = {}
    for person in await session.scalars(
        select(PersonRow).where(PersonRow.purchase_id.in_(ids)).order_by(PersonRow.id)
    ):
        persons.setdefault(person.purchase_id, []).append(
            ResponsiblePerson(person.name, _ROLE[person.role])
        )
    verdicts = dict(
        (
            await session.execute(
                select(ScreeningRecord.purchase_id, ScreeningRecord.verdict).where(
                    ScreeningRecord.purchase_id.in_(ids), ScreeningRecord.superseded_at.is_(None)
                )
            )
        ).all()
    )
    cases: dict[int, CaseRecord] = {}
    for row in await session.scalars(
        select(ReviewCase).where(ReviewCase.purchase_id.in_(ids)).order_by(ReviewCase.id)
    ):
        # the latest case of each purchase wins
        cases[row.purchase_id] = CaseRecord(
            row.state, row.state_since, row.declared_on, row.outcome_on
        )
    signed = set(
        await session.scalars(
            select(Agreement.purchase_id).where(
                Agreement.purchase_id.in_(ids),
                Agreement.state == AgreementState.SIGNED,
                Agreement.signed_on <= as_of,
            )
        )
    )
    vendor_names = dict(
        (
            await session.execute(
                select(Vendor.id, Vendor.name).where(
                    Vendor.id.in_({p.vendor_id for p in purchases})
                )
            )
        ).all()
    )
    cii, periods = await cii_status(session, {p.operator_id for p in purchases})
    out: list[tuple[PurchaseExposureFacts, str | None]] = []
    for p in purchases:
        review = review_facts(verdicts.get(p.id), cases.get(p.id), as_of)
        facts = PurchaseExposureFacts(
            purchase_id=purchase_label(p.id),
            title=p.title,
            contract_value=p.contract_value,
            currency=p.currency,
            tax_included=p.tax_included,
            contract_date=p.contract_date,
            in_use_date=p.in_use_date if p.in_use_date and p.in_use_date <= as_of else None,
            may_affect_national_security=review.may_affect_national_security,
            review_passed=review.review_passed,
            review_failed=review.review_failed,
            agreement_signed=p.id in signed,
            persons=tuple(persons.get(p.id, ())),
            vendor=vendor_names.get(p.vendor_id),
            category=p.category.value,
            operator_is_cii=cii.get(p.operator_id, True),
            network_product=p.category.is_network_product,
            # None when the operator has no recorded period: its own flag holds for all time
            cii_periods=periods.get(p.operator_id),
            harm_to_life_or_finance=p.harm_to_life_or_finance,
            investigated_on=p.under_investigation_since
            if p.under_investigation_since and p.under_investigation_since <= as_of
            else None,
        )
        out.append((facts, review.note))
    return out


async def cii_status(
    session: AsyncSession, operator_ids: set[int]
) -> tuple[dict[int, bool], dict[int, tuple[CiiPeriod, ...]]]:
    """Each operator's own flag, and the identification periods of those that have any (in
    date order), in one statement."""
    stmt = (
        select(
            Operator.id,
            Operator.is_cii_operator,
            OperatorIdentification.identified_on,
            OperatorIdentification.ended_on,
            OperatorIdentification.assumed,
        )
        .outerjoin(OperatorIdentification, OperatorIdentification.operator_id == Operator.id)
        .where(Operator.id.in_(operator_ids))
        .order_by(Operator.id, OperatorIdentification.identified_on)
    )
    flags: dict[int, bool] = {}
    found: dict[int, list[CiiPeriod]] = {}
    for operator_id, flag, identified_on, ended_on, assumed in await session.execute(stmt):
        flags[operator_id] = flag
        if identified_on is not None:
            found.setdefault(operator_id, []).append(CiiPeriod(identified_on, ended_on, assumed))
    return flags, {k: tuple(v) for k, v in found.items()}


async def assess_outcomes(
    session: AsyncSession, purchases: Sequence[Purchase], as_of: date, variants: Sequence[bool]
) -> tuple[int, list[list[PurchaseExposure | Exception]]]:
    """(schedule version, per variant the exposure of each purchase or the error that stopped
    it), in a fixed number of queries whatever the number of purchases."""
    version, schedules = await current_schedules(session)
    rates = as_rates(await exchange_rates_unscoped(session))
    facts = await load_facts(session, purchases, as_of)
    outcomes: list[list[PurchaseExposure | Exception]] = []
    for what_if in variants:
        results: list[PurchaseExposure | Exception] = []
        for fact, note in facts:
            try:
                exposure = assess_purchase(
                    what_if_compliant(fact) if what_if else fact,
                    schedules,
                    rates,
                    assessed_on=as_of,
                )
            # Kept as a value: a batch of single-purchase reads fails only that purchase (a
            # missing exchange rate, inconsistent facts), exactly as reading it alone would.
            except Exception as error:
                results.append(error)
                continue
            if note is not None and not what_if:
                exposure = replace(exposure, notes=(*exposure.notes, note))
            results.append(exposure)
        outcomes.append(results)
    return version, outcomes


async def assess_purchases(
    session: AsyncSession,
    purchases: Sequence[Purchase],
    as_of: date,
    variants: Sequence[bool] = (False, True),
) -> list[ExposureRun]:
    """One run per ``what_if`` value in ``variants``, from facts read once.

    Raises MissingExchangeRate (an InputError naming the currency and date) when a foreign
    currency has no rate in force on a contract date: a whole run needs every purchase.
    """
    version, outcomes = await assess_outcomes(session, purchases, as_of, variants)
    ids = tuple(p.id for p in purchases)
    runs = []
    for what_if, results in zip(variants, outcomes, strict=True):
        exposures = []
        for result in results:
            if isinstance(result, Exception):
                raise result
            exposures.append(result)
        runs.append(ExposureRun(tuple(exposures), as_of, version, what_if, purchase_ids=ids))
    return runs
