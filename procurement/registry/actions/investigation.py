"""Marking a purchase as under investigation: the authority has discovered the act, so the
limitation period of Administrative Penalty Law Art. 36 no longer runs out for it
(procurement.exposure.limitation). Procurement staff, legal and admins of its operator."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.clock import today_in_china
from procurement.concurrency import check_expected_version
from procurement.db import utcnow
from procurement.enums import PurchaseStatus
from procurement.errors import ErrorCode, NotFound, PermissionDenied
from procurement.models import Purchase
from procurement.permissions import Action, Principal, require, require_operator_access
from procurement.registry.actions.purchases import purchase_change
from procurement.registry.messages import ERRORS
from procurement.texts import Text
from procurement.validation import Checker


@purchase_change
async def mark_under_investigation(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    since: date | str | None,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Purchase:
    """Record the day the authority took the purchase up; ``since`` None clears a mark made in
    error (the purchase is then assumed undiscovered again)."""
    require(principal, Action.RECORD_INVESTIGATION)
    purchase = await session.get(Purchase, purchase_id)
    if purchase is None:
        raise NotFound("id", "purchase", purchase_id)
    try:
        require_operator_access(principal, purchase.operator_id)
    except PermissionDenied:
        raise NotFound("id", "purchase", purchase_id) from None  # don't reveal it exists
    check_expected_version("purchase", purchase.version, expected_version)
    today = today or today_in_china()
    check = Checker()
    when = check.date_value("since", since, required=False) if since is not None else None
    if when is not None and when > today:
        future = Text(
            "registry.investigation.future", {"day": when.isoformat(), "today": today.isoformat()}
        )
        check.fail("since", future, ErrorCode.OUT_OF_RANGE, ERRORS)
    if when is not None and when < purchase.contract_date:
        days = {"day": when.isoformat(), "contract": purchase.contract_date.isoformat()}
        early = Text("registry.investigation.before_contract", days)
        check.fail("since", early, ErrorCode.OUT_OF_RANGE, ERRORS)
    if since is None and purchase.under_investigation_since is None:
        unmarked = Text("registry.investigation.not_marked", {})
        check.fail("since", unmarked, ErrorCode.INVALID_STATE, ERRORS)
    if purchase.status is PurchaseStatus.CANCELLED:
        cancelled = Text("registry.purchase.cancelled", {})
        check.fail(None, cancelled, ErrorCode.INVALID_STATE, ERRORS)
    check.done()
    before = {"under_investigation_since": audit.json_value(purchase.under_investigation_since)}
    purchase.under_investigation_since = when
    purchase.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        principal,
        "purchase.investigation_marked" if when is not None else "purchase.investigation_cleared",
        "Purchase",
        purchase.id,
        operator_id=purchase.operator_id,
        before=before,
        after={"under_investigation_since": audit.json_value(when)},
    )
    await session.commit()
    return purchase
