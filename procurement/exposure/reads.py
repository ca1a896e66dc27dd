"""Fine exposure (CII Regulations Arts. 41 and 39(9), CSL) for purchases, from the stored facts.

Builds the calculator's plain facts from the database in a fixed number of queries, then runs the
pure calculator (procurement.exposure). How the stored state maps to the legal facts:

- may affect national security: the current screening verdict is YES, or a reviewer took the case
  towards a declaration (DECLARATION_PREPARED and later). A reviewer's NOT_REQUIRED decision (with
  its written justification) overrides a YES. NEEDS_ASSESSMENT alone is not yet "may affect": it is
  reported in the notes, with what would apply if a reviewer confirmed it.
- review passed: PASSED, or the office decided no review was needed (NO_REVIEW_NEEDED), on or before
  ``as_of``; review failed: FAILED.
- agreement signed: an agreement SIGNED on or before ``as_of``.
- acts after ``as_of`` (a contract signed or a product put into use later) are not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements.lifecycle import AgreementState
from procurement.enums import PersonRole, PurchaseStatus
from procurement.errors import NotFound
from procurement.exposure import (
    GroupBy,
    PurchaseExposure,
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    Summary,
    assess_purchase,
    what_if_compliant,
)
from procurement.exposure.actions import as_rates, current_schedules, exchange_rates_unscoped
from procurement.exposure.summary import summarise_digests
from procurement.models import (
    Agreement,
    Purchase,
    ReviewCase,
    ScreeningRecord,
    Vendor,
)
from procurement.models import (
    ResponsiblePerson as PersonRow,
)
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.reviews.state_machine import CaseState
from procurement.screening.model import Verdict

# Reviewer steps towards a declaration: the reviewer confirmed the purchase may affect security.
_CONFIRMED = {
    CaseState.DECLARATION_PREPARED, CaseState.DECLARED, CaseState.UNDER_REVIEW,
    CaseState.SPECIAL_REVIEW, CaseState.PASSED, CaseState.FAILED, CaseState.NO_REVIEW_NEEDED,
}  # fmt: skip
_PASSED = {CaseState.PASSED, CaseState.NO_REVIEW_NEEDED}
_ROLE = {PersonRole.PERSON_IN_CHARGE: Role.PERSON_IN_CHARGE,
         PersonRole.OTHER_RESPONSIBLE: Role.OTHER_RESPONSIBLE}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExposureRun:
    """Exposures of many purchases, with what they were computed from."""

    exposures: tuple[PurchaseExposure, ...]
    as_of: date
    schedule_version: int
    what_if: bool
    purchase_count: int = -1  # purchases covered; -1 means len(exposures)

    @property
    def covered(self) -> int:
        return len(self.exposures) if self.purchase_count < 0 else self.purchase_count


async def _facts(
    session: AsyncSession, purchases: Sequence[Purchase], as_of: date
) -> list[tuple[PurchaseExposureFacts, str | None]]:
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
    cases: dict[int, ReviewCase] = {}
    for row in await session.scalars(
        select(ReviewCase).where(ReviewCase.purchase_id.in_(ids)).order_by(ReviewCase.id)
    ):
        cases[row.purchase_id] = row  # the latest case of each purchase wins
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
    out: list[tuple[PurchaseExposureFacts, str | None]] = []
    for p in purchases:
        case = cases.get(p.id)
        state = case.state if case is not None else None
        verdict = verdicts.get(p.id)
        decided = case is not None and (case.outcome_on is None or case.outcome_on <= as_of)
        # A reviewer's step counts only from its date: an assessment of an earlier day sees the
        # case as it stood then (the declaration date, else the date of the current state).
        since = None if case is None else (case.declared_on or case.state_since)
        confirmed = state in _CONFIRMED and since is not None and since <= as_of
        waived = state is CaseState.NOT_REQUIRED and case is not None and case.state_since <= as_of
        may_affect = (verdict is Verdict.YES and not waived) or confirmed
        pending_note = None
        if (
            verdict is Verdict.NEEDS_ASSESSMENT
            and not may_affect
            and state is not (CaseState.NOT_REQUIRED)
        ):
            pending_note = (
                "screening says NEEDS_ASSESSMENT and no reviewer has confirmed it yet: if the "
                "purchase may affect national security, Art. 41 applies (1-10x the purchase "
                "amount, plus each responsible person) until a review passes"
            )
        facts = PurchaseExposureFacts(
            purchase_id=str(p.id),
            title=p.title,
            contract_value=p.contract_value,
            currency=p.currency,
            tax_included=p.tax_included,
            contract_date=p.contract_date,
            in_use_date=p.in_use_date if p.in_use_date and p.in_use_date <= as_of else None,
            may_affect_national_security=may_affect,
            review_passed=state in _PASSED and decided,
            review_failed=state is CaseState.FAILED and decided,
            agreement_signed=p.id in signed,
            persons=tuple(persons.get(p.id, ())),
            vendor=vendor_names.get(p.vendor_id),
            category=p.category.value,
        )
        out.append((facts, pending_note))
    return out


async def assess(
    session: AsyncSession,
    principal: Principal,
    *,
    purchase_ids: Sequence[int] | None = None,
    operator_id: int | None = None,
    as_of: date,
    what_if: bool = False,
) -> ExposureRun:
    """Exposures of the visible, active purchases contracted on or before ``as_of``.

    Raises MissingExchangeRate (an InputError naming the currency and date) when a foreign
    currency has no rate in force on a contract date.
    """
    runs = await assess_variants(
        session, principal, purchase_ids=purchase_ids, operator_id=operator_id, as_of=as_of,
        variants=(what_if,),
    )  # fmt: skip
    return runs[0]


async def assess_variants(
    session: AsyncSession,
    principal: Principal,
    *,
    purchase_ids: Sequence[int] | None = None,
    operator_id: int | None = None,
    as_of: date,
    variants: Sequence[bool] = (False, True),
) -> list[ExposureRun]:
    """One run per ``what_if`` value in ``variants``, from facts read once."""
    require(principal, Action.READ_EXPOSURE)
    stmt = scope_purchases(select(Purchase), principal).where(_assessable(as_of))
    if purchase_ids is not None:
        stmt = stmt.where(Purchase.id.in_(purchase_ids))
    if operator_id is not None:
        stmt = stmt.where(Purchase.operator_id == operator_id)
    purchases = list(await session.scalars(stmt.order_by(Purchase.id)))
    version, outcomes = await _outcomes(session, purchases, as_of, variants)
    runs = []
    for what_if, results in zip(variants, outcomes, strict=True):
        exposures = []
        for result in results:
            if isinstance(result, Exception):
                raise result  # a whole run needs every purchase: the first failure stops it
            exposures.append(result)
        runs.append(ExposureRun(tuple(exposures), as_of, version, what_if))
    return runs


def _assessable(as_of: date) -> ColumnElement[bool]:
    """The purchases an assessment on ``as_of`` covers: active ones contracted by then."""
    return and_(Purchase.status == PurchaseStatus.ACTIVE, Purchase.contract_date <= as_of)


async def _outcomes(
    session: AsyncSession, purchases: Sequence[Purchase], as_of: date, variants: Sequence[bool]
) -> tuple[int, list[list[PurchaseExposure | Exception]]]:
    """(schedule version, per variant the exposure of each purchase or the error that stopped
    it), in a fixed number of queries whatever the number of purchases."""
    version, schedules = await current_schedules(session)
    rates = as_rates(await exchange_rates_unscoped(session))
    facts = await _facts(session, purchases, as_of)
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


async def purchase_exposure(
    session: AsyncSession, principal: Principal, purchase_id: int, as_of: date
) -> PurchaseExposure | None:
    """One purchase's exposure; None when it was contracted after ``as_of`` or is cancelled."""
    found = (await exposures_by_purchase_ids(session, principal, [purchase_id], as_of))[purchase_id]
    if isinstance(found, Exception):
        raise found
    return found


