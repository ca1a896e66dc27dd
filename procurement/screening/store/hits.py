"""Advisory hits: a rescreen whose known-vulnerability finding gained vulnerabilities tells the
operator's people (an outbox row, in the rescreen's transaction). Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.db import utcnow
from procurement.enums import NotificationKind
from procurement.models import ScreeningRecord
from procurement.screening.store.cases import Outcome

RULE = "KNOWN_VULNERABILITIES"


def _vulnerabilities(findings: Sequence[dict[str, Any]]) -> tuple[set[str], int]:
    for f in findings:
        if f.get("rule_id") == RULE:
            evidence = f.get("evidence") or {}
            return set(evidence.get("vulnerability_ids") or []), int(evidence.get("open_count", 0))
    return set(), 0


async def advisory_hit_rows(
    session: AsyncSession, changed: Sequence[Outcome], current: dict[int, Any], trigger: str
) -> list[dict[str, Any]]:
    """Outbox rows for the purchases whose open known vulnerabilities grew in this rescreen."""
    # Only a purchase with open known vulnerabilities now can have gained some: the others cost
    # nothing (a rule-set change rescreens everything).
    changed = [o for o in changed if any(f.rule_id == RULE for f in o.result.findings)]
    if not changed:
        return []
    old_ids = [current[o.purchase_id].id for o in changed if o.purchase_id in current]
    old: dict[int, list[dict[str, Any]]] = {}
    if old_ids:
        rows = await session.execute(
            select(ScreeningRecord.purchase_id, ScreeningRecord.findings).where(
                ScreeningRecord.id.in_(old_ids)
            )
        )
        old = {pid: findings or [] for pid, findings in rows}
    out: list[dict[str, Any]] = []
    for o in changed:
        before_ids, before_count = _vulnerabilities(old.get(o.purchase_id, []))
        after_ids, after_count = _vulnerabilities([f.to_dict() for f in o.result.findings])
        added = sorted(after_ids - before_ids)
        if not added and after_count <= before_count:
            continue
        out.append(
            {
                "kind": NotificationKind.ADVISORY_HIT.value,
                "occurred_at": utcnow(),
                "operator_id": o.loaded.operator_id,
                "purchase_id": o.purchase_id,
                "object_type": "Purchase",
                "object_id": o.purchase_id,
                "facts": {
                    "purchase_id": o.purchase_id,
                    "vulnerability_ids": added[:20],
                    "open_count": after_count,
                    "trigger": trigger,
                },
            }
        )
    return out
