"""Legal's page of a purchase's Art. 20 agreements: each agreement with its state and downloads
(.docx, PDF and the signed copy, served by procurement/web/downloads.py, which reads the session
cookie on a GET), the forms to generate one (template, language, overrides) and to record it
sent or signed, and its obligations with their supervision checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from procurement.agreements import reads as agreement_reads
from procurement.agreements.actions.templates import DEFAULT_TEMPLATE_ID
from procurement.agreements.lifecycle import SignatoryParty
from procurement.agreements.pdf import find_soffice
from procurement.clock import today_in_china
from procurement.enums import AgreementState, CheckResult
from procurement.errors import PermissionDenied
from procurement.models import AgreementTemplate
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.web.console.common import gettext, not_found, number_param, page, person
from procurement.web.console.labels import (
    Gettext,
    agreement_overrides,
    check_results,
    obligation_states,
)

TEMPLATE_CHOICES = 100


def template_options(templates: list[AgreementTemplate], _: Gettext) -> list[tuple[str, str]]:
    """``id@version`` choices, newest first; the shipped template (newest version) always."""
    newest = [(DEFAULT_TEMPLATE_ID, _("{id}, newest version").format(id=DEFAULT_TEMPLATE_ID))]
    seen = {(t.template_id, t.version) for t in templates}
    ordered = sorted(seen, key=lambda k: (k[0] != DEFAULT_TEMPLATE_ID, k[0], -k[1]))
    return newest + [(f"{tid}@{version}", f"{tid} v{version}") for tid, version in ordered]


async def agreements_context(
    request: Request, purchase_id: int, form: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """What the page shows, or None when the purchase is not the person's to see."""
    principal = person(request)
    ids = [purchase_id]
    async with request.app.state.sessions() as session:
        purchase = (await registry_reads.purchases_by_ids(session, principal, ids)).get(purchase_id)
        if purchase is None:
            return None
        by_purchase = await agreement_reads.agreements_by_purchase_ids(session, principal, ids)
        agreements = by_purchase.get(purchase_id, [])
        agreement_ids = [a.id for a in agreements]
        try:
            obligations = await agreement_reads.obligations_by_agreement_ids(
                session, principal, agreement_ids
            )
            checks = await agreement_reads.checks_by_obligation_ids(
                session, principal, [o.id for found in obligations.values() for o in found]
            )
        except PermissionDenied:  # vendors see their agreements, not how they are supervised
            obligations, checks = {}, {}
        templates: list[AgreementTemplate] = []
        if can(principal, Action.MANAGE_AGREEMENTS):
            templates = (
                await agreement_reads.list_agreement_templates(
                    session, principal, None, TEMPLATE_CHOICES
                )
            ).items
    _ = gettext(request)
    return {
        "purchase": purchase, "agreements": sorted(agreements, key=lambda a: -a.id),
        "obligations": obligations, "checks": checks, "today": today_in_china(),
        "template_options": template_options(templates, _),
        "override_fields": agreement_overrides(_),
        "may_manage": can(principal, Action.MANAGE_AGREEMENTS),
        "may_check": can(principal, Action.RECORD_SUPERVISION),
        # Without LibreOffice the PDF route answers 503: say so instead of offering the link.
        "pdf_available": find_soffice() is not None,
        "check_result": check_results(_), "obligation_state": obligation_states(_),
        "parties": list(SignatoryParty), "results": list(CheckResult),
        "DRAFT": AgreementState.DRAFT, "SENT": AgreementState.SENT,
        "SIGNED": AgreementState.SIGNED, "TERMINATED": AgreementState.TERMINATED,
        "form": dict(form or {"language": "zh", "template": DEFAULT_TEMPLATE_ID}),
        "errors": {}, "problems": [], "failed_form": None,
    }  # fmt: skip


async def agreements_page(request: Request) -> Response:
    purchase_id = number_param(request.path_params["purchase_id"])
    context = None if purchase_id is None else await agreements_context(request, purchase_id)
    if context is None:
        return not_found(request)
    return page(request, "console/agreements.html", context)
