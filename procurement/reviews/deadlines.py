"""Statutory review deadlines per case state, as data (Cybersecurity Review Measures 2021).

Member agencies' replies (Art. 12) are a sub-step *inside* UNDER_REVIEW: Art. 11's 30 (+15)
working days already include consulting them. So they get their own function,
:func:`member_replies_deadline`, counted from the day the members received the proposed
conclusion, instead of a case state of their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from procurement.reviews.calendar import DateRange, Deadline, add_working_days
from procurement.reviews.holidays import PACKAGE_ONLY, HolidayCalendar
from procurement.reviews.messages import TEMPLATES
from procurement.reviews.pauses import DEFAULT_PAUSE_READING, PauseReading, excluded_days
from procurement.reviews.state_machine import FINAL_STATES, CaseState
from procurement.texts import Param, Text, english


@dataclass(frozen=True, slots=True)
class CountingRules:
    """How working days are counted: the holiday schedules known, and the Art. 15 reading."""

    calendar: HolidayCalendar = PACKAGE_ONLY
    pause_reading: PauseReading = DEFAULT_PAUSE_READING


DEFAULT_RULES = CountingRules()


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    working_days: int
    # Extra working days when the office says the case is complex; None = extendable by an
    # unspecified period (the due date then only covers the base period and says so).
    complex_extension: int | None
    # The rule's messages: reviews.rule.<key> (basis) and reviews.start.<key> (counted_from).
    key: str

    @property
    def basis(self) -> str:
        return TEMPLATES[f"reviews.rule.{self.key}"]

    @property
    def counted_from(self) -> str:
        return TEMPLATES[f"reviews.start.{self.key}"]


DEADLINE_RULES: Mapping[CaseState, DeadlineRule] = {
    CaseState.DECLARED: DeadlineRule(10, 0, "art9"),
    CaseState.UNDER_REVIEW: DeadlineRule(30, 15, "art11"),
    CaseState.SPECIAL_REVIEW: DeadlineRule(90, None, "arts13_14"),
}

MEMBER_REPLIES_RULE = DeadlineRule(15, 0, "art12")
_PAUSE_NOTES = {
    PauseReading.REQUEST_DAY_COUNTED: "reviews.pauses.request_day_counted",
    PauseReading.REQUEST_DAY_EXCLUDED: "reviews.pauses.request_day_excluded",
}


def _apply(
    rule: DeadlineRule,
    since: date,
    complex: bool,
    pauses: Sequence[DateRange],
    rules: CountingRules,
) -> Deadline:
    days = rule.working_days
    name = Text(f"reviews.rule.{rule.key}", {})
    warnings: list[Text] = []
    if complex and rule.complex_extension:
        days += rule.complex_extension
    elif complex and rule.complex_extension is None:
        warnings.append(
            Text("reviews.warning.extendable", {"rule": name, "days": rule.working_days})
        )
    deadline = add_working_days(
        since, days, excluded_days(pauses, rules.pause_reading), rules.calendar
    )
    params: dict[str, Param] = {
        "rule": name, "days": days, "start": Text(f"reviews.start.{rule.key}", {}),
    }  # fmt: skip
    if pauses:
        params["pauses"] = Text(_PAUSE_NOTES[rules.pause_reading], {})
    basis = Text("reviews.deadline.basis_paused" if pauses else "reviews.deadline.basis", params)
    return dataclasses.replace(
        deadline,
        basis=english(basis, TEMPLATES),
        warnings=(*deadline.warnings, *(english(w, TEMPLATES) for w in warnings)),
        basis_text=basis,
        warning_texts=(*deadline.warning_texts, *warnings),
    )


def deadline_for(
    state: CaseState,
    since: date,
    complex: bool = False,
    pauses: Sequence[DateRange] = (),
    rules: CountingRules = DEFAULT_RULES,
) -> Deadline | None:
    """Deadline of the office's next step in ``state``, or None where no statutory clock runs.

    ``since`` is the date the clock starts from (see ``DEADLINE_RULES[state].counted_from``);
    ``pauses`` run from the office's request to the receipt of the materials (end None while
    awaited); ``rules`` say which days they take off the clock and which days are worked.
    """
    rule = DEADLINE_RULES.get(state)
    if rule is None:
        return None
    return _apply(rule, since, complex, pauses, rules)


def member_replies_deadline(
    received_on: date, pauses: Sequence[DateRange] = (), rules: CountingRules = DEFAULT_RULES
) -> Deadline:
    """Art. 12: members reply within 15 working days of receiving the proposed conclusion."""
    return _apply(MEMBER_REPLIES_RULE, received_on, False, pauses, rules)


R_co = TypeVar("R_co", covariant=True)
R = TypeVar("R")


class _ComparableToDate(Protocol[R_co]):
    def __lt__(self, other: date, /) -> R_co: ...


def past_due(due: _ComparableToDate[R], as_of: date) -> R:
    """The one definition of "overdue": the due date lies before the day judged on, so the due
    day itself is still in time. ``due`` is a date, or a SQL column of due dates: the
    pending-reviews filter (procurement.reviews.reads) is built from this very comparison."""
    return due < as_of


def is_past_due(due: date | None, as_of: date) -> bool:
    """A stored due date (None: no clock runs, or it is suspended) is overdue on ``as_of``."""
    return due is not None and past_due(due, as_of)


def is_overdue(deadline: Deadline | None, today: date) -> bool:
    """True once ``today`` is after the due date; never while the clock is suspended."""
    return deadline is not None and is_past_due(deadline.due, today)


class StoredCase(Protocol):
    """What a case's deadline depends on (a stored ReviewCase satisfies it)."""

    @property
    def state(self) -> CaseState: ...
    @property
    def state_since(self) -> date: ...
    @property
    def complex(self) -> bool: ...


class StoredPause(Protocol):
    """A pause for supplementary materials (Review Measures Art. 15), as stored."""

    @property
    def requested_on(self) -> date: ...
    @property
    def received_on(self) -> date | None: ...


def pause_ranges(pauses: Sequence[StoredPause]) -> list[DateRange]:
    return [DateRange(p.requested_on, p.received_on) for p in pauses]


def deadline_of(
    case: StoredCase, pauses: Sequence[StoredPause], rules: CountingRules
) -> Deadline | None:
    """The statutory deadline of the office's next step, or None where no clock runs, counted
    with ``rules`` (the loaded holiday schedules and the configured Art. 15 reading)."""
    if case.state in FINAL_STATES:
        return None
    return deadline_for(case.state, case.state_since, case.complex, pause_ranges(pauses), rules)
