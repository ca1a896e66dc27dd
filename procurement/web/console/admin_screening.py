"""Screening inputs an admin keeps: the rule set (thresholds, severity weights, rules in use;
stored as the next version through ``update_screening_rules``, as GraphQL's
``updateScreeningRules`` does) and the restriction lists (an entry added or removed through the
list's use case). Each change enqueues the rescreen job; the page then shows it, with a link to
the job's page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from procurement.enums import Severity
from procurement.permissions import Action
from procurement.screening import RULES, RuleSet
from procurement.screening import reads as screening_reads
from procurement.screening.actions import rules as rule_actions
from procurement.screening.ruleset import DEFAULT_RULESET
from procurement.web.console.admin import gated
from procurement.web.console.admin_forms import post_form
from procurement.web.console.common import number_param, page, person
from procurement.web.console.jobs import job_context, visible_job

THRESHOLDS = ("personal_information_subjects", "value_cny", "sbom_quality")
RULE_FIELDS = (
    *(f"thresholds.{t}" for t in THRESHOLDS),
    *(f"severity_weights.{s}" for s in Severity),
    "enabled_rules",
)


def _rule_place(field: str | None) -> tuple[str | None, str]:
    inner = (field or "").removeprefix("rules").lstrip(".")
    return (inner, "") if inner in RULE_FIELDS else (None, "")


def _as_form(rules: Mapping[str, Any], version: int) -> dict[str, Any]:
    form: dict[str, Any] = {"version": str(version + 1)}
    for name in THRESHOLDS:
        form[f"thresholds.{name}"] = str(rules["thresholds"][name])
    for severity, weight in rules["severity_weights"].items():
        form[f"severity_weights.{severity}"] = str(weight)
    form["enabled_rules"] = list(rules["enabled_rules"])
    return form


async def _rules_page(
    request: Request,
    form: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    principal = person(request)
    async with request.app.state.sessions() as session:
        versions = await screening_reads.rule_set_versions(session, principal)
    current = versions[0].rules if versions else DEFAULT_RULESET.to_dict()
    version = versions[0].version if versions else DEFAULT_RULESET.version
    job = await visible_job(request, number_param(request.query_params.get("job")))
    return page(
        request,
        "console/admin_rules.html",
        {
            "current": RuleSet.from_dict(current), "version": version, "versions": versions,
            "rules": RULES, "severities": list(Severity), "thresholds": THRESHOLDS,
            "form": form or _as_form(current, version), "errors": errors or {},
            "general": general or [], **job_context(request, job),
        },
        status_code=status,
    )  # fmt: skip


async def screening_rules(request: Request) -> Response:
    return await _rules_page(request)


def _number(text: str) -> int | str:
    """An integer field as the rule set wants it; anything else is passed on, for its error."""
    value = text.strip()
    return (
        int(value) if value.isascii() and value.lstrip("-").isdigit() and len(value) < 12 else value
    )


async def update_rules(request: Request) -> Response:

    async def run(session: AsyncSession, values: dict[str, Any], form: FormData) -> str:
        enabled = [str(v) for v in form.getlist("enabled_rules")]
        values["enabled_rules"] = enabled  # shown again, as ticked, on a refusal
        _row, job = await rule_actions.update_screening_rules(
            session, person(request), _rules(values, enabled)
        )
        return f"/console/admin/screening-rules?job={job.id}"

    return await post_form(request, run, _rules_page, _rule_place)


def _rules(values: Mapping[str, Any], enabled: list[str]) -> dict[str, Any]:
    """The rule set as the use case takes it, from the form's values."""
    return {
        "version": _number(values.get("version", "")),
        "thresholds": {
            "personal_information_subjects": _number(
                values.get("thresholds.personal_information_subjects", "")
            ),
            "value_cny": values.get("thresholds.value_cny", "").strip(),
            "sbom_quality": _number(values.get("thresholds.sbom_quality", "")),
        },
        "severity_weights": {
            str(s): _number(values.get(f"severity_weights.{s}", "")) for s in Severity
        },
        "enabled_rules": enabled,
    }


GUARD = Action.MANAGE_SCREENING
rules_get, rules_post = gated(GUARD, screening_rules), gated(GUARD, update_rules)
