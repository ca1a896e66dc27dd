"""The purchase register: filters (status, verdict, vendor, category, CII system), sorting and
numbered pages, all in the query string so that a view can be bookmarked and shared."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from procurement.enums import PurchaseCategory, PurchaseStatus, Verdict
from procurement.errors import InputError
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.registry.reads import RegisterQuery, RegisterSort
from procurement.web.console.common import (
    choice,
    field_errors,
    number_param,
    page,
    person,
    table,
)

VENDOR_CHOICES = 500  # vendors offered in the filter; a longer list is searched by name


async def purchase_register(request: Request) -> Response:
    principal = person(request)
    params = request.query_params
    view = table(request, [s.value for s in RegisterSort], RegisterSort.ID.value)
    internal = can(principal, Action.READ_SCREENING)
    query = RegisterQuery(
        status=choice(params.get("status"), PurchaseStatus),
        verdict=choice(params.get("verdict"), Verdict) if internal else None,
        vendor_id=number_param(params.get("vendor")),
        category=choice(params.get("category"), PurchaseCategory),
        cii_system_id=number_param(params.get("system")) if internal else None,
        search=(params.get("q") or "").strip()[:200] or None,
        sort=RegisterSort(view.sort),
        descending=view.descending,
        offset=view.offset,
        limit=view.size,
    )
    context: dict[str, Any] = {"view": view, "query": query, "internal": internal, "problem": None}
    async with request.app.state.sessions() as session:
        try:
            found = await registry_reads.purchase_register(session, principal, query)
        except InputError as bad:  # a search text the database cannot take, said plainly
            found = registry_reads.RegisterPage(rows=[], total_count=0)
            context["problem"] = field_errors(request, bad.errors[:1], {})[1][0]
        vendors = await registry_reads.list_vendors(session, principal, None, VENDOR_CHOICES)
        systems = await registry_reads.cii_systems_for(session, principal) if internal else []
    context |= {
        "found": found,
        "vendors": vendors.items,
        "systems": systems,
        "page_count": view.pages(found.total_count),
        "may_register": can(principal, Action.MANAGE_PURCHASES),
        "sortable": [s.value for s in RegisterSort],
    }
    return page(request, "console/purchases.html", context)
