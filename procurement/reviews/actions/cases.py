"""Review case use cases: triage, declaration, the office's decisions, pauses for supplementary
materials, the outcome, assignment, comments and the Art. 8 attachments (reviewers and admins of
the case's operator). Each checks the role, validates everything, moves the case only through the
state machine, writes history and audit in the same transaction, and commits once."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.clock import today_in_china
from procurement.concurrency import refuse_concurrent_change
from procurement.errors import ErrorCode, InputError
from procurement.models import ReviewAttachment, ReviewCase, ReviewPause
from procurement.permissions import Action, Principal, require
from procurement.reviews.deadlines import pause_ranges
from procurement.reviews.decisions import OfficeDecision, ReviewOutcome, TriageDecision
from procurement.reviews.declaration import DeclarationMaterial
from procurement.reviews.messages import ERRORS, said
from procurement.reviews.messages import state as case_state
from procurement.reviews.pauses import check_can_request, check_receipt, check_request_date
from procurement.reviews.state_machine import (
    CaseEvent,
    CaseState,
    DecideNotRequired,
    FileDeclaration,
    OfficeNoReview,
    OfficeStartReview,
    PrepareDeclaration,
    ReviewFailed,
    ReviewPassed,
    StartSpecialReview,
)
from procurement.reviews.store import (
    EventKind,
    add_event,
    apply_transition,
    audit_case,
    check_event_date,
    check_transition,
    load_case_for_change,
    pauses_of,
    refresh_deadline,
)
from procurement.texts import Text
from procurement.validation import Checker

MAX_NOTE = 5000


case_change = refuse_concurrent_change("review case", "case_id", ReviewCase.state, ReviewCase.id)


def _when(check: Checker, on: date | str | None, today: date, field: str = "on") -> date | None:
    """The date of an event: the given one (checked, errors under ``field``), else today."""
    return today if on is None else check.date_value(field, on)


async def _move(
    session: AsyncSession,
    principal: Principal,
    case: ReviewCase,
    event: CaseEvent,
    today: date,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> ReviewCase:
    check_event_date(case, event.on, today)
    await apply_transition(session, principal, case, event, note=note, details=details)
    await session.commit()
    return case


@case_change
async def triage_review(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    decision: TriageDecision | str,
    justification: str | None = None,
    on: date | str | None = None,
    *,
    today: date | None = None,
) -> ReviewCase:
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    today = today or today_in_china()
    check = Checker()
    choice = check.enum("decision", decision, TriageDecision)
    note = check.text("justification", justification, max_len=MAX_NOTE, required=False)
    when = _when(check, on, today)
    check.done()
    assert choice is not None and when is not None
    event: CaseEvent = (
        DecideNotRequired(when, note or "")
        if choice is TriageDecision.NOT_REQUIRED
        else PrepareDeclaration(when)
    )
    return await _move(session, principal, case, event, today, note)


async def _materials(session: AsyncSession, case_id: int) -> frozenset[DeclarationMaterial]:
    rows = await session.scalars(
        select(ReviewAttachment.material).where(ReviewAttachment.case_id == case_id).distinct()
    )
    return frozenset(rows)


@case_change
async def record_declaration(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    filed_on: date | str | None = None,
    *,
    today: date | None = None,
) -> ReviewCase:
    """File the declaration (Art. 8 materials must be attached); the Art. 9 clock starts."""
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    today = today or today_in_china()
    check = Checker()
    when = _when(check, filed_on, today, "filedOn")
    check.done()
    assert when is not None
    check_event_date(case, when, today, field="filedOn")
    event = FileDeclaration(when, await _materials(session, case.id))
    check_transition(case.state, event)  # refuse before changing anything
    case.declared_on = when
    return await _move(session, principal, case, event, today)


@case_change
async def record_office_decision(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    decision: OfficeDecision | str,
    on: date | str | None = None,
    complex: bool | None = None,
    note: str | None = None,
    *,
    today: date | None = None,
) -> ReviewCase:
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    today = today or today_in_china()
    check = Checker()
    choice = check.enum("decision", decision, OfficeDecision)
    text = check.text("note", note, max_len=MAX_NOTE, required=False)
    when = _when(check, on, today)
    if complex is not None and choice not in (None, OfficeDecision.REVIEW_STARTED):
        check.fail("complex", Text("reviews.case.complex_flag", {}), templates=ERRORS)
    check.done()
    assert choice is not None and when is not None
    if choice is OfficeDecision.MARKED_COMPLEX:
        return await _mark_complex(session, principal, case, when, text, today)
    events: dict[OfficeDecision, CaseEvent] = {
        OfficeDecision.NO_REVIEW_NEEDED: OfficeNoReview(when),
        OfficeDecision.REVIEW_STARTED: OfficeStartReview(when),
        OfficeDecision.SPECIAL_REVIEW_STARTED: StartSpecialReview(when),
    }
    event = events[choice]
    check_event_date(case, when, today)
    check_transition(case.state, event)  # refuse before changing anything
    if complex is not None:
        case.complex = complex
    return await _move(session, principal, case, event, today, text, {"complex": case.complex})


async def _mark_complex(
    session: AsyncSession,
    principal: Principal,
    case: ReviewCase,
    when: date,
    note: str | None,
    today: date,
) -> ReviewCase:
    if case.state is not CaseState.UNDER_REVIEW:
        not_now = Text("reviews.case.complex_state", {"state": case_state(case.state)})
        raise InputError([said("decision", not_now, ErrorCode.INVALID_STATE)])
    if case.complex:
        already = Text("reviews.case.already_complex", {})
        raise InputError([said("decision", already, ErrorCode.INVALID_STATE)])
    check_event_date(case, when, today)
    case.complex = True
    await refresh_deadline(session, case)
    add_event(session, case, principal, EventKind.COMPLEX, on=when, note=note)
    audit_case(
        session,
        principal,
        "review_case.marked_complex",
        case,
        on=when,
        note=note,
        deadline_due=case.deadline_due,
    )
    await session.commit()
    return case


@case_change
async def request_supplementary_materials(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    requested_on: date | str | None = None,
    note: str | None = None,
    *,
    today: date | None = None,
) -> ReviewCase:
    """The office asked for more materials: the clock stops from ``requested_on`` (Art. 15)."""
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    today = today or today_in_china()
    check = Checker()
    when = _when(check, requested_on, today, "requestedOn")
    text = check.text("note", note, max_len=MAX_NOTE, required=False)
    check.done()
    assert when is not None
    pauses = pause_ranges(await pauses_of(session, case.id))
    check_can_request(case.state, pauses)
    check_event_date(case, when, today, field="requestedOn")
    check_request_date(pauses, when)
    session.add(ReviewPause(case_id=case.id, requested_on=when, note=text))
    await session.flush()
    await refresh_deadline(session, case)
    add_event(session, case, principal, EventKind.PAUSED, on=when, note=text)
    audit_case(
        session, principal, "review_case.materials_requested", case, requested_on=when, note=text
    )
    await session.commit()
    return case


@case_change
async def record_supplementary_materials_received(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    received_on: date | str | None = None,
    note: str | None = None,
    *,
    today: date | None = None,
) -> ReviewCase:
    """The office received the materials: the clock runs again from the next working day."""
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    today = today or today_in_china()
    check = Checker()
    when = _when(check, received_on, today, "receivedOn")
    text = check.text("note", note, max_len=MAX_NOTE, required=False)
    check.done()
    assert when is not None
    pauses = await pauses_of(session, case.id)
    check_receipt(case.state, pause_ranges(pauses), when, today)
    pause = pauses[-1]  # the awaited one, as check_receipt made sure
    pause.received_on = when
    await session.flush()
    await refresh_deadline(session, case)
    add_event(
        session,
        case,
        principal,
        EventKind.RESUMED,
        on=when,
        note=text,
        details={"requested_on": pause.requested_on.isoformat()},
    )
    audit_case(
        session,
        principal,
        "review_case.materials_received",
        case,
        requested_on=pause.requested_on,
        received_on=when,
        deadline_due=case.deadline_due,
    )
    await session.commit()
    return case


@case_change
async def record_review_outcome(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    outcome: ReviewOutcome | str,
    on: date | str | None = None,
    note: str | None = None,
    *,
    today: date | None = None,
) -> ReviewCase:
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    today = today or today_in_china()
    check = Checker()
    result = check.enum("outcome", outcome, ReviewOutcome)
    text = check.text("note", note, max_len=MAX_NOTE, required=False)
    when = _when(check, on, today)
    check.done()
    assert result is not None and when is not None
    event: CaseEvent = ReviewPassed(when) if result is ReviewOutcome.PASSED else ReviewFailed(when)
    return await _move(session, principal, case, event, today, text)
