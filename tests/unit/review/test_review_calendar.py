"""Working-day arithmetic. Expected dates were counted by hand from the State Council holiday
notices (2024: Spring Festival Feb 10-17 off, Feb 4 and Feb 18 Sundays worked; National Day
Oct 1-7 off, Sep 29 Sunday and Oct 12 Saturday worked. 2025: Spring Festival Jan 28-Feb 4 off,
Jan 26 Sunday and Feb 8 Saturday worked) and checked against ``chinese_calendar``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.errors import ErrorCode, InputError
from procurement.reviews.calendar import (
    DateRange,
    add_working_days,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 4), (True, True)),  # Sunday, adjusted working day
        (date(2024, 2, 18), (True, True)),  # Sunday, adjusted working day
        (date(2024, 2, 12), (False, True)),  # Monday, Spring Festival
        (date(2024, 10, 7), (False, True)),  # Monday, National Day
        (date(2024, 10, 12), (True, True)),  # Saturday, adjusted working day
        (date(2025, 1, 26), (True, True)),  # Sunday, adjusted working day
        (date(2030, 1, 1), (True, False)),  # Tuesday, year unknown: weekday rule
        (date(2030, 1, 5), (False, False)),  # Saturday, year unknown
        (date(2003, 6, 2), (True, False)),  # before the package's first year
    ],
)
def test_is_working_day(day: date, expected: tuple[bool, bool]) -> None:
    assert is_working_day(day) == expected


def test_spring_festival_2024_skips_holidays_and_counts_adjusted_sunday() -> None:
    # given Thursday before the holiday; when 10 working days are added
    deadline = add_working_days(date(2024, 2, 8), 10)
    # then Feb 9 (1), Feb 18 Sunday (2), Feb 19-23 (3-7), Feb 26-28 (8-10)
    assert deadline.due == date(2024, 2, 28)
    assert deadline.days_counted == 10
    assert deadline.warnings == ()
    assert deadline.calendar_known


def test_counting_starts_the_working_day_after_start() -> None:
    # given a Saturday before the Feb 4 2024 working Sunday; when 1 day is added
    # then the working Sunday is day 1
    assert add_working_days(date(2024, 2, 3), 1).due == date(2024, 2, 4)
    # and a working day as start does not count itself
    assert add_working_days(date(2024, 2, 4), 1).due == date(2024, 2, 5)


def test_national_day_2024() -> None:
    # Sep 29 Sun (1), Sep 30 (2), Oct 8-11 (3-6), Oct 12 Sat (7), Oct 14-16 (8-10)
    assert add_working_days(date(2024, 9, 27), 10).due == date(2024, 10, 16)


def test_spring_festival_2025_adjusted_sunday() -> None:
    assert add_working_days(date(2025, 1, 24), 1).due == date(2025, 1, 26)
    # Jan 26 (1), Jan 27 (2), Jan 28-Feb 4 off, Feb 5 (3)
    assert add_working_days(date(2025, 1, 24), 3).due == date(2025, 2, 5)


def test_zero_days_is_the_start_date() -> None:
    deadline = add_working_days(date(2024, 2, 10), 0)
    assert (deadline.due, deadline.days_counted) == (date(2024, 2, 10), 0)


def test_negative_days_are_rejected() -> None:
    with pytest.raises(InputError) as exc:
        add_working_days(date(2024, 1, 1), -1)
    assert exc.value.errors[0].field == "n"
    assert exc.value.errors[0].code is ErrorCode.OUT_OF_RANGE


def test_closed_pause_does_not_count() -> None:
    # given a plain March 2024 (no holidays): 10 working days end on Mar 15
    assert add_working_days(date(2024, 3, 1), 10).due == date(2024, 3, 15)
    # when Mar 6-8 were spent supplying materials (Art. 15)
    deadline = add_working_days(
        date(2024, 3, 1), 10, [DateRange(date(2024, 3, 6), date(2024, 3, 8))]
    )
    # then three working days move the deadline to Mar 20
    assert deadline.due == date(2024, 3, 20)


def test_open_pause_suspends_the_deadline() -> None:
    # given the office asked for materials on Mar 6 and they have not been supplied yet
    deadline = add_working_days(date(2024, 3, 1), 10, [DateRange(date(2024, 3, 6))])
    # then no due date, the clock stopped after Mar 4 and Mar 5
    assert deadline.due is None
    assert deadline.days_counted == 2
    assert deadline.suspended_since == date(2024, 3, 6)


def test_pause_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(InputError) as exc:
        DateRange(date(2024, 3, 8), date(2024, 3, 6))
    assert exc.value.errors[0].field == "pauses.end"


def test_year_beyond_package_range_uses_weekdays_and_warns() -> None:
    # given a count that crosses into 2027, which chinese_calendar 1.11 does not know
    deadline = add_working_days(date(2026, 12, 30), 5)
    # then Dec 31 (1), Jan 1 2027 counted as a weekday (2), Jan 4-6 (3-5)
    assert deadline.due == date(2027, 1, 6)
    assert len(deadline.warnings) == 1
    assert "unknown for 2027" in deadline.warnings[0]
    assert not deadline.calendar_known


def test_far_future_year_does_not_crash() -> None:
    deadline = add_working_days(date(2030, 5, 1), 3)
    assert deadline.due == date(2030, 5, 6)
    assert deadline.warnings and "2030" in deadline.warnings[0]


def test_working_days_between() -> None:
    assert working_days_between(date(2024, 2, 8), date(2024, 2, 28)).days == 10
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 16)).days == 10
    assert working_days_between(date(2024, 2, 28), date(2024, 2, 8)).days == 0
    pause = DateRange(date(2024, 3, 6), date(2024, 3, 8))
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 20), [pause]).days == 10
    beyond = working_days_between(date(2026, 12, 30), date(2027, 1, 6))
    assert beyond.days == 5
    assert "2027" in beyond.warnings[0]


@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30)),
    n=st.integers(min_value=0, max_value=60),
    pause_offset=st.integers(min_value=0, max_value=40),
    pause_len=st.integers(min_value=0, max_value=20),
)
def test_between_inverts_add(start: date, n: int, pause_offset: int, pause_len: int) -> None:
    pause_start = start + timedelta(days=pause_offset)
    pauses = [DateRange(pause_start, pause_start + timedelta(days=pause_len))]
    deadline = add_working_days(start, n, pauses)
    assert deadline.due is not None
    assert working_days_between(start, deadline.due, pauses).days == n
    if n:
        # the due date is itself a counted working day
        assert is_working_day(deadline.due)[0]
        assert not pauses[0].contains(deadline.due)
