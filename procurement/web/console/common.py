"""What every console page shares: the signed-in person, rendering with formats and labels,
the not-found and not-allowed pages, paged and sorted tables driven by query parameters, and
a form's errors placed next to their fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from procurement.errors import FieldError
from procurement.permissions import Principal
from procurement.web.console.domain_texts import speaker
from procurement.web.console.formatting import Formats
from procurement.web.console.labels import all_labels, error_codes
from procurement.web.i18n import CHINESE, translations
from procurement.web.pages import page_language, render

E = TypeVar("E", bound=StrEnum)
PAGE_SIZES = (25, 50, 100)


def person(request: Request) -> Principal:
    """The signed-in person (every console route is behind the sign-in gate)."""
    principal: Principal = request.state.person
    return principal


def gettext(request: Request) -> Any:
    return translations(page_language(request)).gettext


def page(
    request: Request, template: str, context: Mapping[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    language = page_language(request)
    return render(
        request,
        template,
        {
            "fmt": Formats(language),
            "label": all_labels(language),
            "say": speaker(language),
            **context,
        },
        status_code=status_code,
    )


def not_found(request: Request) -> HTMLResponse:
    """Something that does not exist and something the person may not see look the same."""
    return page(request, "not_found.html", {}, status_code=404)


def not_allowed(request: Request) -> HTMLResponse:
    return page(request, "not_allowed.html", {}, status_code=403)


def number_param(value: str | None) -> int | None:
    """A positive id from a URL, else None (shown as not found, never an error page)."""
    # isascii: "²" is a digit to str.isdigit, but int() refuses it.
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    number = int(value)
    return number if number > 0 else None


# --- tables ---


@dataclass(frozen=True, slots=True)
class Table:
    """Paging and sorting of one table, read from the query string (bad values: the default)."""

    page: int
    size: int
    sort: str
    descending: bool
    params: dict[str, str]  # every query parameter the page was opened with (filters too)
    path: str

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def url(self, **changes: str | int | None) -> str:
        query = {k: v for k, v in self.params.items() if k != "lang"}
        for key, value in changes.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = str(value)
        return f"{self.path}?{urlencode(query)}" if query else self.path

    def sort_url(self, column: str) -> str:
        """The header link: sort by this column, or turn the order round if it is the one."""
        descending = column == self.sort and not self.descending
        return self.url(sort=column, dir="desc" if descending else "asc", page=None)

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    def pages(self, total: int) -> int:
        return max(1, -(-total // self.size))


def table(request: Request, sortable: Iterable[str], default_sort: str) -> Table:
    params = dict(request.query_params)
    page_number = number_param(params.get("page")) or 1
    size = number_param(params.get("size"))
    sort = params.get("sort", default_sort)
    return Table(
        page=page_number,
        size=size if size in PAGE_SIZES else PAGE_SIZES[0],
        sort=sort if sort in set(sortable) else default_sort,
        descending=params.get("dir") == "desc",
        params=params,
        path=request.url.path,
    )


def choice(value: str | None, vocabulary: type[E]) -> E | None:
    """A filter's value, or None when absent or not one of the vocabulary's."""
    try:
        return vocabulary(value) if value else None
    except ValueError:
        return None


# --- form errors ---


def field_errors(
    request: Request, errors: Iterable[FieldError], fields: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Each error under the form field it concerns (``fields`` maps the domain's field paths to
    the form's names); errors of no field go to the top of the form. In Chinese the code says
    what is wrong and the detail follows, in Chinese where the error carries a message id (then
    the detail alone says it); in English the domain's own message is precise."""
    _ = gettext(request)
    language = page_language(request)
    chinese = language == CHINESE
    by_code = error_codes(_)
    say = speaker(language)
    placed: dict[str, str] = {}
    general: list[str] = []
    for error in errors:
        text = error.message
        if chinese:
            said = say(error.text, error.message)
            text = said.text if said.lang is None else f"{by_code[error.code]} ({error.message})"
        name = fields.get(error.field or "")
        if name is None:
            general.append(text)
        else:
            placed.setdefault(name, text)
    return placed, general


MACHINE_PATHS = ("/api/", "/graphql", "/static/", "/healthz")


async def unknown_address(request: Request, error: Exception) -> Response:
    """A 404 from routing: a page for people, the plain answer for programs and assets."""
    assert isinstance(error, HTTPException)
    if error.status_code == 404 and not request.url.path.startswith(MACHINE_PATHS):
        return not_found(request)
    return PlainTextResponse(error.detail, status_code=error.status_code, headers=error.headers)
