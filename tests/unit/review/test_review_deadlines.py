from __future__ import annotations

from datetime import date

import pytest

from procurement.reviews.calendar import DateRange
from procurement.reviews.deadlines import deadline_for, is_overdue, member_replies_deadline
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


def test_pauses_extend_and_are_named_in_basis() -> None:
    pause = DateRange(date(2024, 10, 8), date(2024, 10, 9))
    deadline = deadline_for(CaseState.DECLARED, date(2024, 9, 27), pauses=[pause])
    assert deadline is not None
    assert deadline.due == date(2024, 10, 18)
    assert "Art. 15" in deadline.basis


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
