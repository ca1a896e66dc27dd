"""The agreement state machine and when an obligation is overdue or failed (pure rules)."""

from __future__ import annotations

from datetime import date

import pytest

from procurement.agreements.context import Recurrence
from procurement.agreements.lifecycle import AgreementState, transition_error
from procurement.agreements.supervision import CheckFact, DueState, due_state

S = AgreementState
ALLOWED = {
    (S.DRAFT, S.SENT),
    (S.DRAFT, S.SUPERSEDED),
    (S.DRAFT, S.TERMINATED),
    (S.SENT, S.SIGNED),
    (S.SENT, S.SUPERSEDED),
    (S.SENT, S.TERMINATED),
    (S.SIGNED, S.SUPERSEDED),
    (S.SIGNED, S.TERMINATED),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_only_the_documented_transitions_are_allowed(current: S, target: S) -> None:
    assert (transition_error(current, target) is None) == ((current, target) in ALLOWED)


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (
            S.DRAFT,
            S.SIGNED,
            "an agreement in state DRAFT cannot become SIGNED: record it as sent first",
        ),
        (
            S.SENT,
            S.SENT,
            "an agreement in state SENT cannot become SENT: it is already recorded as sent",
        ),
        (
            S.SUPERSEDED,
            S.SIGNED,
            "an agreement in state SUPERSEDED cannot become SIGNED: it is final; "
            "generate a new agreement instead",
        ),
        (S.SIGNED, S.DRAFT, "an agreement in state SIGNED cannot become DRAFT"),
    ],
)
def test_refusals_say_why(current: S, target: S, message: str) -> None:
    assert transition_error(current, target) == message


ONCE, ANNUAL, EVENT = Recurrence.ONCE, Recurrence.ANNUAL, Recurrence.ON_EVENT
MARCH_31 = date(2025, 3, 31)


def met(day: date, ident: int = 1) -> CheckFact:
    return CheckFact(ident, day, True)


def failed(day: date, ident: int = 2) -> CheckFact:
    return CheckFact(ident, day, False)


def test_a_one_off_duty_is_overdue_the_day_after_it_falls_due() -> None:
    assert due_state(ONCE, MARCH_31, None, [], MARCH_31) is None
    assert due_state(ONCE, MARCH_31, None, [], date(2025, 4, 1)) == DueState(
        True, False, MARCH_31, 1, None
    )


def test_a_met_check_settles_a_one_off_duty_even_when_late() -> None:
    assert due_state(ONCE, MARCH_31, None, [met(date(2025, 4, 20))], date(2025, 5, 1)) is None


def test_checks_after_the_judgement_day_do_not_count() -> None:
    check = met(date(2025, 4, 20))
    assert due_state(ONCE, MARCH_31, None, [check], date(2025, 4, 10)) == DueState(
        True, False, MARCH_31, 10, None
    )


def test_the_latest_check_decides_failure() -> None:
    first, second = failed(date(2025, 2, 1), 1), met(date(2025, 2, 5), 2)
    assert due_state(EVENT, None, None, [first], date(2025, 3, 1)) == DueState(
        False, True, None, None, first
    )
    assert due_state(EVENT, None, None, [second, first], date(2025, 3, 1)) is None


def test_an_annual_duty_needs_a_check_after_the_previous_occurrence() -> None:
    first, until = date(2026, 3, 1), date(2030, 2, 28)
    early = met(date(2025, 12, 1))
    # the early delivery covers the 2026 occurrence ...
    assert due_state(ANNUAL, first, until, [early], date(2026, 6, 1)) is None
    # ... but not the 2027 one
    assert due_state(ANNUAL, first, until, [early], date(2027, 6, 1)) == DueState(
        True, False, date(2027, 3, 1), 92, early
    )
    # a check after the 2026 occurrence covers 2027
    later = met(date(2026, 12, 1), 3)
    assert due_state(ANNUAL, first, until, [early, later], date(2027, 6, 1)) is None


def test_an_annual_duty_stops_recurring_after_its_last_day() -> None:
    first, until = date(2026, 3, 1), date(2027, 2, 28)
    check = met(date(2026, 3, 1))
    assert due_state(ANNUAL, first, until, [check], date(2029, 1, 1)) is None
