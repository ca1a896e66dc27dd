"""The exposure data an admin keeps: exchange rates (recorded through the screening's rate use
case, which also rescreens the purchases in that currency) and the penalty schedule set (a new
version stored whole, as GraphQL's ``updatePenaltySchedules`` and the CLI do)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from procurement.exposure import actions as exposure_actions
from procurement.exposure import reads as exposure_reads
from procurement.exposure.fill import enqueued_fill
from procurement.exposure.schedules import Condition, EntityBasis, Law
from procurement.permissions import Action
from procurement.screening.actions import rates
from procurement.web.console.admin import (
    by_prefix,
    gated,
)
from procurement.web.console.admin_forms import post_form
from procurement.web.console.common import gettext, number_param, page, person
from procurement.web.console.jobs import job_context, visible_job
from procurement.web.console.labels import Gettext

RATES_SHOWN = 200
RATE_FIELDS = by_prefix(("currency", "rateToCny", "validFrom", "source"))
SCHEDULE_FIELDS = by_prefix(("document", "note"))


async def _rates_page(
    request: Request,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    async with request.app.state.sessions() as session:
        found = await exposure_reads.exchange_rates(session, person(request))
    job = await visible_job(request, number_param(request.query_params.get("job")))
    # Each currency's newest rate first.
    shown = sorted(found, key=lambda r: (r.currency, -r.valid_from.toordinal()))[:RATES_SHOWN]
    return page(
        request,
        "console/admin_rates.html",
        {
            "rates": shown,
            "form": dict(form or {}), "errors": errors or {}, "general": general or [],
            "saved": request.query_params.get("saved"), **job_context(request, job),
        },
        status_code=status,
    )  # fmt: skip


async def exchange_rates(request: Request) -> Response:
    return await _rates_page(request)


async def record_rate(request: Request) -> Response:
    async def run(session: AsyncSession, values: dict[str, Any], _: FormData) -> str:
        # An empty date is absent (the check says "is required", not "'' is not a date").
        valid_from: Any = values.get("validFrom", "").strip() or None
        row = await rates.set_exchange_rate(
            session, person(request), values.get("currency", "").strip(),
            values.get("rateToCny", "").strip(), valid_from, values.get("source", ""),
        )  # fmt: skip
        # The exposure cache fill the change enqueued, shown on the page with a link to follow it.
        job = enqueued_fill(session)
        saved = f"{row.currency}-{row.valid_from.isoformat()}"
        shown = f"&job={job.id}" if job is not None else ""
        return f"/console/admin/exchange-rates?saved={saved}{shown}"

    return await post_form(request, run, _rates_page, RATE_FIELDS)


# --- penalty schedules ---


async def _schedules_page(
    request: Request,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    principal = person(request)
    async with request.app.state.sessions() as session:
        version, records = await exposure_reads.schedules_document(session, principal)
        versions = await exposure_reads.schedule_versions(session, principal)
    job = await visible_job(request, number_param(request.query_params.get("job")))
    document = orjson.dumps({"schedules": records}, option=orjson.OPT_INDENT_2).decode()
    shown_form = dict(form or {"document": document, "basedOn": str(version)})
    return page(
        request,
        "console/admin_schedules.html",
        {
            "version": version, "versions": versions,
            "records": [_record(r, schedule_labels(gettext(request))) for r in records],
            "form": shown_form, "errors": errors or {}, "general": general or [],
            **job_context(request, job),
        },
        status_code=status,
    )  # fmt: skip


def schedule_labels(_: Gettext) -> dict[str, str]:
    """The schedules' vocabularies (procurement/exposure/schedules.py) as a reader says them."""
    return {
        Law.CII_REGULATIONS_2021: _("CII Security Protection Regulations (2021)"),
        Law.CYBERSECURITY_LAW_2016: _("Cybersecurity Law (2016)"),
        Law.CYBERSECURITY_LAW_2025_AMENDMENT: _("Cybersecurity Law (2025 amendment)"),
        Condition.IMMEDIATE: _("At once (fine mandatory)"),
        Condition.OPTIONAL_AT_ONCE: _("At once (fine discretionary)"),
        Condition.IF_REFUSES_RECTIFICATION_OR_HARM: _("If rectification is refused or harm done"),
        Condition.SERIOUS_HARM: _("Serious harm"),
        Condition.ESPECIALLY_SERIOUS_HARM: _("Especially serious harm"),
        EntityBasis.NONE: _("No fine on the operator"),
        EntityBasis.MULTIPLE_OF_PURCHASE_AMOUNT: _("Multiple of the purchase amount"),
        EntityBasis.FIXED_CNY: _("Fixed amount in CNY"),
    }


def _record(raw: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, str]:
    """A record as the table shows it; any value a stored version holds is shown as text (an
    unknown one as it is)."""

    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else labels.get(str(value), str(value))

    def span(low: str, high: str) -> str:
        return f"{text(low)} – {text(high)}" if raw.get(low) or raw.get(high) else ""

    return {
        "id": text("id"), "law": text("law"), "article": text("article"),
        "condition": text("condition"), "basis": text("entity_basis"),
        "effective": f"{text('effective_from')} – {text('effective_to')}",
        "entity": span("entity_min", "entity_max"), "person": span("person_min", "person_max"),
    }  # fmt: skip


async def penalty_schedules(request: Request) -> Response:
    return await _schedules_page(request)


async def store_schedules(request: Request) -> Response:
    async def run(session: AsyncSession, values: dict[str, Any], _: FormData) -> str:
        based_on = number_param(values.get("basedOn")) if values.get("basedOn") != "0" else 0
        await exposure_actions.update_penalty_schedules(
            session, person(request), values.get("document", ""),
            values.get("note", "").strip() or None,
            based_on=based_on,
        )  # fmt: skip
        job = enqueued_fill(session)
        return "/console/admin/penalty-schedules" + (f"?job={job.id}" if job is not None else "")

    return await post_form(request, run, _schedules_page, SCHEDULE_FIELDS)


GUARD = Action.MANAGE_EXPOSURE_DATA
rates_get, rates_post = gated(GUARD, exchange_rates), gated(GUARD, record_rate)
schedules_get, schedules_post = gated(GUARD, penalty_schedules), gated(GUARD, store_schedules)
