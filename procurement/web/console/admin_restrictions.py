"""Restriction lists (admins): every list with its entries; an entry added or removed through
the screening domain (the list changes as a whole, checked, audited, with the rescreen job
enqueued in the same transaction). The page then shows the job, with a link to its page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from procurement.errors import ErrorCode, InputError
from procurement.permissions import Action
from procurement.screening import reads as screening_reads
from procurement.screening.actions import restriction_entries as entry_actions
from procurement.screening.actions import restrictions as list_actions
from procurement.screening.actions.restrictions import RestrictionEntryInput
from procurement.web.console.admin import (
    by_prefix,
    gated,
)
from procurement.web.console.admin_forms import post_form
from procurement.web.console.common import not_found, number_param, page, person
from procurement.web.console.jobs import job_context, visible_job

LISTS_SHOWN = 100


def _list_gone(error: InputError) -> bool:
    return any(e.field == "listId" and e.code is ErrorCode.NOT_FOUND for e in error.errors)


LIST_FIELDS = by_prefix(("name", "source", "publishedOn"))
ENTRY_FIELDS = by_prefix(
    ("listId", "entry.supplierName", "entry.reason", "entry.listedOn", "entry.vendorId")
)


async def _lists_page(
    request: Request,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    principal = person(request)
    async with request.app.state.sessions() as session:
        found = await screening_reads.list_restriction_lists(session, principal, None, LISTS_SHOWN)
        ids = [r.id for r in found.items]
        entries = await screening_reads.entries_by_list_ids(session, principal, ids)
    job = await visible_job(request, number_param(request.query_params.get("job")))
    return page(
        request,
        "console/admin_restrictions.html",
        {
            "lists": found.items, "entries": entries,
            "list_options": [(str(r.id), r.name) for r in found.items],
            "form": dict(form or {}), "errors": errors or {}, "general": general or [],
            **job_context(request, job),
        },
        status_code=status,
    )  # fmt: skip


async def restriction_lists(request: Request) -> Response:
    return await _lists_page(request)


async def add_entry(request: Request) -> Response:
    async def run(session: AsyncSession, values: dict[str, Any], _: FormData) -> str:
        list_id = number_param(values.get("listId"))
        vendor = values.get("entry.vendorId", "").strip()
        entry = RestrictionEntryInput(
            supplier_name=values.get("entry.supplierName", ""),
            reason=values.get("entry.reason", ""),
            listed_on=values.get("entry.listedOn", "").strip() or None,  # type: ignore[arg-type]  # absent: "is required"
            vendor_id=number_param(vendor) if vendor else None,
        )
        _row, job = await entry_actions.add_restriction_entry(
            session, person(request), list_id or 0, entry
        )
        return f"/console/admin/restriction-lists?job={job.id}#list-{list_id}"

    return await post_form(request, run, _lists_page, ENTRY_FIELDS)


async def create_list(request: Request) -> Response:
    """A new, empty list (its entries are added one by one); the job rescreens as for any change."""

    async def run(session: AsyncSession, values: dict[str, Any], _: FormData) -> str:
        published: Any = values.get("publishedOn", "").strip() or None  # absent: "is required"
        data = list_actions.RestrictionListInput(
            name=values.get("name", ""), source=values.get("source", ""), published_on=published
        )
        row, job = await list_actions.update_restriction_list(session, person(request), data)
        return f"/console/admin/restriction-lists?job={job.id}#list-{row.id}"

    return await post_form(request, run, _lists_page, LIST_FIELDS)


async def remove_entry(request: Request) -> Response:
    list_id = number_param(request.path_params["list_id"])
    if list_id is None:
        return not_found(request)

    async def run(session: AsyncSession, _: dict[str, Any], form: FormData) -> str:
        supplier = str(form.get("supplierName") or "")
        _row, job = await entry_actions.remove_restriction_entry(
            session, person(request), list_id, supplier
        )
        return f"/console/admin/restriction-lists?job={job.id}#list-{list_id}"

    async def show(
        request: Request,
        _: Mapping[str, Any],
        __: Mapping[str, str],
        general: list[str],
        status: int,
    ) -> Response:  # the list's own page, without the typed values of another form
        return await _lists_page(request, general=general, status=status)

    def gone(invalid: InputError) -> Response | None:
        return not_found(request) if _list_gone(invalid) else None

    return await post_form(request, run, show, by_prefix(()), refusal=gone)


GUARD = Action.MANAGE_SCREENING
lists_get, list_create = gated(GUARD, restriction_lists), gated(GUARD, create_list)
entry_add, entry_remove = gated(GUARD, add_entry), gated(GUARD, remove_entry)
