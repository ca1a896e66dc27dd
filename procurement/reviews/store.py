"""Helpers shared by the review use cases and by screening: history, audit, deadlines,
transitions.

Nothing here commits or checks roles; callers (actions) do both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.enums import Role
from procurement.errors import ErrorCode, FieldError, InputError, NotFound, PermissionDenied
from procurement.models import HolidayCalendarYear, ReviewCase, ReviewEvent, ReviewPause
from procurement.permissions import Principal, require_operator_access
from procurement.reviews import FINAL_STATES, CaseEvent, Deadline, transition
from procurement.reviews.deadlines import CountingRules, deadline_of
from procurement.reviews.holidays import HolidayCalendar, YearSchedule
from procurement.reviews.messages import TEMPLATES
from procurement.reviews.pauses import CLOCK_STATES, DEFAULT_PAUSE_READING, PauseReading
from procurement.reviews.state_machine import CaseState
from procurement.texts import Param, Text

# Where a session carries the Art. 15 reading chosen by the settings (the composition root puts
# it there), so every path that stores a due date counts it the same way.
PAUSE_READING_INFO = "procurement.pause_reading"

# Acts for changes nobody asked for directly (a rescreen after an SBOM upload, say). Its role is
# admin because it may touch every operator; the audit log shows the name, never a person.
AUTOMATIC = Principal(role=Role.ADMIN, name="automatic screening")


class EventKind:
    OPENED = "OPENED"
    TRANSITION = "TRANSITION"
    ASSIGNED = "ASSIGNED"
    COMMENT = "COMMENT"
    PAUSED = "MATERIALS_REQUESTED"
    RESUMED = "MATERIALS_RECEIVED"
    COMPLEX = "MARKED_COMPLEX"
    ATTACHMENT = "ATTACHMENT_ADDED"
    SCREENING_CHANGED = "SCREENING_CHANGED"
    IN_USE = "IN_USE_RECORDED"


def event_row(
    case_id: int,
    actor: Principal,
    kind: str,
    *,
    from_state: CaseState | None = None,
    to_state: CaseState | None = None,
    on: date | None = None,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A review_events row as plain values (for bulk inserts as well as single ones)."""
    return {
        "case_id": case_id,
        "kind": kind,
        "from_state": from_state,
        "to_state": to_state,
        "on_date": on,
        "note": note,
        "details": details,
        "actor_name": actor.name,
        "actor_role": actor.role.value,
        "actor_token_id": actor.token_id,
        "created_at": utcnow(),
    }


def add_event(
    session: AsyncSession, case: ReviewCase, actor: Principal, kind: str, **values: Any
) -> None:
    session.add(ReviewEvent(**event_row(case.id, actor, kind, **values)))


async def load_case_for_change(
    session: AsyncSession, principal: Principal, case_id: int
) -> ReviewCase:
    """The case if it is of the principal's operator (the caller has checked MANAGE_REVIEWS);
    another operator's case is 'not found', so its existence does not leak."""
    case = await session.get(ReviewCase, case_id)
    if case is None:
        raise NotFound("id", "review case", case_id)
    try:
        require_operator_access(principal, case.operator_id)
    except PermissionDenied:
        raise NotFound("id", "review case", case_id) from None
    return case


async def latest_case(session: AsyncSession, purchase_id: int) -> ReviewCase | None:
    """The purchase's open case, else its most recent one (None when it never had one)."""
    return await session.scalar(
        select(ReviewCase)
        .where(ReviewCase.purchase_id == purchase_id)
        .order_by(ReviewCase.open_purchase_id.is_(None), ReviewCase.id.desc())
        .limit(1)
    )


async def pauses_of(session: AsyncSession, case_id: int) -> list[ReviewPause]:
    return list(
        await session.scalars(
            select(ReviewPause).where(ReviewPause.case_id == case_id).order_by(ReviewPause.id)
        )
    )


def schedule_of(row: HolidayCalendarYear) -> YearSchedule:
    return YearSchedule(
        row.year,
        frozenset(date.fromisoformat(d) for d in row.days_off),
        frozenset(date.fromisoformat(d) for d in row.working_weekends),
        row.source,
    )


async def holiday_calendar(session: AsyncSession) -> HolidayCalendar:
    """The loaded years (one small row each) over the package's."""
    rows = await session.scalars(select(HolidayCalendarYear))
    return HolidayCalendar.of(schedule_of(row) for row in rows)


def pause_reading(session: AsyncSession) -> PauseReading:
    return PauseReading(session.info.get(PAUSE_READING_INFO, DEFAULT_PAUSE_READING))


async def counting_rules(session: AsyncSession) -> CountingRules:
    return CountingRules(await holiday_calendar(session), pause_reading(session))


def store_deadline(case: ReviewCase, deadline: Deadline | None) -> None:
    case.deadline_due = deadline.due if deadline else None
    case.deadline_provisional = deadline is not None and deadline.provisional


