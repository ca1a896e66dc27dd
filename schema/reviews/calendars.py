"""Holiday schedules: ``holidayCalendars`` (internal roles) and ``loadHolidayCalendar`` (admins)."""

from __future__ import annotations

from typing import Any

import graphene

from procurement.clock import today_in_china
from procurement.reviews import reads as review_reads
from procurement.reviews.actions import calendars as service
from procurement.reviews.holidays import LOADABLE_YEARS, CalendarStatus
from schema.context import context_of
from schema.core.describe import enum_description
from schema.core.payload import errors_field, run

CalendarStatusEnum = graphene.Enum.from_enum(
    CalendarStatus,
    name="HolidayCalendarStatus",
    description=enum_description(
        "Where a year's working-day calendar comes from.",
        OFFICIAL="From a State Council holiday notice (shipped with the service, or loaded)",
        PROVISIONAL="No notice known: Monday-Friday counted, so dates may move",
    ),
)


class HolidayCalendarYear(graphene.ObjectType):
    """One year of the working-day calendar the review deadlines are counted with."""

    year = graphene.Int(required=True, description="The year")
    status = graphene.Field(
        CalendarStatusEnum,
        required=True,
        description="OFFICIAL: from a State Council notice; PROVISIONAL: none known, "
        "Monday-Friday counted and due dates in the year may still move",
    )
    source = graphene.String(description="The notice (or chinese-calendar x.y); null if none")
    days_off = graphene.List(
        graphene.NonNull(graphene.Date),
        required=True,
        description="Days off, weekends inside a holiday included",
    )
    working_weekends = graphene.List(
        graphene.NonNull(graphene.Date),
        required=True,
        description="Saturdays and Sundays worked in exchange (调休上班)",
    )
    loaded_at = graphene.DateTime(description="Set when an admin loaded the year")
    loaded_by = graphene.String(description="Who loaded it; null unless loaded by an admin")


class LoadHolidayCalendarInput(graphene.InputObjectType):
    """One year's State Council holiday schedule"""

    year = graphene.Int(required=True, description="The year")
    days_off = graphene.List(
        graphene.NonNull(graphene.Date),
        required=True,
        description="Every day off of the notice, weekends inside a holiday included",
    )
    working_weekends = graphene.List(
        graphene.NonNull(graphene.Date),
        required=True,
        description="The Saturdays and Sundays worked in exchange (调休上班)",
    )
    source = graphene.String(required=True, description="The notice, e.g. 国办发明电〔2026〕N号")


class LoadHolidayCalendarPayload(graphene.ObjectType):
    """The result of loadHolidayCalendar"""

    holiday_calendar = graphene.Field(
        HolidayCalendarYear, description="The loaded year; null when errors is not empty"
    )
    recomputed_cases = graphene.Int(
        required=True, description="Open review cases whose due date or provisional flag changed"
    )
    errors = errors_field()


class LoadHolidayCalendar(graphene.Mutation):
    """Load a year's State Council holiday schedule (overrides chinese-calendar for that year)
    and recount every open deadline that reaches it. Admins only."""

    class Arguments:
        input = LoadHolidayCalendarInput(required=True, description="The year's schedule")

    Output = LoadHolidayCalendarPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        raw = dict(input)
        loaded = await run(
            LoadHolidayCalendarPayload,
            "holiday_calendar",
            lambda: ctx.call(
                service.load_holiday_calendar,
                raw["year"],
                list(raw["days_off"]),
                list(raw["working_weekends"]),
                raw["source"],
            ),
        )
        result: service.CalendarLoad | None = loaded.holiday_calendar
        if result is None:
            return LoadHolidayCalendarPayload(
                holiday_calendar=None, recomputed_cases=0, errors=loaded.errors
            )
        years = await ctx.call(review_reads.list_holiday_calendars, result.row.year)
        return LoadHolidayCalendarPayload(
            holiday_calendar=next(y for y in years if y.year == result.row.year),
            recomputed_cases=len(result.recomputed),
            errors=[],
        )


class CalendarQueries(graphene.ObjectType):
    holiday_calendars = graphene.List(
        graphene.NonNull(HolidayCalendarYear),
        required=True,
        through_year=graphene.Int(description="Last year listed (default: next year in China)"),
        description="Each year from chinese-calendar's first to throughYear (or the last known), "
        "with its source and whether it is official; not for vendors",
    )

    @staticmethod
    async def resolve_holiday_calendars(
        _root: Any, info: Any, through_year: int | None = None
    ) -> list[review_reads.CalendarYear]:
        through = through_year if through_year is not None else today_in_china().year + 1
        # Clamped so that no argument can ask for thousands of empty years.
        through = min(max(through, LOADABLE_YEARS[0]), LOADABLE_YEARS[-1])
        return await context_of(info).call(review_reads.list_holiday_calendars, through)


class CalendarMutations(graphene.ObjectType):
    load_holiday_calendar = LoadHolidayCalendar.Field()
