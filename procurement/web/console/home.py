"""The start page: what needs the signed-in person now, by role."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from procurement.agreements import reads as agreement_reads
from procurement.clock import today_in_china
from procurement.enums import CaseState, Role
from procurement.errors import InputError
from procurement.permissions import Action, Principal, can
from procurement.registry import reads as registry_reads
from procurement.reviews import reads as review_reads
from procurement.reviews.calendar import working_days_between
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
        "overdue_cases": None,
        "next_cases": None,
        "days_left": {},
        "unsigned": None,
        "obligations_due": None,
        "obligation_purchase": {},
        "titles": {},
    }
    purchase_ids: set[int] = set()
    today = today_in_china()
    async with request.app.state.sessions() as session:
        if principal.role in (Role.ADMIN, Role.PROCUREMENT, Role.VENDOR):
            awaiting = await sbom_reads.purchases_awaiting_sbom(session, principal, SHOWN)
            context["awaiting_sbom"] = awaiting
        if principal.role in (Role.ADMIN, Role.PROCUREMENT) and can(principal, Action.READ_REVIEWS):
            triage = await review_reads.list_pending_reviews(
                session, principal,
                review_reads.PendingFilter(state=CaseState.PENDING_TRIAGE),
                PendingReviewOrder.DEADLINE, None, SHOWN, today,
            )  # fmt: skip
            context["awaiting_triage"] = triage
            purchase_ids.update(case.purchase_id for case in triage.items)
        if principal.role is Role.REVIEWER:
            purchase_ids.update(await _reviewer_cards(session, principal, today, context))
        if principal.role is Role.LEGAL:
            purchase_ids.update(await _legal_cards(session, principal, today, context))
        if principal.role is Role.VENDOR:
            to_sign = await agreement_reads.agreements_to_sign(session, principal, SHOWN)
            context["to_sign"] = to_sign
            purchase_ids.update(agreement.purchase_id for agreement in to_sign)
        if purchase_ids:
            found = await registry_reads.purchases_by_ids(session, principal, sorted(purchase_ids))
            context["titles"] = {pid: p.title for pid, p in found.items()}
    return page(request, "home.html", context)


async def _reviewer_cards(
    session: AsyncSession, principal: Principal, today: date, context: dict[str, Any]
) -> set[int]:
    """Overdue cases, and the open cases whose deadline comes next (with working days left)."""
    order = PendingReviewOrder.DEADLINE
    overdue = await review_reads.list_pending_reviews(
        session, principal, review_reads.PendingFilter(overdue=True), order, None, SHOWN, today
    )
    upcoming = await review_reads.list_pending_reviews(
        session, principal, review_reads.PendingFilter(overdue=False), order, None, SHOWN, today
    )
    running = [c for c in upcoming.items if c.deadline_due is not None]
    context["overdue_cases"] = overdue
    context["next_cases"] = running
    context["days_left"] = {c.id: _working_days_left(today, c.deadline_due) for c in running}
    return {c.purchase_id for c in [*overdue.items, *running]}


def _working_days_left(today: date, due: date | None) -> int | None:
    try:
        return None if due is None else working_days_between(today, due).days
    except InputError:  # a due date decades away (hand-edited data): leave the cell empty
        return None


async def _legal_cards(
    session: AsyncSession, principal: Principal, today: date, context: dict[str, Any]
) -> set[int]:
    """Purchases without a signed agreement, and the obligations overdue or failed."""
    unsigned = await agreement_reads.purchases_without_agreement(
        session, principal, None, None, SHOWN
    )
    due = await agreement_reads.obligations_due(
        session, principal, agreement_reads.ObligationsDueFilter(as_of=today), None, SHOWN
    )
    context["unsigned"] = unsigned
    context["obligations_due"] = due
    agreements = await agreement_reads.agreements_by_ids(
        session, principal, sorted({d.obligation.agreement_id for d in due.items})
    )
    context["obligation_purchase"] = {
        d.id: agreements[d.obligation.agreement_id].purchase_id
        for d in due.items
        if d.obligation.agreement_id in agreements
    }
    return set(context["obligation_purchase"].values())
