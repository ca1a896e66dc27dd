"""Holiday schedules as data (issue 9): a loaded year is counted with its days off and worked
weekends, a year nobody knows is provisional, and an admin's schedule is validated field by field.

The 2027 schedule used here is test data (New Year's Day and Qingming off, one Saturday worked),
not the State Council's notice, which was not yet published when this was written."""

from __future__ import annotations

from datetime import date

import pytest

from procurement.errors import ErrorCode, InputError
from procurement.reviews.calendar import add_working_days
from procurement.reviews.deadlines import CountingRules, deadline_for
from procurement.reviews.holidays import (
    PACKAGE_ONLY,
    PACKAGE_SOURCE,
    CalendarStatus,
    HolidayCalendar,
    YearSchedule,
    validate_schedule,
)
from procurement.reviews.state_machine import CaseState

NEW_YEAR_2027, QINGMING_2027, SATURDAY_WORKED = (
    date(2027, 1, 1),
    date(2027, 4, 5),
    date(2027, 2, 20),
)
LOADED_2027 = HolidayCalendar.of(
    [YearSchedule(2027, frozenset({NEW_YEAR_2027, QINGMING_2027}), frozenset(), "test notice")]
)


def test_special_review_into_an_unknown_2027_lands_on_qingming_and_is_provisional() -> None:
    # given no schedule for 2027 (chinese-calendar knows 2004-2026)
    # when a 90-working-day special review starts on 30 November 2026
    deadline = deadline_for(CaseState.SPECIAL_REVIEW, date(2026, 11, 30))
    # then Monday-Friday is counted, the due date is Qingming 2027, and it says it may move
    assert deadline is not None
    assert (deadline.due, deadline.provisional, deadline.provisional_years) == (
        QINGMING_2027,
        True,
        (2027,),
    )
    assert deadline.warnings == (
        "Chinese holiday calendar unknown for 2027: Monday-Friday counted as working days, "
        "statutory holidays and adjusted working weekends not applied; the date is provisional "
        "until 2027's holiday schedule is loaded",
    )


def test_a_loaded_2027_skips_new_year_and_qingming_and_is_official() -> None:
    # given 2027's schedule loaded with 1 January and 5 April off
    rules = CountingRules(calendar=LOADED_2027)
    # when the same special review is counted
    deadline = deadline_for(CaseState.SPECIAL_REVIEW, date(2026, 11, 30), rules=rules)
    # then both days are skipped (due two working days later) and nothing is provisional
    assert deadline is not None
    assert (deadline.due, deadline.provisional, deadline.warnings) == (date(2027, 4, 7), False, ())


def test_preliminary_review_over_new_year_2027() -> None:
    # given a 30-working-day preliminary review started on 15 December 2026
    unknown = deadline_for(CaseState.UNDER_REVIEW, date(2026, 12, 15))
    loaded = deadline_for(
        CaseState.UNDER_REVIEW, date(2026, 12, 15), rules=CountingRules(calendar=LOADED_2027)
    )
    # then without 2027 it ends on 26 January counting 1 January; with it, on 27 January
    assert unknown is not None and loaded is not None
    assert (unknown.due, unknown.provisional) == (date(2027, 1, 26), True)
    assert (loaded.due, loaded.provisional) == (date(2027, 1, 27), False)


def test_an_adjusted_working_saturday_counts() -> None:
    # given 2027 with Saturday 20 February worked
    calendar = HolidayCalendar.of(
        [
            YearSchedule(
                2027,
                frozenset({NEW_YEAR_2027, QINGMING_2027}),
                frozenset({SATURDAY_WORKED}),
                "test notice",
            )
        ]
    )
    # then it is a working day, and the special review ends one day earlier than without it
    assert calendar.is_working_day(SATURDAY_WORKED) == (True, True)
    assert add_working_days(date(2026, 11, 30), 90, calendar=calendar).due == date(2027, 4, 6)


