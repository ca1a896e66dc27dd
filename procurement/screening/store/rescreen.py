"""Screening purchases again inside the caller's transaction (CII Regulations Art. 19).

``rescreen_purchases`` runs whenever a screening input changes (purchase, vendor, SBOM,
restriction lists, advisories, rule set). Like every store helper it never commits and never
checks permission: the calling action has done that, and commits once.

History policy: a new result row is stored only when the outcome differs from the current one
(verdict, score, findings or rule-set version, compared by a fingerprint), so re-running with
unchanged inputs leaves no noise while every change stays on record with its trigger. Which
results open review cases is :mod:`procurement.screening.case_policy`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit, outbox
from procurement.clock import today_in_china
from procurement.db import utcnow
from procurement.enums import PurchaseStatus
from procurement.exposure.invalidation import drop_digests, review_inputs
from procurement.models import Purchase, ScreeningRecord
from procurement.models import ScreeningRuleSetVersion as RuleSetRow
from procurement.permissions import Principal
from procurement.reviews.store import AUTOMATIC
from procurement.screening import DEFAULT_RULESET, RuleSet, ScreeningResult, screen
from procurement.screening.store.cases import Outcome, audit_row, max_severity, sync_cases
from procurement.screening.store.facts import VersionComponents, load_facts
from procurement.screening.store.hits import advisory_hit_rows
from procurement.screening.store.inserted import insert_with_ids

BATCH = 500  # purchases per round of queries; keeps IN lists far below every backend's limit


@dataclass
class RescreenSummary:
    screened: int = 0
    changed: int = 0
    verdicts_changed: int = 0
    cases_opened: int = 0


async def current_ruleset(session: AsyncSession) -> RuleSet:
    row = await session.scalar(select(RuleSetRow).order_by(RuleSetRow.version.desc()).limit(1))
    return DEFAULT_RULESET if row is None else RuleSet.from_dict(row.rules)


def fingerprint(result: ScreeningResult) -> str:
    """The outcome's identity. A finding's message id and parameters only let the console say
    its explanation in another language: leaving them out keeps the fingerprints of results
    stored before findings had them, so adding them is no change of outcome (no new row, no
    notice)."""
    outcome = result.to_dict()
    for found in outcome["findings"]:
        found.pop("message", None)
    return hashlib.sha256(orjson.dumps(outcome, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def active_purchase_ids(session: AsyncSession) -> list[int]:
    stmt = select(Purchase.id).where(Purchase.status == PurchaseStatus.ACTIVE).order_by(Purchase.id)
    return list(await session.scalars(stmt))


async def rescreen_purchases(
    session: AsyncSession,
    purchase_ids: Sequence[int],
    trigger: str,
    *,
    actor: Principal | None = None,
    today: date | None = None,
    progress: Callable[[int, int], Awaitable[None]] | None = None,
    known_components: Mapping[int, VersionComponents] | None = None,
    registered_here: bool = False,
) -> RescreenSummary:
    """Screen the purchases again in the caller's transaction (never commits).

    ``trigger`` says why (``purchase.updated``, ``sbom.uploaded``, ...) and is stored with each
    new result; ``actor`` is who caused it (default: the automatic screening); ``today`` is the
    date a newly opened case starts from (default: today in China); ``progress(done, total)``
    is told after each batch (a job's progress, procurement/screening/jobs.py);
    ``known_components``: see :func:`procurement.screening.store.facts.load_facts`;
    ``registered_here``: the purchases were inserted in this transaction, so they have no
    result, no case and no cached exposure digest yet (a digest's row references a stored
    purchase), and none of these is looked for.
    """
    await session.flush()  # the caller's pending changes are screening inputs
    ruleset = await current_ruleset(session)
    summary = RescreenSummary()
    ids = sorted(set(purchase_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        # Results and case updates are written in bulk (Core), unseen by the ORM's after-flush
        # invalidation: drop the cached exposure digests of the purchases whose verdict or
        # case changed (only those: a rate change rescreens every purchase in its currency).
        before = None if registered_here else await review_inputs(session, batch)
        await _rescreen_batch(
            session,
            batch,
            trigger[:64],
            actor or AUTOMATIC,
            ruleset,
            today or today_in_china(),
            summary,
            known_components,
            registered_here,
        )
        if before is not None:
            after = await review_inputs(session, batch)
            await drop_digests(session, [i for i in batch if before[i] != after[i]])
        if progress is not None:
            await progress(min(start + BATCH, len(ids)), len(ids))
    return summary


async def _rescreen_batch(
    session: AsyncSession,
    ids: list[int],
    trigger: str,
    actor: Principal,
    ruleset: RuleSet,
    today: date,
    summary: RescreenSummary,
    known_components: Mapping[int, VersionComponents] | None = None,
    registered_here: bool = False,
) -> None:
    loaded = await load_facts(session, ids, known_components)
    if not loaded:
        return
    # A purchase registered in this transaction has no result and no case yet.
    current = {} if registered_here else await _current_results(session, list(loaded))
    outcomes = []
    for pid, facts in loaded.items():
        result = screen(facts.facts, ruleset)
        outcomes.append(Outcome(pid, facts, result, fingerprint(result)))
    summary.screened += len(outcomes)
    changed = [o for o in outcomes if _changed(current.get(o.purchase_id), o.fingerprint)]
    new_ids = await _store_results(session, changed, current, trigger)
    summary.changed += len(changed)
    hits = await advisory_hit_rows(session, changed, current, trigger)

    audits: list[dict[str, Any]] = []
    for o in changed:
        old = current.get(o.purchase_id)
        if old is None or old.verdict != o.result.verdict:
            summary.verdicts_changed += 1
            audits.append(
                audit_row(
                    actor,
                    "screening.verdict_changed",
                    "Purchase",
                    o.purchase_id,
                    o.loaded.operator_id,
                    before={"verdict": old.verdict.value} if old else None,
                    after={
                        "verdict": o.result.verdict.value,
                        "score": o.result.score,
                        "ruleset_version": o.result.ruleset_version,
                        "trigger": trigger,
                        "screening_id": new_ids[o.purchase_id],
                    },
                )
            )
    summary.cases_opened += await sync_cases(
        session, outcomes, current, new_ids, actor, today, audits, no_cases=registered_here
    )
    await audit.insert_rows(session, audits)  # sealed into their operators' hash chains
    # Notices ride in the same transaction as the audit rows (see procurement/outbox.py).
    notices = [
        outbox.event_row(
            a["action"], a["object_type"], a["object_id"], a["operator_id"], a["before"], a["after"]
        )
        for a in audits
    ]
    await outbox.add_many(session, [*notices, *hits])


async def _current_results(session: AsyncSession, purchase_ids: list[int]) -> dict[int, Any]:
    rows = await session.execute(
        select(
            ScreeningRecord.id,
            ScreeningRecord.purchase_id,
            ScreeningRecord.fingerprint,
            ScreeningRecord.verdict,
        ).where(
            ScreeningRecord.purchase_id.in_(purchase_ids),
            ScreeningRecord.superseded_at.is_(None),
        )
    )
    return {row.purchase_id: row for row in rows}


def _changed(current: Any, new_fingerprint: str) -> bool:
    return current is None or current.fingerprint != new_fingerprint


async def _store_results(
    session: AsyncSession, changed: list[Outcome], current: dict[int, Any], trigger: str
) -> dict[int, int]:
    if not changed:
        return {}
    now = utcnow()
    superseded = [current[o.purchase_id].id for o in changed if o.purchase_id in current]
    if superseded:
        await session.execute(
            update(ScreeningRecord)
            .where(ScreeningRecord.id.in_(superseded))
            .values(superseded_at=now)
        )
    rows = [
        {
            "purchase_id": o.purchase_id,
            "verdict": o.result.verdict,
            "score": o.result.score,
            "max_severity": max_severity(o.result),
            "findings": [f.to_dict() for f in o.result.findings],
            "reasons": list(o.result.reasons),
            "missing_facts": list(o.result.missing_facts),
            "ruleset_version": o.result.ruleset_version,
            "fingerprint": o.fingerprint,
            "trigger": trigger,
            "screened_at": now,
        }
        for o in changed
    ]

    async def look_up() -> dict[int, int]:
        inserted = await session.execute(
            select(ScreeningRecord.purchase_id, ScreeningRecord.id).where(
                ScreeningRecord.purchase_id.in_([o.purchase_id for o in changed]),
                ScreeningRecord.superseded_at.is_(None),
            )
        )
        return {pid: rid for pid, rid in inserted}

    return await insert_with_ids(session, ScreeningRecord, rows, "purchase_id", look_up)
