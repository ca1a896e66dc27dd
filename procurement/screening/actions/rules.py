"""The screening rule set (admin): each change stores the next version and enqueues, in the same
transaction, the job that rescreens every active purchase with it (CII Regulations Art. 19)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.models import Job
from procurement.models import ScreeningRuleSetVersion as RuleSetRow
from procurement.permissions import Action, Principal, require
from procurement.screening import RuleSet
from procurement.screening.jobs import enqueue_rescreen
from procurement.screening.store.rescreen import current_ruleset


def _prefixed(error: InputError) -> InputError:
    return InputError(
        [
            FieldError(f"rules.{e.field}" if e.field else "rules", e.message, e.code)
            for e in error.errors
        ]
    )


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
            raise InputError.single("rules", f"not valid JSON: {exc}", ErrorCode.INVALID) from None
    else:
        raw = rules
    if not isinstance(raw, dict):
        raise InputError.single("rules", "must be a JSON object", ErrorCode.INVALID)
    old = await current_ruleset(session)
    next_version = old.version + 1
    if "version" in raw and raw["version"] != next_version:
        raise InputError.single(
            "rules.version",
            f"the current version is {old.version}, so this one must be {next_version} "
            f"(got {raw['version']!r}); reload the rules and apply your change again",
            ErrorCode.CONFLICT,
        )
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
