"""Chinese working-day arithmetic for the cybersecurity review timelines.

The Review Measures count every deadline in working days (工作日). Which days are working days is
decided each year by the State Council's holiday notice (statutory holidays plus adjusted working
weekends): a :class:`~procurement.reviews.holidays.HolidayCalendar` says so, from the years an admin
loaded and those the ``chinese_calendar`` package ships. For a year neither knows we count
Monday-Friday, mark the deadline *provisional* and say so in its ``warnings`` instead of crashing:
a deadline that may be off by a holiday is still useful, a traceback is not.

Counting convention (matches how the office counts "within N working days of receipt"): the start
date itself never counts, day 1 is the first working day after it. Periods spent supplying extra
materials (Review Measures Art. 15) are excluded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from procurement.errors import ErrorCode, InputError
from procurement.reviews.holidays import PACKAGE_ONLY, HolidayCalendar
from procurement.reviews.messages import TEMPLATES, said
from procurement.texts import Param, Text, english

_ONE_DAY = timedelta(days=1)
# Guards against an endless loop on absurd input (e.g. a pause covering centuries).
_MAX_SCAN_DAYS = 20 * 366


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive range of calendar days; ``end=None`` means still running (e.g. still waiting)."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            order = {"end": self.end.isoformat(), "start": self.start.isoformat()}
            raise InputError([said("pauses.end", Text("reviews.calendar.pause_order", order))])

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date counted in Chinese working days.

    ``due`` is None while the clock is stopped by an open pause (``suspended_since`` says since
    when); ``days_counted`` working days had elapsed by then. ``provisional_years`` lists the years
    counted without a holiday schedule (Monday-Friday), so the due date may miss a holiday;
    ``warnings`` says so in words.
    """

    start: date
    working_days: int
    due: date | None
    days_counted: int
    suspended_since: date | None = None
    basis: str = ""
    warnings: tuple[str, ...] = field(default=())
    provisional_years: tuple[int, ...] = ()
    # ``basis`` and ``warnings`` as message ids and parameters (procurement/reviews/messages.py)
    # for the console's Chinese; one text per warning, in the same order.
    basis_text: Text | None = field(default=None, compare=False)
    warning_texts: tuple[Text, ...] = field(default=(), compare=False)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def calendar_known(self) -> bool:
        return not self.provisional


@dataclass(frozen=True, slots=True)
class WorkingDayCount:
    days: int
    warnings: tuple[str, ...] = ()


def unknown_year_text(year: int) -> Text:
    return Text("reviews.warning.unknown_year", {"year": str(year)})


def unknown_year_warning(year: int) -> str:
    return english(unknown_year_text(year), TEMPLATES)


def is_working_day(day: date, calendar: HolidayCalendar = PACKAGE_ONLY) -> tuple[bool, bool]:
    """Return ``(is_working_day, calendar_known)``; weekends-only when the year is unknown."""
    return calendar.is_working_day(day)


def _days_after(start: date) -> Iterator[date]:
    day = start
    for _ in range(_MAX_SCAN_DAYS):
        day += _ONE_DAY
        yield day
    scanned: dict[str, Param] = {"days": _MAX_SCAN_DAYS, "start": start.isoformat()}
    raise InputError([said(None, Text("reviews.calendar.no_end", scanned), ErrorCode.OUT_OF_RANGE)])


def add_working_days(
    start: date,
    n: int,
    pauses: Sequence[DateRange] = (),
    calendar: HolidayCalendar = PACKAGE_ONLY,
) -> Deadline:
    """The date on which the ``n``-th working day after ``start`` falls, skipping ``pauses``.

    ``n == 0`` gives ``start`` itself. If an open pause (``end=None``) begins before the count is
    complete, the deadline is suspended: ``due`` is None and ``days_counted`` tells how far it got.
    """
    if n < 0:
        raise InputError(
            [said("n", Text("reviews.calendar.negative", {"n": n}), ErrorCode.OUT_OF_RANGE)]
        )
    unknown_years: set[int] = set()
    counted = 0
    due: date | None = start
    suspended: date | None = None
    if n:
        for day in _days_after(start):
            pause = next((p for p in pauses if p.contains(day)), None)
            if pause is not None:
                if pause.end is None:
                    due, suspended = None, max(pause.start, start)
                    break
                continue
            working, known = calendar.is_working_day(day)
            if not known:
                unknown_years.add(day.year)
            if working:
                counted += 1
                if counted == n:
                    due = day
                    break
    return Deadline(
        start=start,
        working_days=n,
        due=due,
        days_counted=counted,
        suspended_since=suspended,
        warnings=tuple(unknown_year_warning(y) for y in sorted(unknown_years)),
        warning_texts=tuple(unknown_year_text(y) for y in sorted(unknown_years)),
        provisional_years=tuple(sorted(unknown_years)),
    )


def working_days_between(
    start: date,
    end: date,
    pauses: Sequence[DateRange] = (),
    calendar: HolidayCalendar = PACKAGE_ONLY,
) -> WorkingDayCount:
    """Working days ``d`` with ``start < d <= end`` outside ``pauses``; 0 when ``end <= start``.

    The inverse of :func:`add_working_days`: ``working_days_between(s, add_working_days(s, n).due)``
    is ``n``.
    """
    if end <= start:
        return WorkingDayCount(0)
    if (end - start).days > _MAX_SCAN_DAYS:
        raise InputError(
            [
                said(
                    "end",
                    Text("reviews.calendar.too_long", {"days": _MAX_SCAN_DAYS}),
                    ErrorCode.OUT_OF_RANGE,
                )
            ]
        )
    unknown_years: set[int] = set()
    days = 0
    day = start + _ONE_DAY
    while day <= end:
        if not any(p.contains(day) for p in pauses):
            working, known = calendar.is_working_day(day)
            if not known:
                unknown_years.add(day.year)
            if working:
                days += 1
        day += _ONE_DAY
    return WorkingDayCount(days, tuple(unknown_year_warning(y) for y in sorted(unknown_years)))
