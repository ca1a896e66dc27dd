"""The audit log for the roles that may read it (admins: every event; auditors: their
operator's), filtered by actor, object and dates in China time, newest first, paged, and the
same selection as CSV (streamed a batch at a time, so an export of any length fits)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from procurement.clock import CHINA
from procurement.errors import InputError
from procurement.models import AuditEvent
from procurement.permissions import Action, can
from procurement.registry.audit_log import AuditQuery, audit_log_batches, audit_log_page
from procurement.web.console.audit_labels import audit_actions, object_types
from procurement.web.console.common import (
    field_errors,
    gettext,
    not_allowed,
    number_param,
    page,
    person,
    table,
)
from procurement.web.console.labels import system_actors
from procurement.web.console.spreadsheet import Cell, header_line, row_line

FIELDS = ("actor", "object_type", "object_id", "from", "to")
Gettext = Callable[[str], str]


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _query(request: Request) -> tuple[dict[str, str], dict[str, str], AuditQuery]:
    """The form as typed, its errors by field, and the query (China days as UTC-aware bounds)."""
    _ = gettext(request)
    form = {name: (request.query_params.get(name) or "").strip()[:200] for name in FIELDS}
    errors: dict[str, str] = {}
    object_id = number_param(form["object_id"]) if form["object_id"] else None
    if form["object_id"] and object_id is None:
        errors["object_id"] = _("Give the object's number, for example 12.")
    days: dict[str, date | None] = {}
    for name in ("from", "to"):
        days[name] = _day(form[name]) if form[name] else None
        if form[name] and days[name] is None:
            errors[name] = _("Give a date as YYYY-MM-DD, for example 2025-06-01.")
    since, until = days["from"], days["to"]
    if since and until and until < since:
        errors["to"] = _("The last day comes before the first.")
    query = AuditQuery(
        actor=form["actor"] or None,
        object_type=form["object_type"] or None,
        object_id=object_id,
        since=datetime.combine(since, time(0), CHINA) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(0), CHINA) if until else None,
    )
    return form, errors, query


async def audit_page(request: Request) -> Response:
    principal = person(request)
    if not can(principal, Action.READ_AUDIT):
        return not_allowed(request)
    form, errors, query = _query(request)
    view = table(request, ["id"], "id")
    context: dict[str, Any] = {"form": form, "errors": errors, "view": view, "found": None}
    if errors:
        return page(request, "console/audit.html", context, status_code=400)
    async with request.app.state.sessions() as session:
        try:
            found = await audit_log_page(session, principal, query, view.offset, view.size)
        except InputError as bad:  # an actor text longer than anyone searches for
            context["errors"] = field_errors(request, bad.errors[:1], {"actor": "actor"})[0]
            return page(request, "console/audit.html", context, status_code=400)
    _ = gettext(request)
    context |= {
        "found": found,
        "action_label": audit_actions(_),
        "object_label": object_types(_),
        "system_actor": system_actors(_),
        "page_count": view.pages(found.total_count),
        "csv_url": "/console/audit.csv" + (f"?{request.url.query}" if request.url.query else ""),
        "changes": {e.id: _changes(e) for e in found.events},
    }
    return page(request, "console/audit.html", context)


def _changes(event: AuditEvent) -> str:
    if event.before is None and event.after is None:
        return ""
    return orjson.dumps({"before": event.before, "after": event.after}).decode()


def csv_header(_: Gettext) -> list[str]:
    return [
        _("Event"), _("Time (China)"), _("Actor"), _("Role"), _("Action"), _("Object type"),
        _("Object"), _("Operator"), _("Before"), _("After"),
    ]  # fmt: skip


def csv_row(event: AuditEvent) -> list[Cell]:
    def as_json(value: Any) -> str:
        return "" if value is None else orjson.dumps(value).decode()

    return [
        event.id, event.occurred_at.astimezone(CHINA).isoformat(timespec="seconds"),
        event.actor_name, event.actor_role, event.action, event.object_type, event.object_id,
        event.operator_id, as_json(event.before), as_json(event.after),
    ]  # fmt: skip


async def audit_csv(request: Request) -> Response:
    principal = person(request)
    if not can(principal, Action.READ_AUDIT):
        return not_allowed(request)
    _ = gettext(request)
    _form, errors, query = _query(request)
    if errors:
        text = "\n".join(f"{name}: {message}" for name, message in errors.items())
        return Response(text, status_code=400, media_type="text/plain; charset=utf-8")
    sessions = request.app.state.sessions

    async def body() -> AsyncIterator[bytes]:
        async with sessions() as session:
            batches = audit_log_batches(session, principal, query)
            yield header_line(csv_header(_)).encode("utf-8")
            async for batch in batches:
                yield "".join(row_line(csv_row(e)) for e in batch).encode("utf-8")

    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="audit-log.csv"'},
    )
