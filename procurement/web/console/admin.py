"""The administration index (only the settings pages the person may use, as the permission choke
point decides) and what the admin settings pages share: the gate, the CSRF check of a form, and
a domain error list placed next to the form's fields, several per field (a document or a list
of lines can have many problems), with a conflict said plainly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from procurement.errors import ErrorCode, FieldError
from procurement.permissions import Action, Principal, can
from procurement.web.auth import csrf_presented_ok
from procurement.web.console.common import gettext, not_allowed, page, person
from procurement.web.console.domain_texts import speaker
from procurement.web.console.labels import error_codes
from procurement.web.i18n import CHINESE
from procurement.web.pages import page_language
from procurement.web.signin_routes import refused


@dataclass(frozen=True, slots=True)
class Entry:
    href: str
    title: str
    what: str


def admin_entries(principal: Principal, _: Callable[[str], str]) -> list[Entry]:
    """Each settings page with the action that guards it; only the allowed ones."""
    pages = [
        (Action.MANAGE_ACCOUNTS, "/console/admin/accounts", _("Accounts and API tokens"),
         _("Create people's accounts and API tokens, disable them, end their sessions.")),
        (Action.MANAGE_EXPOSURE_DATA, "/console/admin/exchange-rates", _("Exchange rates"),
         _("The CNY rate of each currency by date, used for exposure and screening.")),
        (Action.MANAGE_EXPOSURE_DATA, "/console/admin/penalty-schedules", _("Penalty schedules"),
         _("The dated fines of Arts. 41 and 39(9) behind exposure, and their versions.")),
        (Action.MANAGE_HOLIDAY_CALENDARS, "/console/admin/holiday-calendars",
         _("Holiday calendars"),
         _("The State Council's days off and adjusted working days that deadlines count with.")),
        (Action.MANAGE_SCREENING, "/console/admin/screening-rules", _("Screening rules"),
         _("Thresholds, severity weights and the rules in use; a change rescreens purchases.")),
        (Action.MANAGE_SCREENING, "/console/admin/restriction-lists", _("Restriction lists"),
         _("Suppliers listed as restricted; a change rescreens purchases.")),
        (Action.MANAGE_SCREENING, "/console/advisories/import", _("Import OSV advisories"),
         _("Vulnerability advisories matched against the components of stored SBOMs.")),
    ]  # fmt: skip
    return [
        Entry(href, title, what) for action, href, title, what in pages if can(principal, action)
    ]


async def admin_index(request: Request) -> Response:
    principal = person(request)
    entries = admin_entries(principal, gettext(request))
    if not entries:
        return not_allowed(request)
    return page(request, "console/admin.html", {"entries": entries})


def gated(
    action: Action, handler: Callable[[Request], Awaitable[Response]]
) -> Callable[[Request], Awaitable[Response]]:
    """A page only for who may do ``action`` (others: the not-allowed page, nothing read)."""

    async def gate(request: Request) -> Response:
        if not can(person(request), action):
            return not_allowed(request)
        return await handler(request)

    return gate


async def checked_form(request: Request) -> FormData | Response:
    """The posted form, or the refusal when it came without its page's CSRF token."""
    form = await request.form()
    if not csrf_presented_ok(request, str(form.get("csrf") or "")):
        return refused(request)
    return form


def text_values(form: FormData) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != "csrf" and isinstance(v, str)}


Placer = Callable[[str | None], tuple[str | None, str]]


def by_prefix(names: Iterable[str]) -> Placer:
    """Place ``field`` or ``field.anything`` / ``field[i]`` under the form field ``field``."""
    known = list(names)

    def place(field: str | None) -> tuple[str | None, str]:
        for name in known:
            if field == name:
                return name, ""
            if field and field.startswith((f"{name}.", f"{name}[")):
                return name, field[len(name) :].lstrip(".")
        return None, field or ""

    return place


def placed_errors(
    request: Request, errors: Iterable[FieldError], place: Placer
) -> tuple[dict[str, str], list[str], int]:
    """(errors by form field, errors of no field, HTTP status). Every problem is kept; a
    conflict (someone else's change came first) says so and answers 409. In Chinese an error with
    a message id is said in Chinese; one without is its code's sentence and the English detail."""
    _ = gettext(request)
    language = page_language(request)
    chinese = language == CHINESE
    by_code = error_codes(_)
    say = speaker(language)
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    conflict = False
    for error in errors:
        is_conflict = error.code is ErrorCode.CONFLICT
        conflict = conflict or is_conflict
        if is_conflict:
            summary = _("Someone changed this after you opened the page; nothing was saved. "
                        "Reload the page and apply your change again.")  # fmt: skip
        else:
            summary = by_code[error.code]
        said = say(error.text, error.message) if chinese else None
        if said is not None and said.lang is None:
            text = f"{summary}{said.text}" if is_conflict else said.text
        else:
            text = f"{summary} ({error.message})" if chinese or is_conflict else error.message
        name, where = place(error.field)
        if where and not is_conflict:
            text = f"{where}：{text}" if chinese else f"{where}: {text}"
        if name is None or is_conflict:
            general.append(text)
        else:
            placed.setdefault(name, []).append(text)
    # Chinese sentences end with their own full stop: one after another, not "。; "
    joined = " " if chinese else "; "
    return {k: joined.join(v) for k, v in placed.items()}, general, 409 if conflict else 422


__all__ = ["admin_index", "checked_form", "gated", "not_allowed", "placed_errors"]
