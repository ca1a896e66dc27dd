"""The one way an admin page takes a posted form: the CSRF check, the use case run in one
session, and then either the redirect to the page's result or the page again with each error
placed next to its field (what was typed kept; nothing changed). The exchange-rate, penalty
schedule, restriction list, holiday calendar and screening rule forms all go through it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from procurement.errors import InputError, PermissionDenied
from procurement.web.console.admin import Placer, checked_form, placed_errors, text_values
from procurement.web.console.common import not_allowed

# The use case: (session, the form's text values, the form) -> where to go when it is done.
# It may add to the values (what the page shows again on a refusal).
Run = Callable[[AsyncSession, dict[str, Any], FormData], Awaitable[str]]


# The page again: (request, the values typed, errors by field, errors of no field, status).
Show = Callable[
    [Request, Mapping[str, Any], Mapping[str, str], list[str], int], Awaitable[Response]
]


async def post_form(
    request: Request,
    run: Run,
    show: Show,
    place: Placer,
    *,
    refusal: Callable[[InputError], Response | None] | None = None,
) -> Response:
    """Run the posted form through ``run``; ``refusal`` may answer an error its own way (a
    list removed meanwhile: the not-found page) before the errors are placed."""
    form = await checked_form(request)
    if isinstance(form, Response):
        return form
    values: dict[str, Any] = text_values(form)
    async with request.app.state.sessions() as session:
        try:
            target = await run(session, values, form)
        except PermissionDenied:
            return not_allowed(request)
        except InputError as invalid:
            answer = refusal(invalid) if refusal is not None else None
            if answer is not None:
                return answer
            placed, general, status = placed_errors(request, invalid.errors, place)
            return await show(request, values, placed, general, status)
    return RedirectResponse(target, status_code=303)
