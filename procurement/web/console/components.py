"""Component search: which purchases contain a package, optionally in a ``vers:`` range
("log4j-core in vers:maven/<2.17.1"), through the same where-used read as GraphQL's
``componentUsages`` (scoped: a vendor finds only its own purchases). A package URL or range
that cannot be read is said next to its field."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from procurement.errors import InputError
from procurement.registry import reads as registry_reads
from procurement.sboms import reads as sbom_reads
from procurement.sboms.usages import UsagePage, component_usages_page
from procurement.web.console.common import field_errors, page, person, table

FIELDS = {"purl": "purl", "versionRange": "range"}
MAX_INPUT = 2000  # characters kept of a field; longer input is refused by the read's parser


async def component_search(request: Request) -> Response:
    principal = person(request)
    params = request.query_params
    form = {
        "purl": (params.get("purl") or "").strip()[:MAX_INPUT],
        "range": (params.get("range") or "").strip()[:MAX_INPUT],
        "superseded": "on" if params.get("superseded") == "on" else "",
    }
    view = table(request, ["purchase"], "purchase")
    context: dict[str, Any] = {"form": form, "errors": {}, "general": [], "found": None}
    if not form["purl"]:
        return page(request, "console/components.html", context | {"view": view})
    async with request.app.state.sessions() as session:
        try:
            found: UsagePage = await component_usages_page(
                session, principal, form["purl"], form["range"] or None,
                include_superseded=form["superseded"] == "on", offset=view.offset,
                limit=view.size,
            )  # fmt: skip
        except InputError as bad:
            context["errors"], context["general"] = field_errors(request, bad.errors, FIELDS)
            return page(
                request, "console/components.html", context | {"view": view}, status_code=400
            )
        purchase_ids = sorted({u.purchase_id for u in found.usages})
        purchases = await registry_reads.purchases_by_ids(session, principal, purchase_ids)
        vendor_ids = sorted({p.vendor_id for p in purchases.values()})
        vendors = await registry_reads.vendors_by_ids(session, principal, vendor_ids)
        series_ids = sorted({u.version.sbom_id for u in found.usages})
        series = await sbom_reads.series_by_ids(session, principal, series_ids)
    context |= {
        "view": view,
        "found": found,
        "purchases": purchases,
        "vendors": vendors,
        "series": series,
        "page_count": view.pages(found.total_count),
    }
    return page(request, "console/components.html", context)