async def refresh_deadline(
    session: AsyncSession, case: ReviewCase, rules: CountingRules | None = None
) -> None:
    """Recompute the stored due date and its provisional flag (kept for lists and filters)."""
    rules = rules or await counting_rules(session)
    store_deadline(case, deadline_of(case, await pauses_of(session, case.id), rules))


@dataclass(frozen=True, slots=True)
class DeadlineChange:
    case: ReviewCase
    due_before: date | None
    provisional_before: bool


async def refresh_deadlines_through(session: AsyncSession, year: int) -> list[DeadlineChange]:
    """Recompute every running clock whose count can reach ``year`` (it starts before the year
    ends and is not already due before it begins); what changed, in case order."""
    rules = await counting_rules(session)
    cases = list(
        await session.scalars(
            select(ReviewCase)
            .where(
                ReviewCase.state.in_(sorted(CLOCK_STATES)),
                ReviewCase.state_since <= date(year, 12, 31),
                or_(ReviewCase.deadline_due.is_(None), ReviewCase.deadline_due >= date(year, 1, 1)),
            )
            .order_by(ReviewCase.id)
        )
    )
    pauses: dict[int, list[ReviewPause]] = {}
    if cases:
        for pause in await session.scalars(
            select(ReviewPause)
            .where(ReviewPause.case_id.in_([c.id for c in cases]))
            .order_by(ReviewPause.id)
        ):
            pauses.setdefault(pause.case_id, []).append(pause)
    changed: list[DeadlineChange] = []
    for case in cases:
        before = DeadlineChange(case, case.deadline_due, case.deadline_provisional)
        store_deadline(case, deadline_of(case, pauses.get(case.id, []), rules))
        if (case.deadline_due, case.deadline_provisional) != (
            before.due_before,
            before.provisional_before,
        ):
            changed.append(before)
    return changed


def check_event_date(case: ReviewCase, on: date | None, today: date, field: str = "on") -> None:
    """A legal date may not precede the current state's start nor lie in the future.

    The history is a sequence of dated steps, so each step is dated no earlier than the one
    before: a triage no earlier than the day the case opened (PENDING_TRIAGE begins then), a
    filing no earlier than the triage, and so on. A triage the operator made before the service
    flagged the purchase is recorded as of the opening, with the real date in its note.
    """
    if on is None:
        return
    if on < case.state_since:
        params: dict[str, Param] = {"day": on.isoformat(), "since": case.state_since.isoformat()}
        if case.state is CaseState.PENDING_TRIAGE:
            text = Text("reviews.error.before_opening", params)
        else:
            params["state"] = Text(f"reviews.state.{case.state}", {})
            text = Text("reviews.error.before_state", params)
        raise InputError([FieldError.said(field, text, ErrorCode.OUT_OF_RANGE, TEMPLATES)])
    if on > today:
        text = Text("reviews.error.future", {"day": on.isoformat(), "today": today.isoformat()})
        raise InputError([FieldError.said(field, text, ErrorCode.OUT_OF_RANGE, TEMPLATES)])


def case_snapshot(case: ReviewCase) -> dict[str, Any]:
    # The row version is bookkeeping for concurrent changes, not a fact of the case.
    return audit.snapshot(case, exclude=frozenset({"open_purchase_id", "version"}))


def audit_case(
    session: AsyncSession, principal: Principal, action: str, case: ReviewCase, **after: Any
) -> None:
    """An audit event on the case with ``after`` as JSON-safe values (no before: nothing of the
    case's own columns changed, or the event says what did)."""
    audit.record(
        session,
        principal,
        action,
        "ReviewCase",
        case.id,
        operator_id=case.operator_id,
        after={k: audit.json_value(v) for k, v in after.items()},
    )


def check_transition(state: CaseState, event: CaseEvent) -> CaseState:
    """The target state, or InputError; changes nothing."""
    try:
        return transition(state, event)
    except InputError as error:
        # The state machine names its own argument "event"; for clients the whole request is
        # what is refused in this state.
        raise InputError(
            [e if e.field != "event" else type(e)(None, e.message, e.code) for e in error.errors]
        ) from None


async def apply_transition(
    session: AsyncSession,
    actor: Principal,
    case: ReviewCase,
    event: CaseEvent,
    *,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Move the case through the state machine (raises InputError, changing nothing, when the
    move is illegal), record the history entry and the audit event, refresh the deadline."""
    target = check_transition(case.state, event)
    before = case_snapshot(case)
    source = case.state
    case.state = target
    case.state_since = event.on
    if target in FINAL_STATES:
        case.open_purchase_id = None
        case.closed_at = utcnow()
        case.outcome_on = event.on
        case.outcome_note = note
    await session.flush()
    await refresh_deadline(session, case)
    add_event(
        session,
        case,
        actor,
        EventKind.TRANSITION,
        from_state=source,
        to_state=target,
        on=event.on,
        note=note,
        details={"event": event.kind.value, **(details or {})},
    )
    audit.record(
        session,
        actor,
        f"review_case.{event.kind.value.lower()}",
        "ReviewCase",
        case.id,
        operator_id=case.operator_id,
        before=before,
        after=case_snapshot(case) | {"note": note},
    )
