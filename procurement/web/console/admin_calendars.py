"""Holiday calendars (admins): the years on record, each with its days off and adjusted working
days, and the loading of a year's State Council schedule, pasted one date a line, through the
same use case as GraphQL's ``loadHolidayCalendar`` and ``procurement calendar load`` (a year
loaded again is replaced; the open deadlines it reaches are recounted). A problem with a date is
shown with its line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from procurement.clock import today_in_china
from procurement.permissions import Action
from procurement.reviews import reads as review_reads
from procurement.reviews.actions import calendars
from procurement.reviews.holidays import LOADABLE_YEARS
from procurement.web.console.admin import (
    Placer,
    gated,
)
from procurement.web.console.admin_forms import post_form
from procurement.web.console.common import gettext, page, person

LISTS = ("daysOff", "workingWeekends")
_ITEM = re.compile(r"^(daysOff|workingWeekends)\[(\d+)\]$")


def lines(text: str) -> list[str]:
    """The non-blank lines of a pasted list (a date per line; commas also separate)."""
    return [part.strip() for part in re.split(r"[\n,]", text) if part.strip()]


def _placer(request: Request) -> Placer:
    _ = gettext(request)

    def place(field: str | None) -> tuple[str | None, str]:
        item = _ITEM.match(field or "")
        if item:
            return item.group(1), _("line {line}").format(line=int(item.group(2)) + 1)
        if field in (*LISTS, "year", "source"):
            return field, ""
        return None, field or ""

    return place


async def _calendars_page(
    request: Request,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    through = min(today_in_china().year + 1, LOADABLE_YEARS[-1])
    async with request.app.state.sessions() as session:
        years = await review_reads.list_holiday_calendars(session, person(request), through)
    return page(
        request,
        "console/admin_calendars.html",
        {
            "years": sorted(years, key=lambda y: -y.year),
            "form": dict(form or {"year": str(through)}), "errors": errors or {},
            "general": general or [], "loaded": _loaded(request.query_params.get("loaded")),
        },
        status_code=status,
    )  # fmt: skip


def _loaded(value: str | None) -> tuple[int, int] | None:
    """(year, deadlines recounted) from the redirect after a load."""
    found = re.fullmatch(r"(\d{4})-(\d{1,9})", value or "")
    return None if found is None else (int(found.group(1)), int(found.group(2)))


async def holiday_calendars(request: Request) -> Response:
    return await _calendars_page(request)


async def load_calendar(request: Request) -> Response:
    async def run(session: AsyncSession, values: dict[str, Any], _: FormData) -> str:
        raw_year = values.get("year", "").strip()
        year: object = (
            int(raw_year)
            if raw_year.isascii() and raw_year.isdigit() and len(raw_year) <= 4
            else raw_year
        )
        loaded = await calendars.load_holiday_calendar(
            session, person(request), year, lines(values.get("daysOff", "")),
            lines(values.get("workingWeekends", "")), values.get("source", ""),
        )  # fmt: skip
        done = f"{loaded.row.year}-{len(loaded.recomputed)}"
        return f"/console/admin/holiday-calendars?loaded={done}"

    return await post_form(request, run, _calendars_page, _placer(request))


GUARD = Action.MANAGE_HOLIDAY_CALENDARS
calendars_get, calendars_post = gated(GUARD, holiday_calendars), gated(GUARD, load_calendar)
