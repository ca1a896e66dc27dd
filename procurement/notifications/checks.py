"""Periodic checks (``procurement notifications check`` and the app's background task): review
deadlines near or passed, obligations overdue, and the daily digest. Each writes outbox events
with a ``dedupe_key``, so a check run twice, or by two processes, tells nobody twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.agreements.reads import ObligationsDueFilter, obligations_due
from procurement.clock import CHINA
from procurement.db import utcnow
from procurement.enums import AgreementState, NotificationKind, NotificationMode
from procurement.models import Agreement, NotificationEvent, Purchase, ReviewCase
from procurement.notifications.audience import may_hear, principal_of
from procurement.notifications.store import active_subscriptions
from procurement.outbox import PENDING
from procurement.permissions import (
    SYSTEM,
    Action,
    Principal,
    can,
    scope_agreements,
    scope_purchases,
)
from procurement.reviews.calendar import working_days_between
from procurement.reviews.deadlines import is_past_due

K = NotificationKind
MAX_LISTED = 20  # items per section of a digest; the rest is a count


@dataclass
class CheckResult:
    deadlines_passed: int = 0
    deadlines_near: int = 0
    obligations_due: int = 0
    digests: int = 0


async def _new_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    known = set(
        await session.scalars(
            select(NotificationEvent.dedupe_key).where(NotificationEvent.dedupe_key.in_(keys))
        )
    )
    return set(keys) - known


async def _add_once(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    fresh = await _new_keys(session, [r["dedupe_key"] for r in rows])
    added = [NotificationEvent(**r) for r in rows if r["dedupe_key"] in fresh]
    session.add_all(added)
    if added:
        session.info[PENDING] = True
    return len(added)


async def _open_cases(session: AsyncSession) -> list[ReviewCase]:
    return list(
        await session.scalars(
            select(ReviewCase)
            .where(ReviewCase.closed_at.is_(None), ReviewCase.deadline_due.is_not(None))
            .order_by(ReviewCase.id)
        )
    )


def _event(kind: str, case: ReviewCase, key: str, now: datetime, **facts: Any) -> dict[str, Any]:
    return {
        "kind": kind, "occurred_at": now, "operator_id": case.operator_id,
        "purchase_id": case.purchase_id, "object_type": "ReviewCase", "object_id": case.id,
        "facts": {"due": case.deadline_due.isoformat() if case.deadline_due else None,
                  "state": case.state.value, **facts},
        "dedupe_key": key,
    }  # fmt: skip


async def check_deadlines(session: AsyncSession, today: date, now: datetime) -> tuple[int, int]:
    """Passed deadlines once per case and due date (fanned out to every subscriber); near ones
    once per subscription, case and due date, within that subscription's working days."""
    cases = await _open_cases(session)
    passed = [
        _event(K.REVIEW_DEADLINE_PASSED, c, f"deadline_passed:{c.id}:{c.deadline_due}", now)
        for c in cases
        if is_past_due(c.deadline_due, today)
    ]
    upcoming = [c for c in cases if c.deadline_due is not None and c.deadline_due >= today]
    near: list[dict[str, Any]] = []
    for sub, token in await active_subscriptions(session):
        if sub.mode is not NotificationMode.IMMEDIATE or K.REVIEW_DEADLINE_NEAR not in sub.kinds:
            continue
        principal = principal_of(sub, token)
        if principal is None:
            continue
        for c in upcoming:
            assert c.deadline_due is not None
            left = working_days_between(today, c.deadline_due).days
            if left > sub.warn_working_days:
                continue
            if not await may_hear(
                session, principal, K.REVIEW_DEADLINE_NEAR, c.purchase_id, c.operator_id
            ):
                continue
            key = f"deadline_near:{sub.id}:{c.id}:{c.deadline_due}"
            event = _event(K.REVIEW_DEADLINE_NEAR, c, key, now, working_days_left=left)
            near.append(event | {"subscription_id": sub.id})
    return await _add_once(session, passed), await _add_once(session, near)


async def check_obligations(session: AsyncSession, today: date, now: datetime) -> int:
    """Obligations overdue on ``today``: once per obligation and occurrence."""
    page = await obligations_due(
        session, SYSTEM, ObligationsDueFilter(as_of=today, overdue=True), None, 10_000
    )
    if not page.items:
        return 0
    agreements = {
        a.id: a
        for a in await session.scalars(
            select(Agreement).where(
                Agreement.id.in_({d.obligation.agreement_id for d in page.items})
            )
        )
    }
    operators = {
        pid: operator
        for pid, operator in await session.execute(
            select(Purchase.id, Purchase.operator_id).where(
                Purchase.id.in_({a.purchase_id for a in agreements.values()})
            )
        )
    }
    rows = []
    for d in page.items:
        purchase_id = agreements[d.obligation.agreement_id].purchase_id
        due_on = d.state.due_on.isoformat() if d.state.due_on else None
        rows.append(
            {
                "kind": K.OBLIGATION_DUE,
                "occurred_at": now,
                "operator_id": operators.get(purchase_id),
                "purchase_id": purchase_id,
                "object_type": "AgreementObligation",
                "object_id": d.id,
                "facts": {"obligation": d.obligation.title, "due_on": due_on},
                "dedupe_key": f"obligation_due:{d.id}:{due_on}",
            }
        )
    return await _add_once(session, rows)


