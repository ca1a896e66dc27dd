"""The start page: what needs the signed-in person now, by role."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from procurement.agreements import reads as agreement_reads
from procurement.clock import today_in_china
from procurement.enums import CaseState, Role
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.reviews import reads as review_reads
from procurement.reviews.decisions import PendingReviewOrder
from procurement.sboms import reads as sbom_reads
from procurement.web.console.common import page, person

SHOWN = 10  # rows per list; the register has the rest


async def home(request: Request) -> Response:
    principal = person(request)
    context: dict[str, Any] = {
        "awaiting_triage": None,
        "awaiting_sbom": None,
        "to_sign": None,
        "titles": {},
    }
    purchase_ids: set[int] = set()
    async with request.app.state.sessions() as session:
        if principal.role in (Role.ADMIN, Role.PROCUREMENT, Role.VENDOR):
            awaiting = await sbom_reads.purchases_awaiting_sbom(session, principal, SHOWN)
            context["awaiting_sbom"] = awaiting
        if principal.role in (Role.ADMIN, Role.PROCUREMENT) and can(principal, Action.READ_REVIEWS):
            triage = await review_reads.list_pending_reviews(
                session, principal,
                review_reads.PendingFilter(state=CaseState.PENDING_TRIAGE),
                PendingReviewOrder.DEADLINE, None, SHOWN, today_in_china(),
            )  # fmt: skip
            context["awaiting_triage"] = triage
            purchase_ids.update(case.purchase_id for case in triage.items)
        if principal.role is Role.VENDOR:
            to_sign = await agreement_reads.agreements_to_sign(session, principal, SHOWN)
            context["to_sign"] = to_sign
            purchase_ids.update(agreement.purchase_id for agreement in to_sign)
        if purchase_ids:
            found = await registry_reads.purchases_by_ids(session, principal, sorted(purchase_ids))
            context["titles"] = {pid: p.title for pid, p in found.items()}
    return page(request, "home.html", context)
