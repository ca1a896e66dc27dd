"""The identification history's rules (CII Regulations Arts. 10-11), pure."""

from __future__ import annotations

from datetime import date

from procurement.errors import ErrorCode, FieldError
from procurement.identification import ASSUMED_START, CiiPeriod, change_history, is_cii_on

TODAY = date(2026, 11, 28)


def test_identification_opens_a_period_and_its_end_closes_it() -> None:
    opened, errors = change_history([], identified_on=date(2024, 3, 1), ended_on=None, today=TODAY)
    assert (opened, errors) == ([CiiPeriod(date(2024, 3, 1))], [])
    closed, errors = change_history(
        opened, identified_on=None, ended_on=date(2026, 1, 1), today=TODAY
    )
    assert (closed, errors) == ([CiiPeriod(date(2024, 3, 1), date(2026, 1, 1))], [])
    # the end day is the first day it is no longer one
    assert (is_cii_on(closed, date(2025, 12, 31)), is_cii_on(closed, date(2026, 1, 1))) == (
        True,
        False,
    )


def test_a_known_date_replaces_the_assumed_start() -> None:
    assumed = [CiiPeriod(ASSUMED_START, None, assumed=True)]
    history, errors = change_history(
        assumed, identified_on=date(2022, 7, 15), ended_on=None, today=TODAY
    )
    assert (history, errors) == ([CiiPeriod(date(2022, 7, 15))], [])


def test_refusals_leave_the_history_unchanged() -> None:
    current = [CiiPeriod(date(2024, 3, 1))]
    cases = [
        # a second identification while one is open
        (current, date(2025, 1, 1), None, "ciiIdentifiedOn", ErrorCode.INVALID_STATE),
        # a date after today
        (current, None, date(2026, 12, 1), "ciiEndedOn", ErrorCode.OUT_OF_RANGE),
        # an end not after the start
        (current, None, date(2024, 3, 1), "ciiEndedOn", ErrorCode.OUT_OF_RANGE),
        # an end with nothing open
        ([], None, date(2025, 1, 1), "ciiEndedOn", ErrorCode.INVALID_STATE),
        # a new period overlapping the last one
        (
            [CiiPeriod(date(2020, 1, 1), date(2023, 1, 1))],
            date(2022, 6, 1),
            None,
            "ciiIdentifiedOn",
            ErrorCode.OUT_OF_RANGE,
        ),
    ]
    for periods, identified_on, ended_on, field, code in cases:
        history, errors = change_history(
            periods, identified_on=identified_on, ended_on=ended_on, today=TODAY
        )
        assert history == periods
        assert [(e.field, e.code) for e in errors] == [(field, code)]


def test_the_message_says_what_to_do() -> None:
    _, errors = change_history(
        [CiiPeriod(date(2024, 3, 1))], identified_on=date(2025, 1, 1), ended_on=None, today=TODAY
    )
    assert errors == [
        FieldError(
            "ciiIdentifiedOn",
            "the operator is a CII operator since 2024-03-01: record the end of that "
            "identification (ciiEndedOn) before a new one",
            ErrorCode.INVALID_STATE,
        )
    ]
