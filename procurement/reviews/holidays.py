"""The State Council's holiday schedules as data: which days are off and which weekends are worked.

Each autumn the State Council's General Office publishes the next year's schedule (国务院办公厅关于
XXXX年部分节假日安排的通知): statutory holidays with their bridging days off, and the weekend days
worked in exchange (调休上班). The ``chinese_calendar`` package ships the notices of the years it
knows; a year an admin loads (:class:`YearSchedule`) overrides the package for that year. A year
nobody knows is counted Monday-Friday and is *provisional*: its due dates may still move.

Pure: the store builds a :class:`HolidayCalendar` from the table and passes it in.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import chinese_calendar
from chinese_calendar import constants as package_data

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.reviews.messages import said
from procurement.texts import Param, Text

PACKAGE_SOURCE = f"chinese-calendar {importlib.metadata.version('chinese_calendar')}"
PACKAGE_YEARS = range(
    min(d.year for d in package_data.holidays), max(d.year for d in package_data.holidays) + 1
)
# Loadable years: the holiday system in its current form dates from 1999; 2100 is far enough.
LOADABLE_YEARS = range(2000, 2101)
MAX_SOURCE = 500
_SATURDAY, _SUNDAY = 5, 6


class CalendarStatus(StrEnum):
    OFFICIAL = "OFFICIAL"  # from a State Council notice (shipped by the package, or loaded)
    PROVISIONAL = "PROVISIONAL"  # no notice known: Monday-Friday counted, dates may move


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's notice: ``days_off`` (any weekday), ``working_weekends`` (Saturdays/Sundays)."""

    year: int
    days_off: frozenset[date]
    working_weekends: frozenset[date]
    source: str

    def is_working_day(self, day: date) -> bool:
        if day in self.days_off:
            return False
        return day in self.working_weekends or day.weekday() < _SATURDAY


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """The package's years plus the loaded ones (which win)."""

    loaded: Mapping[int, YearSchedule] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, schedules: Iterable[YearSchedule]) -> HolidayCalendar:
        return cls(MappingProxyType({s.year: s for s in schedules}))

    def status(self, year: int) -> CalendarStatus:
        known = year in self.loaded or year in PACKAGE_YEARS
        return CalendarStatus.OFFICIAL if known else CalendarStatus.PROVISIONAL

    def is_working_day(self, day: date) -> tuple[bool, bool]:
        """``(is_working_day, official)``; Monday-Friday and not official for an unknown year."""
        schedule = self.loaded.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day), True
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day)), True
        return day.weekday() < _SATURDAY, False

    def schedule(self, year: int) -> YearSchedule | None:
        """The year's schedule as data: the loaded one, else the package's, else None."""
        if year in self.loaded:
            return self.loaded[year]
        if year not in PACKAGE_YEARS:
            return None
        return YearSchedule(
            year,
            frozenset(d for d in package_data.holidays if d.year == year),
            frozenset(d for d in package_data.workdays if d.year == year),
            PACKAGE_SOURCE,
        )


PACKAGE_ONLY = HolidayCalendar()


def _dates(
    errors: list[FieldError], name: str, values: Sequence[Any], year: int
) -> dict[date, str]:
    """The valid, distinct dates of ``values``, each with its located field name."""
    out: dict[date, str] = {}
    for i, raw in enumerate(values):
        where = f"{name}[{i}]"
        try:
            day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            errors.append(said(where, Text("reviews.holidays.not_a_date", {"value": str(raw)})))
            continue
        if day.year != year:
            errors.append(
                said(
                    where,
                    Text("reviews.holidays.other_year", {"day": day.isoformat(), "year": year}),
                    ErrorCode.OUT_OF_RANGE,
                )
            )
        elif day in out:
            errors.append(
                said(
                    where,
                    Text("reviews.holidays.twice", {"day": day.isoformat()}),
                    ErrorCode.DUPLICATE,
                )
            )
        else:
            out[day] = where
    return out


def _weekend_errors(off: dict[date, str], worked: dict[date, str]) -> list[FieldError]:
    errors: list[FieldError] = []
    for day, where in worked.items():
        if day.weekday() < _SATURDAY:
            errors.append(
                said(
                    where,
                    Text(
                        "reviews.holidays.weekday",
                        {
                            "day": day.isoformat(),
                            "weekday": Text(f"reviews.weekday.{day.weekday()}", {}),
                        },
                    ),
                )
            )
        elif day in off:
            errors.append(
                said(
                    where,
                    Text("reviews.holidays.also_off", {"day": day.isoformat(), "where": off[day]}),
                    ErrorCode.CONFLICT,
                )
            )
    if off and all(d.weekday() >= _SATURDAY for d in off):
        errors.append(said("daysOff", Text("reviews.holidays.weekends_only", {})))
    return errors


def validate_schedule(
    year: Any, days_off: Sequence[Any], working_weekends: Sequence[Any], source: Any
) -> YearSchedule:
    """A :class:`YearSchedule` from an admin's input, or every problem at once (InputError)."""
    if isinstance(year, bool) or not isinstance(year, int) or year not in LOADABLE_YEARS:
        years: dict[str, Param] = {
            "first": LOADABLE_YEARS[0],
            "last": LOADABLE_YEARS[-1],
            "value": repr(year),
        }
        raise InputError(
            [said("year", Text("reviews.holidays.year", years), ErrorCode.OUT_OF_RANGE)]
        )
    errors: list[FieldError] = []
    text = source.strip() if isinstance(source, str) else ""
    if not text:
        errors.append(said("source", Text("reviews.holidays.source", {}), ErrorCode.REQUIRED))
    elif len(text) > MAX_SOURCE:
        errors.append(
            said("source", Text("input.too_long", {"max": MAX_SOURCE}), ErrorCode.OUT_OF_RANGE)
        )
    lists: dict[str, Sequence[Any]] = {}
    for name, value in (("daysOff", days_off), ("workingWeekends", working_weekends)):
        # A file read by the CLI may hold anything; a string would otherwise pass as a list.
        if isinstance(value, str) or not isinstance(value, Sequence):
            errors.append(said(name, Text("reviews.holidays.list", {})))
        lists[name] = value if isinstance(value, list | tuple) else []
    if isinstance(days_off, list | tuple) and not days_off:
        errors.append(said("daysOff", Text("reviews.holidays.no_day_off", {}), ErrorCode.REQUIRED))
    off = _dates(errors, "daysOff", lists["daysOff"], year)
    worked = _dates(errors, "workingWeekends", lists["workingWeekends"], year)
    errors.extend(_weekend_errors(off, worked))
    if errors:
        raise InputError(errors)
    return YearSchedule(year, frozenset(off), frozenset(worked), text)