async def digest_facts(
    session: AsyncSession, principal: Principal, warn_days: int, today: date
) -> dict[str, Any]:
    """What needs this reader now, by what its role may read."""
    facts: dict[str, Any] = {}
    visible = scope_purchases(select(Purchase.id), principal)
    if can(principal, Action.READ_REVIEWS):
        cases = []
        rows = await session.execute(
            select(ReviewCase, Purchase.title)
            .join(Purchase, Purchase.id == ReviewCase.purchase_id)
            .where(
                ReviewCase.closed_at.is_(None),
                ReviewCase.deadline_due.is_not(None),
                ReviewCase.purchase_id.in_(visible),
            )
            .order_by(ReviewCase.deadline_due, ReviewCase.id)
        )
        for case, title in rows:
            assert case.deadline_due is not None
            overdue = is_past_due(case.deadline_due, today)
            if overdue or working_days_between(today, case.deadline_due).days <= warn_days:
                cases.append(
                    {
                        "purchase": title,
                        "state": case.state.value,
                        "due": case.deadline_due.isoformat(),
                        "overdue": overdue,
                    }
                )
        facts["cases"] = cases[:MAX_LISTED]
    if can(principal, Action.READ_INTERNAL_FIELDS):
        page = await obligations_due(
            session, principal, ObligationsDueFilter(as_of=today, overdue=True), None, MAX_LISTED
        )
        facts["obligations"] = [
            {"obligation": d.obligation.title,
             "due_on": d.state.due_on.isoformat() if d.state.due_on else None,
             "purchase": await session.scalar(
                 select(Purchase.title).join(Agreement, Agreement.purchase_id == Purchase.id)
                 .where(Agreement.id == d.obligation.agreement_id))}
            for d in page.items
        ]  # fmt: skip
    if can(principal, Action.READ_AGREEMENTS):
        rows2 = await session.execute(
            select(Agreement.sent_on, Purchase.title)
            .join(Purchase, Purchase.id == Agreement.purchase_id)
            .where(
                Agreement.state == AgreementState.SENT,
                Agreement.id.in_(scope_agreements(select(Agreement.id), principal)),
            )
            .order_by(Agreement.sent_on, Agreement.id)
        )
        facts["agreements"] = [
            {"purchase": title, "sent_on": on.isoformat() if on else None} for on, title in rows2
        ][:MAX_LISTED]
    return facts


async def check_digests(session: AsyncSession, now: datetime, digest_hour: int) -> int:
    """One digest per daily-digest subscription and China day, from ``digest_hour`` on."""
    local = now.astimezone(CHINA)
    if local.hour < digest_hour:
        return 0
    today = local.date()
    rows = []
    for sub, token in await active_subscriptions(session):
        if sub.mode is not NotificationMode.DAILY_DIGEST:
            continue
        principal = principal_of(sub, token)
        key = f"digest:{sub.id}:{today.isoformat()}"
        if principal is None or not await _new_keys(session, [key]):
            continue
        rows.append(
            {
                "kind": "digest",
                "occurred_at": now,
                "operator_id": principal.operator_id,
                "purchase_id": None,
                "object_type": "NotificationSubscription",
                "object_id": sub.id,
                "subscription_id": sub.id,
                "dedupe_key": key,
                "facts": await digest_facts(session, principal, sub.warn_working_days, today),
            }
        )
    return await _add_once(session, rows)


async def run_checks(
    sessions: async_sessionmaker[AsyncSession], *, digest_hour: int, now: datetime | None = None
) -> CheckResult:
    """All periodic checks once, committed together. Two processes racing on the same key: the
    loser's unique-key violation rolls its pass back, and its next pass finds nothing new."""
    now = now or utcnow()
    today = now.astimezone(CHINA).date()
    result = CheckResult()
    async with sessions() as session:
        try:
            result.deadlines_passed, result.deadlines_near = await check_deadlines(
                session, today, now
            )
            result.obligations_due = await check_obligations(session, today, now)
            result.digests = await check_digests(session, now, digest_hour)
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return CheckResult()
    return result
