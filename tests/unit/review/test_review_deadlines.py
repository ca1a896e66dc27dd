from __future__ import annotations

from datetime import date

import pytest

from procurement.reviews.calendar import DateRange
from procurement.reviews.deadlines import (
    CountingRules,
    deadline_for,
    is_overdue,
    member_replies_deadline,
)
from procurement.reviews.pauses import PauseReading
from procurement.reviews.state_machine import CaseState


def test_declared_gives_office_10_working_days_art9() -> None:
    # given materials received Fri 2024-09-27, right before National Day
    deadline = deadline_for(CaseState.DECLARED, date(2024, 9, 27))
    # then Sep 29, Sep 30, Oct 8-12 (Sat worked), Oct 14-16
    assert deadline is not None
    assert deadline.due == date(2024, 10, 16)
    assert deadline.working_days == 10
    assert deadline.basis.startswith("Review Measures Art. 9: 10 working days")


def test_under_review_30_days_plus_15_when_complex_art11() -> None:
    plain = deadline_for(CaseState.UNDER_REVIEW, date(2024, 9, 27))
    complex_ = deadline_for(CaseState.UNDER_REVIEW, date(2024, 9, 27), complex=True)
    assert plain is not None and complex_ is not None
    assert plain.due == date(2024, 11, 13)
    assert complex_.due == date(2024, 12, 4)
    assert complex_.working_days == 45


def test_special_review_90_days_and_extension_is_only_warned() -> None:
    # Jun 4-Sep 26 2025 give 83, Sep 28 Sun worked (84), Sep 29-30, Oct 1-8 off,
    # Oct 9-10, Oct 11 Sat worked (89), Oct 13 (90)
    deadline = deadline_for(CaseState.SPECIAL_REVIEW, date(2025, 6, 3), complex=True)
    assert deadline is not None
    assert deadline.due == date(2025, 10, 13)
    assert deadline.working_days == 90
    assert len(deadline.warnings) == 1
    assert "extended by a period the office sets" in deadline.warnings[0]


def test_member_replies_15_days_art12() -> None:
    # Oct 1-8 2025 off; Oct 9-10, Oct 11 Sat worked, Oct 13-17, Oct 20-24, Oct 27-28
    assert member_replies_deadline(date(2025, 9, 30)).due == date(2025, 10, 28)


@pytest.mark.parametrize(
    ("reading", "due", "note"),
    [
        # the request day (8 Oct) still counts: only 9 October is off the clock
        (
            PauseReading.REQUEST_DAY_COUNTED,
            date(2024, 10, 17),
            "Art. 15; the request day counts, Civil Code Art. 201)",
        ),
        # the other reading (PROCUREMENT_PAUSE_REQUEST_DAY=excluded): 8 and 9 October are off
        (PauseReading.REQUEST_DAY_EXCLUDED, date(2024, 10, 18), "Art. 15; from the request day)"),
    ],
)
def test_pauses_extend_by_the_reading_and_are_named_in_basis(
    reading: PauseReading, due: date, note: str
) -> None:
    # given materials requested on Tuesday 8 and received on Wednesday 9 October 2024
    pause = DateRange(date(2024, 10, 8), date(2024, 10, 9))
    # when the Art. 9 deadline of a declaration filed on 27 September is counted
    deadline = deadline_for(
        CaseState.DECLARED,
        date(2024, 9, 27),
        pauses=[pause],
        rules=CountingRules(pause_reading=reading),
    )
    # then the reading decides whether the request day is off the clock, and the basis says so
    assert deadline is not None
    assert deadline.due == due
    assert deadline.basis.endswith(note)


def test_materials_received_the_day_they_were_asked_for_cost_no_day_by_default() -> None:
    same_day = [DateRange(date(2024, 10, 8), date(2024, 10, 8))]
    counted = deadline_for(CaseState.DECLARED, date(2024, 9, 27), pauses=same_day)
    excluded = deadline_for(
        CaseState.DECLARED,
        date(2024, 9, 27),
        pauses=same_day,
        rules=CountingRules(pause_reading=PauseReading.REQUEST_DAY_EXCLUDED),
    )
    assert counted is not None and excluded is not None
    assert (counted.due, excluded.due) == (date(2024, 10, 16), date(2024, 10, 17))


def test_an_awaited_pause_stops_the_clock_from_the_day_after_the_request_by_default() -> None:
    awaited = [DateRange(date(2024, 10, 8))]
    deadline = deadline_for(CaseState.DECLARED, date(2024, 9, 27), pauses=awaited)
    assert deadline is not None
    # Sep 29, 30, Oct 8 counted; stopped from 9 October
    assert (deadline.due, deadline.days_counted, deadline.suspended_since) == (
        None,
        3,
        date(2024, 10, 9),
    )


@pytest.mark.parametrize(
    "state",
    [
        CaseState.PENDING_TRIAGE,
        CaseState.DECLARATION_PREPARED,
        CaseState.NOT_REQUIRED,
        CaseState.NO_REVIEW_NEEDED,
        CaseState.PASSED,
        CaseState.FAILED,
        CaseState.WITHDRAWN,
    ],
)
def test_no_statutory_clock(state: CaseState) -> None:
    assert deadline_for(state, date(2024, 1, 2)) is None


def test_is_overdue() -> None:
    deadline = deadline_for(CaseState.DECLARED, date(2024, 9, 27))
    assert not is_overdue(deadline, date(2024, 10, 16))
    assert is_overdue(deadline, date(2024, 10, 17))
    assert not is_overdue(None, date(2030, 1, 1))
    suspended = deadline_for(
        CaseState.DECLARED, date(2024, 9, 27), pauses=[DateRange(date(2024, 10, 8))]
    )
    assert suspended is not None and suspended.due is None
    assert not is_overdue(suspended, date(2030, 1, 1))