def test_a_loaded_year_overrides_the_package() -> None:
    # given 2026, known to chinese-calendar, loaded again with Monday 21 December off
    calendar = HolidayCalendar.of(
        [YearSchedule(2026, frozenset({date(2026, 12, 21)}), frozenset(), "corrected notice")]
    )
    # then the loaded schedule wins for that year
    assert PACKAGE_ONLY.is_working_day(date(2026, 12, 21)) == (True, True)
    assert calendar.is_working_day(date(2026, 12, 21)) == (False, True)
    assert add_working_days(date(2026, 12, 15), 10).due == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 15), 10, calendar=calendar).due == date(2026, 12, 30)


def test_status_and_source_of_years() -> None:
    # package years are official with the package's name; loaded ones with their notice
    assert PACKAGE_SOURCE.startswith("chinese-calendar ")
    assert (PACKAGE_ONLY.status(2004), PACKAGE_ONLY.status(2026)) == (
        CalendarStatus.OFFICIAL,
        CalendarStatus.OFFICIAL,
    )
    assert PACKAGE_ONLY.status(2027) is CalendarStatus.PROVISIONAL
    assert LOADED_2027.status(2027) is CalendarStatus.OFFICIAL
    package_2026 = PACKAGE_ONLY.schedule(2026)
    assert package_2026 is not None and package_2026.source == PACKAGE_SOURCE
    assert date(2026, 10, 1) in package_2026.days_off
    assert date(2026, 1, 4) in package_2026.working_weekends  # Sunday worked after New Year
    assert PACKAGE_ONLY.schedule(2027) is None


def test_a_valid_schedule_is_read_from_iso_strings() -> None:
    schedule = validate_schedule(2027, ["2027-01-01", "2027-04-05"], ["2027-02-20"], " 国办 ")
    assert schedule == YearSchedule(
        2027, frozenset({NEW_YEAR_2027, QINGMING_2027}), frozenset({SATURDAY_WORKED}), "国办"
    )


def errors_of(*args: object) -> list[tuple[str | None, str, ErrorCode]]:
    with pytest.raises(InputError) as raised:
        validate_schedule(*args)  # type: ignore[arg-type]
    return [(e.field, e.message, e.code) for e in raised.value.errors]


def test_every_problem_is_located() -> None:
    # given a schedule with a date of another year, a duplicate, a weekday "working weekend",
    # a day both off and worked, and no source
    errors = errors_of(
        2027,
        ["2027-01-01", "2026-10-01", "2027-01-01", "2027-02-20"],
        ["2027-02-22", "2027-02-20"],
        "  ",
    )
    # then each is reported on its own element, all at once
    assert errors == [
        ("source", "is required: name the notice", ErrorCode.REQUIRED),
        ("daysOff[1]", "2026-10-01 is not in 2027", ErrorCode.OUT_OF_RANGE),
        ("daysOff[2]", "2027-01-01 is listed twice", ErrorCode.DUPLICATE),
        (
            "workingWeekends[0]",
            "2027-02-22 is a Monday: only a Saturday or Sunday can be an adjusted working day",
            ErrorCode.INVALID,
        ),
        (
            "workingWeekends[1]",
            "2027-02-20 is also listed as a day off (daysOff[3])",
            ErrorCode.CONFLICT,
        ),
    ]


def test_weekend_only_days_off_and_an_empty_list_are_refused() -> None:
    assert errors_of(2027, ["2027-01-02", "2027-01-03"], [], "notice") == [
        (
            "daysOff",
            "every listed day off is a Saturday or Sunday, which are off anyway; a holiday "
            "schedule gives weekdays off",
            ErrorCode.INVALID,
        )
    ]
    assert errors_of(2027, [], [], "notice") == [
        ("daysOff", "lists no day off", ErrorCode.REQUIRED)
    ]


@pytest.mark.parametrize("year", [1999, 2101, True, "2027"])
def test_the_year_must_be_a_plausible_one(year: object) -> None:
    assert errors_of(year, ["2027-01-01"], [], "notice") == [
        ("year", f"must be a year from 2000 to 2100, got {year!r}", ErrorCode.OUT_OF_RANGE)
    ]


def test_lists_must_be_lists() -> None:
    # given a file whose lists are a string and a number (the CLI reads any JSON)
    assert errors_of(2027, "2027-01-01", 5, "notice") == [
        ("daysOff", "must be a list of dates", ErrorCode.INVALID),
        ("workingWeekends", "must be a list of dates", ErrorCode.INVALID),
    ]