async def exposures_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int], as_of: date
) -> dict[int, PurchaseExposure | Exception | None]:
    """The exposure of each purchase on ``as_of``, in a fixed number of queries whatever their
    number (the batch behind the GraphQL loader and :func:`purchase_exposure`).

    Each id maps to its exposure, to None (cancelled or contracted after ``as_of``), or to the
    error that stops its assessment (NotFound when the principal may not see it, a missing
    exchange rate...), so that in a batch only that purchase fails.
    """
    require(principal, Action.READ_EXPOSURE)
    # One query for both questions: may the principal see it, and does an assessment cover it.
    stmt = scope_purchases(select(Purchase), principal).where(Purchase.id.in_(purchase_ids))
    stmt_flagged = stmt.add_columns(_assessable(as_of)).order_by(Purchase.id)
    rows = (await session.execute(stmt_flagged)).all()
    found: dict[int, PurchaseExposure | Exception | None] = {p.id: None for p, _ in rows}
    due = [p for p, assessable in rows if assessable]
    _version, (outcomes,) = await _outcomes(session, due, as_of, (False,))
    found.update(zip((p.id for p in due), outcomes, strict=True))
    return {
        pid: found[pid] if pid in found else NotFound("id", "purchase", pid) for pid in purchase_ids
    }


async def summary(
    session: AsyncSession,
    principal: Principal,
    *,
    operator_id: int | None,
    as_of: date,
    group_by: GroupBy,
    what_if: bool = False,
    top_n: int = 10,
) -> tuple[ExposureRun, Summary]:
    """The portfolio view from cached per-purchase digests; only the ``top_n`` purchases are
    assessed in full (their items are shown)."""
    from procurement.exposure.cache import digests

    rows = await digests(
        session, principal, operator_id=operator_id, as_of=as_of, what_if=what_if,
        with_articles=group_by is GroupBy.ARTICLE,
    )  # fmt: skip
    groups, top, total, conditional_max = summarise_digests(rows, group_by, top_n=top_n)
    top_ids = [int(d.purchase_id) for d in top]
    run = await assess(session, principal, purchase_ids=top_ids, as_of=as_of, what_if=what_if)
    full = {e.purchase_id: e for e in run.exposures}
    result = Summary(
        group_by=(group_by,),
        groups=groups,
        top=tuple(full[d.purchase_id] for d in top),
        total=total,
        conditional_max=conditional_max,
    )
    return replace(run, purchase_count=len(rows)), result
