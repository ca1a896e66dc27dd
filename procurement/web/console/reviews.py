"""The reviewers' pages: the pending-review queue (ordered by deadline, risk or value, filtered,
overdue and provisional deadlines marked) and a case's page (its timeline, the deadline and how
it was counted, the Art. 8 checklist with its attachments, and the next steps allowed now)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from procurement.clock import today_in_china
from procurement.enums import Severity
from procurement.models import ReviewCase
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.reviews import DECLARATION_CHECKLIST, OPEN_STATES, allowed_events
from procurement.reviews import reads as review_reads
from procurement.reviews.deadlines import DEADLINE_RULES, deadline_of, is_past_due
from procurement.reviews.decisions import PendingReviewOrder
from procurement.reviews.reads import SORT_KEY_TYPES, CaseKey, PendingFilter
from procurement.reviews.state_machine import CaseState
from procurement.web.console.common import (
    choice,
    gettext,
    not_allowed,
    not_found,
    number_param,
    page,
    person,
)
from procurement.web.console.labels import (
    case_events,
    materials,
    review_orders,
    review_steps,
    system_actors,
)

PAGE_SIZE = 25
SEVERITY_CHOICES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


def _cursor(case: ReviewCase, order: PendingReviewOrder) -> str:
    """The queue's "next page" position: the last row's sort key and id."""
    key, pk = review_reads.case_key(case, order)
    return f"{'' if key is None else key}~{pk}"


def _after(value: str | None, order: PendingReviewOrder) -> CaseKey | None:
    """A position from the query string; a malformed one starts from the top."""
    key, _, pk = (value or "").partition("~")
    number = number_param(pk)
    if number is None:
        return None
    if not key:
        return None, number
    kind = SORT_KEY_TYPES[order]
    try:
        parsed: date | int | Decimal = (
            date.fromisoformat(key) if kind is date else int(key) if kind is int else Decimal(key)
        )
    except (ValueError, InvalidOperation):
        return None
    return parsed, number


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


async def review_queue(request: Request) -> Response:
    principal = person(request)
    if not can(principal, Action.READ_REVIEWS):
        return not_allowed(request)
    params = request.query_params
    order = choice(params.get("order"), PendingReviewOrder) or PendingReviewOrder.DEADLINE
    state = choice(params.get("state"), CaseState)
    severity = choice(params.get("severity"), Severity)
    filters = PendingFilter(
        state=state if state in OPEN_STATES else None,
        min_severity=severity,
        vendor_id=number_param(params.get("vendor")),
        overdue=_yes_no(params.get("overdue")),
        provisional=True if params.get("provisional") == "yes" else None,
        assigned_to_me=True if params.get("mine") == "yes" else None,
    )
    today = today_in_china()
    after = _after(params.get("after"), order)
    async with request.app.state.sessions() as session:
        found = await review_reads.list_pending_reviews(
            session, principal, filters, order, after, PAGE_SIZE, today
        )
        ids = sorted({c.purchase_id for c in found.items})
        purchases = await registry_reads.purchases_by_ids(session, principal, ids)
        vendors = await registry_reads.list_vendors(session, principal, None, 500)
    query = {k: v for k, v in params.items() if k not in ("after", "lang")}
    here = f"/console/reviews?{urlencode(query)}" if query else "/console/reviews"
    joiner = "&" if query else "?"
    return page(
        request,
        "console/reviews.html",
        {
            "found": found, "purchases": purchases, "vendors": vendors.items, "today": today,
            "order": order, "orders": list(PendingReviewOrder), "filters": filters,
            "open_states": [s for s in CaseState if s in OPEN_STATES],
            "severities": SEVERITY_CHOICES, "order_label": review_orders(gettext(request)),
            "first_url": here if after is not None else None,
            "next_url": (
                f"{here}{joiner}{urlencode({'after': _cursor(found.items[-1], order)})}"
                if found.has_next else None
            ),
            "overdue": {c.id: is_past_due(c.deadline_due, today) for c in found.items},
        },
    )  # fmt: skip


async def case_context(request: Request, case_id: int) -> dict[str, Any] | None:
    """Everything the case page shows, or None when the case is not the person's to see."""
    principal = person(request)
    if not can(principal, Action.READ_REVIEWS):
        return None
    today = today_in_china()
    async with request.app.state.sessions() as session:
        case = (await review_reads.cases_by_ids(session, principal, [case_id])).get(case_id)
        if case is None:
            return None
        events = (await review_reads.events_by_case_ids(session, principal, [case_id])).get(
            case_id, []
        )
        pauses = (await review_reads.pauses_by_case_ids(session, principal, [case_id])).get(
            case_id, []
        )
        files = (await review_reads.attachments_by_case_ids(session, principal, [case_id])).get(
            case_id, []
        )
        rules = await review_reads.read_counting_rules(session, principal)
        may_act = can(principal, Action.MANAGE_REVIEWS)
        reviewers = (
            await review_reads.assignable_reviewers(session, principal, case)
            if may_act and case.state in OPEN_STATES
            else []
        )
        purchase = (
            await registry_reads.purchases_by_ids(session, principal, [case.purchase_id])
        ).get(case.purchase_id)
        vendor = (await registry_reads.vendors_by_ids(session, principal, [case.vendor_id])).get(
            case.vendor_id
        )
    _ = gettext(request)
    deadline = deadline_of(case, pauses, rules)
    events_allowed = {e.value for e in allowed_events(case.state)}
    return {
        "case": case, "purchase": purchase, "vendor": vendor, "events": events, "today": today,
        "pauses": pauses, "deadline": deadline, "rule": DEADLINE_RULES.get(case.state),
        "overdue": is_past_due(case.deadline_due, today),
        "awaiting": any(p.received_on is None for p in pauses),
        "checklist": [(item, [f for f in files if f.material is item.material])
                      for item in DECLARATION_CHECKLIST],
        "allowed": events_allowed, "clock_runs": case.state in DEADLINE_RULES,
        "may_act": may_act, "open": case.state in OPEN_STATES, "reviewers": reviewers,
        "mine": case.assigned_account_id is not None
        and case.assigned_account_id == principal.account_id,
        "event_label": case_events(_), "material": materials(_), "step": review_steps(_),
        "system_actor": system_actors(_),
        "problems": [], "form": {}, "failed_step": None,
    }  # fmt: skip


async def case_page(request: Request) -> Response:
    case_id = number_param(request.path_params["case_id"])
    context = None if case_id is None else await case_context(request, case_id)
    if context is None:
        return not_found(request)
    return page(request, "console/review_case.html", context)
