"""Screening results, findings, rule sets and restriction lists (internal: never for vendors)."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.models import RestrictionEntry as EntryModel
from procurement.models import RestrictionList as ListModel
from procurement.models import ScreeningRecord
from procurement.models import ScreeningRuleSetVersion as RuleSetRow
from procurement.screening import Severity as SeverityValue
from procurement.screening import Verdict as VerdictValue
from procurement.screening.actions.advisories import AdvisoryImport as ImportResult
from schema.core.describe import enum_description
from schema.core.pagination import CountedConnection
from schema.core.scalars import JSON
from schema.screening.loaders import RestrictionEntriesByListIdLoader

VerdictEnum = graphene.Enum.from_enum(
    VerdictValue,
    name="Verdict",
    description=enum_description(
        "May the purchase affect national security?",
        YES="It may (CII Regulations Art. 19: declare a cybersecurity review)",
        NO="It does not",
        NEEDS_ASSESSMENT="Not decidable automatically: a person must assess it",
    ),
)
SeverityEnum = graphene.Enum.from_enum(
    SeverityValue,
    name="Severity",
    description=enum_description(
        "A finding's severity, in rising order.",
        INFO="Informational only",
        LOW="Low",
        MEDIUM="Medium",
        HIGH="High",
        CRITICAL="Critical",
    ),
)


class Finding(graphene.ObjectType):
    """One explainable reason behind a verdict."""

    rule = graphene.String(required=True, description="Rule id, e.g. FOREIGN_CONTROL")
    factor = graphene.Int(
        description="Review Measures Art. 10 factor (1-5, 7); null for applicability notes"
    )
    severity = graphene.Field(SeverityEnum, required=True, description="How serious it is")
    explanation = graphene.String(required=True, description="What was found and what to do")
    evidence = graphene.Field(JSON, required=True, description="The facts that triggered it")
    legal_basis = graphene.String(required=True, description="The provision it rests on")
    missing_facts = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Facts to record"
    )

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> Finding:
        return Finding(
            rule=raw["rule_id"],
            factor=raw["factor"],
            # The member, when it is one: the enum then serializes without a lookup by value.
            severity=_SEVERITIES.get(raw["severity"], raw["severity"]),
            explanation=raw["explanation"],
            evidence=raw["evidence"],
            legal_basis=raw["legal_basis"],
            missing_facts=raw.get("missing_facts", []),
        )


_SEVERITIES = {member.value: member for member in SeverityValue}

# id(findings list) -> (that list, its Finding objects). The current screening's findings are
# decoded once per process and shared (procurement/shared_json.py), so a page asks for the same
# lists again and again; the entry holds the list itself, so its id cannot be reused while cached.
_FINDINGS: dict[int, tuple[list[dict[str, Any]], list[Finding]]] = {}
_MAX_FINDINGS = 2048


def findings_of(raw: list[dict[str, Any]]) -> list[Finding]:
    """The GraphQL findings of a stored findings list, made once per list object."""
    cached = _FINDINGS.get(id(raw))
    if cached is not None and cached[0] is raw:
        return cached[1]
    findings = [Finding.from_dict(f) for f in raw]
    if len(_FINDINGS) >= _MAX_FINDINGS:
        del _FINDINGS[next(iter(_FINDINGS))]
    _FINDINGS[id(raw)] = (raw, findings)
    return findings


class Screening(graphene.ObjectType):
    """An Art. 19 screening result of a purchase, with the rule-set version that produced it."""

    verdict = graphene.Field(
        VerdictEnum,
        required=True,
        description="May the purchase affect national security (CII Regulations Art. 19)",
    )
    may_affect_national_security = graphene.Field(
        VerdictEnum, required=True, description="The same as verdict"
    )
    score = graphene.Int(required=True, description="0-100; ranks purchases, does not decide")
    findings = graphene.List(
        graphene.NonNull(Finding), required=True, description="The reasons behind the verdict"
    )
    reasons = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Why this verdict"
    )
    missing_facts = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Facts to record for a firmer verdict",
    )
    rule_set_version = graphene.Int(
        required=True, description="The screening rule-set version that produced it"
    )
    trigger = graphene.String(required=True, description="What made it run, e.g. vendor.updated")
    screened_at = graphene.DateTime(required=True, description="When it ran")
    current = graphene.Boolean(required=True, description="True for the purchase's current result")

    @staticmethod
    def resolve_verdict(root: ScreeningRecord, _info: Any) -> VerdictValue:
        return root.verdict

    @staticmethod
    def resolve_may_affect_national_security(root: ScreeningRecord, _info: Any) -> VerdictValue:
        return root.verdict

    @staticmethod
    def resolve_findings(root: ScreeningRecord, _info: Any) -> list[Finding]:
        return findings_of(root.findings)

    @staticmethod
    def resolve_rule_set_version(root: ScreeningRecord, _info: Any) -> int:
        return root.ruleset_version

    @staticmethod
    def resolve_current(root: ScreeningRecord, _info: Any) -> bool:
        return root.superseded_at is None


class ScreeningRules(graphene.ObjectType):
    """A version of the screening rule set (thresholds, severity weights, enabled rules)."""

    version = graphene.Int(required=True, description="The rule-set version, from 1")
    rules = graphene.Field(JSON, required=True, description="The rule-set JSON")
    created_at = graphene.DateTime(description="Null for version 1, the built-in default")
    created_by = graphene.String(description="Who stored it; null for version 1")

    @staticmethod
    def resolve_created_at(root: Any, _info: Any) -> Any:
        return root.created_at if isinstance(root, RuleSetRow) else None

    @staticmethod
    def resolve_created_by(root: Any, _info: Any) -> Any:
        return root.created_by if isinstance(root, RuleSetRow) else None


class RestrictionListEntry(graphene.ObjectType):
    """A supplier named on a restriction list"""

    supplier_name = graphene.String(required=True, description="The supplier's name as listed")
    vendor_id = graphene.ID(description="The vendor it names, when known")
    reason = graphene.String(required=True, description="Why it is listed")
    listed_on = graphene.Date(required=True, description="The day it was listed")

    @staticmethod
    def resolve_vendor_id(root: EntryModel, _info: Any) -> str | None:
        from schema.core.ids import to_global_id

        return None if root.vendor_id is None else to_global_id("Vendor", root.vendor_id)


class RestrictionList(graphene.ObjectType):
    """A restriction list of suppliers, with its source and publication date."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True, description="The list's name")
    source = graphene.String(required=True, description="Where the list comes from")
    published_on = graphene.Date(required=True, description="The list's publication day")
    entries = graphene.List(
        graphene.NonNull(RestrictionListEntry), required=True, description="The suppliers it names"
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, ListModel)

    @staticmethod
    async def resolve_entries(root: ListModel, info: Any) -> list[EntryModel]:
        return await RestrictionEntriesByListIdLoader(info).load(root.id)


class RestrictionListConnection(CountedConnection):
    class Meta:
        node = RestrictionList
        description = "A page of RestrictionList nodes, with the total count"


class RescreenSummary(graphene.ObjectType):
    """What a rescreen changed"""

    screened = graphene.Int(required=True, description="Purchases screened again")
    changed = graphene.Int(required=True, description="Of them, with a new result")
    verdicts_changed = graphene.Int(required=True, description="Of them, with a new verdict")
    cases_opened = graphene.Int(required=True, description="Review cases opened")


class AdvisoryImport(graphene.ObjectType):
    """What an advisory import did"""

    file_name = graphene.String(required=True, description="The file's name")
    added = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Ids of the new advisories"
    )
    updated = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Ids of the advisories that changed",
    )
    unchanged = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Ids of the advisories already stored as they are",
    )
    unmatchable = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Stored, but naming no known ecosystem or purl, so never matched",
    )
    rescreen = graphene.Field(
        RescreenSummary,
        deprecation_reason="Rescreening runs as a job: read the payload's job { outcome }",
        description="Superseded: rescreening runs as a job",
    )

    @staticmethod
    def resolve_rescreen(_root: ImportResult, _info: Any) -> None:
        return None

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, ImportResult)
