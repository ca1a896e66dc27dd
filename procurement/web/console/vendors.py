"""The vendors and the restriction lists that name them (for the operator's staff)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from procurement.errors import InputError
from procurement.paging import Page
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.web.console.common import (
    field_errors,
    not_allowed,
    number_param,
    page,
    person,
)

PAGE_SIZE = 50


async def vendor_list(request: Request) -> Response:
    principal = person(request)
    if not can(principal, Action.READ_SCREENING):
        return not_allowed(request)
    after = number_param(request.query_params.get("after"))
    search = (request.query_params.get("q") or "").strip()[:200] or None
    problem = None
    async with request.app.state.sessions() as session:
        try:
            found = await registry_reads.list_vendors(session, principal, after, PAGE_SIZE, search)
        except InputError as bad:
            found = Page(items=[], has_next=False, total_count=0)
            problem = field_errors(request, bad.errors[:1], {})[1][0]
        ids = [v.id for v in found.items]
        listings = await registry_reads.restrictions_by_vendor_ids(session, principal, ids)
    return page(
        request,
        "console/vendors.html",
        {"found": found, "listings": listings, "search": search or "", "problem": problem},
    )
