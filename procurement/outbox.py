"""The notification outbox: which audited changes are worth telling someone about.

``audit.record`` (and the bulk audit rows of screening) call :func:`event_rows` so that an outbox
row is written in the very transaction of the change: a rolled-back change leaves no event, a
committed one is never lost. No subscription is looked up here (that is the dispatcher's job,
after commit), so the change pays for one extra INSERT at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.db import utcnow
from procurement.enums import NotificationKind
from procurement.models import NotificationEvent

# Set in ``session.info`` when the transaction wrote events: after its commit the app wakes the
# dispatcher (procurement/notifications/wakeup.py) instead of waiting for the next poll.
PENDING = "notification_events"

_AGREEMENT_KINDS = {
    "agreement.sent": NotificationKind.AGREEMENT_SENT,
    "agreement.signed": NotificationKind.AGREEMENT_SIGNED,
}
# What of an audited change a notice may quote; the rest (notes, snapshots) stays in the audit log.
_FACT_KEYS = (
    "purchase_id", "state", "verdict", "score", "sbom", "version", "components", "quality",
    "sent_on", "signed_on", "obligation_id", "checked_on", "obligation_status",
)  # fmt: skip


def _kind(action: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Any:
    if action == "review_case.opened":
        return NotificationKind.REVIEW_CASE_CHANGED
    if action.startswith("review_case.") and before and after:
        # Only transitions change the state; comments, assignments and pauses do not.
        if "state" in after and before.get("state") != after.get("state"):
            return NotificationKind.REVIEW_CASE_CHANGED
        return None
    if action == "sbom.uploaded":
        return NotificationKind.SBOM_UPLOADED
    if action == "sbom.rejected":
        return NotificationKind.SBOM_REFUSED
    if action in _AGREEMENT_KINDS:
        return _AGREEMENT_KINDS[action]
    if action == "job.failed":
        # A failed notification job is audited, not notified: its notice would go through the
        # very jobs that fail (the sweep enqueues their work again).
        if str((after or {}).get("kind", "")).startswith("notifications."):
            return None
        return NotificationKind.JOB_FAILED
    failed = (after or {}).get("obligation_status") == "NOT_MET"
    if action == "supervision_check.recorded" and failed:
        return NotificationKind.OBLIGATION_FAILED
    return None


def event_row(
    action: str,
    object_type: str,
    object_id: int | None,
    operator_id: int | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> dict[str, Any] | None:
    """The outbox row for an audited change, or None when nobody is to be told of it."""
    kind = _kind(action, before, after)
    if kind is None:
        return None
    facts = {k: after[k] for k in _FACT_KEYS if after and k in after and after[k] is not None}
    if before and "state" in before:
        facts["from_state"] = before["state"]
    if action == "sbom.rejected" and after:
        errors = after.get("errors") or []
        facts["error_count"] = len(errors)
        if errors:
            facts["first_error"] = str(errors[0].get("message", ""))[:300]
    if action == "job.failed" and after:
        facts = {
            "job_id": object_id,
            "job_kind": after.get("kind"),
            "attempts": after.get("attempts"),
            "error": str(after.get("error") or "")[:300],
            "actor": after.get("actor"),
        }
    purchase_id = facts.get("purchase_id")
    if object_type == "Purchase":
        purchase_id = object_id
    return {
        "kind": kind.value,
        "occurred_at": utcnow(),
        "operator_id": operator_id,
        "purchase_id": purchase_id if isinstance(purchase_id, int) else None,
        "object_type": object_type,
        "object_id": object_id,
        "facts": facts,
    }


def add(session: AsyncSession, row: Mapping[str, Any] | None) -> None:
    """Add one outbox row to the session (unit of work: flushed with the change)."""
    if row is not None:
        session.add(NotificationEvent(**row))
        session.info[PENDING] = True


async def add_many(session: AsyncSession, rows: Iterable[Mapping[str, Any] | None]) -> None:
    """Insert outbox rows in bulk, beside bulk-inserted audit rows."""
    values = [dict(r) for r in rows if r is not None]
    if values:
        await session.execute(insert(NotificationEvent), values)
        session.info[PENDING] = True
