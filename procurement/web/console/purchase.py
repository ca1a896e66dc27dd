"""A purchase's page: its facts, and for the operator's staff its screening findings (factor,
evidence, what to do), review case, SBOMs, agreements and exposure. A vendor sees its own
purchases without the internal parts; anyone else's purchase is "not found"."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from procurement.agreements import reads as agreement_reads
from procurement.clock import today_in_china
from procurement.errors import InputError
from procurement.exposure import reads as exposure_reads
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.reviews import reads as review_reads
from procurement.sboms import reads as sbom_reads
from procurement.screening import reads as screening_reads
from procurement.web.console.common import gettext, not_found, number_param, page, person
from procurement.web.console.labels import factors


async def purchase_page(request: Request) -> Response:
    principal = person(request)
    purchase_id = number_param(request.path_params["purchase_id"])
    if purchase_id is None:
        return not_found(request)
    ids = [purchase_id]
    context: dict[str, Any] = {
        "persons": [], "system": None, "screening": None, "case": None, "exposure": None,
        "exposure_problem": None,
    }  # fmt: skip
    async with request.app.state.sessions() as session:
        purchase = (await registry_reads.purchases_by_ids(session, principal, ids)).get(purchase_id)
        if purchase is None:
            return not_found(request)
        vendors = await registry_reads.vendors_by_ids(session, principal, [purchase.vendor_id])
        if can(principal, Action.READ_INTERNAL_FIELDS):
            persons = await registry_reads.persons_by_purchase_ids(session, principal, ids)
            context["persons"] = persons.get(purchase_id, [])
            if purchase.cii_system_id is not None:
                systems = await registry_reads.cii_systems_by_ids(
                    session, principal, [purchase.cii_system_id]
                )
                context["system"] = systems.get(purchase.cii_system_id)
        if can(principal, Action.READ_SCREENING):
            found = await screening_reads.screenings_by_purchase_ids(session, principal, ids)
            context["screening"] = found.get(purchase_id)
        if can(principal, Action.READ_REVIEWS):
            cases = await review_reads.cases_by_purchase_ids(session, principal, ids)
            context["case"] = cases.get(purchase_id)
        if can(principal, Action.READ_EXPOSURE):
            try:
                context["exposure"] = await exposure_reads.purchase_exposure(
                    session, principal, purchase_id, today_in_china()
                )
            except InputError as why:  # cancelled, a missing exchange rate...: say which
                context["exposure_problem"] = why.errors[0]
        versions = await sbom_reads.current_versions_by_purchase_ids(session, principal, ids)
        agreements = await agreement_reads.agreements_by_purchase_ids(session, principal, ids)
    context |= {
        "purchase": purchase,
        "vendor": vendors.get(purchase.vendor_id),
        "sboms": versions.get(purchase_id, []),
        "agreements": agreements.get(purchase_id, []),
        "factor": factors(gettext(request)),
        "may_edit": can(principal, Action.MANAGE_PURCHASES),
        "may_upload": can(principal, Action.UPLOAD_SBOM),
    }
    return page(request, "console/purchase.html", context)
