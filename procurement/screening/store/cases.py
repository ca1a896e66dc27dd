"""Applies the case policy to a rescreen's results: keeps open cases current, opens new ones
(part of the rescreen; never commits, never checks permission).

Which results open a case is decided by the pure :mod:`procurement.screening.case_policy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.db import utcnow
from procurement.models import ReviewCase, ReviewEvent, ScreeningRecord
from procurement.permissions import Principal
from procurement.reviews.state_machine import CaseState
from procurement.reviews.store import EventKind, event_row
from procurement.screening import ScreeningResult
from procurement.screening.case_policy import DecisionBasis, opens_case
from procurement.screening.store.facts import LoadedFacts
from procurement.screening.store.inserted import insert_with_ids
from procurement.screening.timeline import case_opened, verdict_changed


@dataclass(frozen=True, slots=True)
class Outcome:
    purchase_id: int
    loaded: LoadedFacts
    result: ScreeningResult
    fingerprint: str


def max_severity(result: ScreeningResult) -> int:
    return max((f.severity.rank for f in result.findings), default=0)


def audit_row(
    actor: Principal,
    action: str,
    object_type: str,
    object_id: int,
    operator_id: int,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "occurred_at": utcnow(),
        "actor_token_id": actor.token_id,
        "actor_name": actor.name,
        "actor_role": actor.role.value,
        "operator_id": operator_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
    }


async def sync_cases(
    session: AsyncSession,
    outcomes: list[Outcome],
    current: dict[int, Any],
    new_ids: dict[int, int],
    actor: Principal,
    today: date,
    audits: list[dict[str, Any]],
    *,
    no_cases: bool = False,
) -> int:
    """Keep open cases' sort keys current, note verdict changes on them, open new cases.

    Returns how many cases were opened; history rows are written, audit rows appended.
    ``no_cases``: the purchases have none yet (registered in this transaction): none is sought.
    """
    ids = [o.purchase_id for o in outcomes]
    latest = {} if no_cases else await _latest_cases(session, ids)
    basis = await _decision_basis(session, latest)
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    to_open: list[Outcome] = []
    for o in outcomes:
        case = latest.get(o.purchase_id)
        if case is not None and case.open_purchase_id is not None:
            values = {
                "risk_score": o.result.score,
                "max_severity": max_severity(o.result),
                "value_cny": o.loaded.value_cny,
                "screening_id": new_ids.get(o.purchase_id, case.screening_id),
            }
            if any(getattr(case, k) != v for k, v in values.items()):
                updates.append({"case_id": case.id, **values})
            old = current.get(o.purchase_id)
            if old is not None and old.verdict != o.result.verdict:
                events.append(
                    event_row(
                        case.id,
                        actor,
                        EventKind.SCREENING_CHANGED,
                        note=f"Screening verdict changed from {old.verdict} to "
                        f"{o.result.verdict}: " + "; ".join(o.result.reasons),
                        details={
                            "screening_id": values["screening_id"],
                            "message": verdict_changed(old.verdict, o.result).to_dict(),
                        },
                    )
                )
        elif opens_case(
            o.result,
            None if case is None else case.state,
            None if case is None or case.screening_id is None else basis.get(case.screening_id),
        ):
            to_open.append(o)
    if updates:
        # Core, not the ORM: these derived figures are recomputed by every screening and
        # must not take part in the case's optimistic version (a transition racing with a
        # rescreen changes other columns; neither should refuse the other).
        table = ReviewCase.__table__
        assert isinstance(table, Table)
        await session.execute(update(table).where(table.c.id == bindparam("case_id")), updates)
    if to_open:
        await _open_cases(session, to_open, current, new_ids, actor, today, events, audits)
    if events:
        await session.execute(insert(ReviewEvent), events)
    return len(to_open)


async def _latest_cases(session: AsyncSession, purchase_ids: list[int]) -> dict[int, Any]:
    latest: dict[int, Any] = {}
    for row in await session.execute(
        select(
            ReviewCase.id,
            ReviewCase.purchase_id,
            ReviewCase.state,
            ReviewCase.open_purchase_id,
            ReviewCase.screening_id,
            ReviewCase.risk_score,
            ReviewCase.max_severity,
            ReviewCase.value_cny,
        )
        .where(ReviewCase.purchase_id.in_(purchase_ids))
        .order_by(ReviewCase.id)
    ):
        latest[row.purchase_id] = row  # the last one wins: the newest case
    return latest


async def _decision_basis(
    session: AsyncSession, latest: dict[int, Any]
) -> dict[int, DecisionBasis]:
    """For cases closed as NOT_REQUIRED: the screening the decision was based on."""
    wanted = [
        c.screening_id
        for c in latest.values()
        if c.state is CaseState.NOT_REQUIRED and c.screening_id is not None
    ]
    if not wanted:
        return {}
    rows = await session.execute(
        select(ScreeningRecord.id, ScreeningRecord.verdict, ScreeningRecord.findings).where(
            ScreeningRecord.id.in_(wanted)
        )
    )
    return {rid: DecisionBasis(verdict, findings) for rid, verdict, findings in rows}


async def _open_cases(
    session: AsyncSession,
    outcomes: list[Outcome],
    current: dict[int, Any],
    new_ids: dict[int, int],
    actor: Principal,
    today: date,
    events: list[dict[str, Any]],
    audits: list[dict[str, Any]],
) -> None:
    now = utcnow()
    rows = [
        {
            "purchase_id": o.purchase_id,
            "open_purchase_id": o.purchase_id,
            "operator_id": o.loaded.operator_id,
            "vendor_id": o.loaded.vendor_id,
            "state": CaseState.PENDING_TRIAGE,
            "complex": False,
            "state_since": today,
            "screening_id": new_ids.get(o.purchase_id)
            or (current[o.purchase_id].id if o.purchase_id in current else None),
            "risk_score": o.result.score,
            "max_severity": max_severity(o.result),
            "value_cny": o.loaded.value_cny,
            "deadline_due": None,
            "opened_at": now,
        }
        for o in outcomes
    ]

    async def look_up() -> dict[int, int]:
        found = await session.execute(
            select(ReviewCase.purchase_id, ReviewCase.id).where(
                ReviewCase.open_purchase_id.in_([o.purchase_id for o in outcomes])
            )
        )
        return {purchase_id: case_id for purchase_id, case_id in found}

    opened = await insert_with_ids(session, ReviewCase, rows, "purchase_id", look_up)
    for o in outcomes:
        case_id = opened[o.purchase_id]
        why = f"Screening verdict {o.result.verdict} (score {o.result.score}): " + "; ".join(
            o.result.reasons
        )
        events.append(
            event_row(
                case_id,
                actor,
                EventKind.OPENED,
                to_state=CaseState.PENDING_TRIAGE,
                on=today,
                note=why,
                details={"message": case_opened(o.result).to_dict()},
            )
        )
        audits.append(
            audit_row(
                actor,
                "review_case.opened",
                "ReviewCase",
                case_id,
                o.loaded.operator_id,
                after={
                    "purchase_id": o.purchase_id,
                    "state": CaseState.PENDING_TRIAGE.value,
                    "verdict": o.result.verdict.value,
                    "score": o.result.score,
                },
            )
        )
