"""The screening rule set (admin): each change stores the next version and enqueues, in the same
transaction, the job that rescreens every active purchase with it (CII Regulations Art. 19)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.errors import ErrorCode, InputError
from procurement.models import Job
from procurement.models import ScreeningRuleSetVersion as RuleSetRow
from procurement.permissions import Action, Principal, require
from procurement.screening import RuleSet
from procurement.screening.jobs import enqueue_rescreen
from procurement.screening.messages import moved, said
from procurement.screening.store.rescreen import current_ruleset
from procurement.texts import Param, Text


def _prefixed(error: InputError) -> InputError:
    return InputError([moved(e, f"rules.{e.field}" if e.field else "rules") for e in error.errors])


async def update_screening_rules(
    session: AsyncSession, principal: Principal, rules: str | dict[str, Any]
) -> tuple[RuleSetRow, Job]:
    """Store the next rule-set version and enqueue the job that rescreens every active purchase
    with it (returned: the caller answers at once and the job reports the rescreen).

    ``rules`` is the rule-set JSON (thresholds, severity_weights, enabled_rules; absent sections
    take the defaults). Its ``version``, when given, must be the next one: a stale editor is told
    so instead of silently overwriting someone else's change.
    """
    require(principal, Action.MANAGE_SCREENING)
    if isinstance(rules, str):
        try:
            raw = orjson.loads(rules)
        except orjson.JSONDecodeError as exc:
            not_json = Text("screening.error.json", {"error": str(exc)})
            raise InputError([said("rules", not_json)]) from None
    else:
        raw = rules
    if not isinstance(raw, dict):
        raise InputError([said("rules", Text("screening.error.json_object", {}))])
    old = await current_ruleset(session)
    next_version = old.version + 1
    if "version" in raw and raw["version"] != next_version:
        versions: dict[str, Param] = {
            "current": old.version,
            "next": next_version,
            "given": repr(raw["version"]),
        }
        stale = Text("screening.error.stale_version", versions)
        raise InputError([said("rules.version", stale, ErrorCode.CONFLICT)])
    try:
        ruleset = RuleSet.from_dict({**raw, "version": next_version})
    except InputError as error:
        raise _prefixed(error) from None
    row = RuleSetRow(
        version=next_version,
        rules=ruleset.to_dict(),
        created_by=principal.name,
        created_by_token_id=principal.token_id,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        principal,
        "screening_rules.updated",
        "ScreeningRuleSet",
        row.id,
        before=old.to_dict(),
        after=ruleset.to_dict(),
    )
    job = await enqueue_rescreen(session, principal, "screening_rules.updated")
    await session.commit()
    return row, job
