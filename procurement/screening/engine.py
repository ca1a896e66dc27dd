"""The Article 19 screening: applicability, rules, score and verdict.

Verdict (first matching step wins; every step adds its reason to ``ScreeningResult.reasons``):

0. not a network product or service at all          -> NO; no risk rule runs (nothing to ask of
   an office chair's vendor: no SBOM, no agreement, no review)
1. operator not an identified CII operator            -> NO (the Art. 19 review duty does not apply)
2. category OUTSIDE_SCOPE of Review Measures Art. 21   -> NO, unless a CRITICAL finding exists:
   then NEEDS_ASSESSMENT, since Art. 21's catch-all ("other network products and services with an
   important impact") may still cover the purchase
3. CII identification unknown                          -> NEEDS_ASSESSMENT
4. any HIGH or CRITICAL finding                        -> YES (may affect national security)
5. any LOW/MEDIUM finding, or a fact a rule needs is unknown -> NEEDS_ASSESSMENT
6. otherwise                                           -> NO (in scope, no risk factor found)

Score: each risk (a rule and the Art. 10 factor it argues) counts once, at the weight of its most
severe finding; the weights are summed and capped at 100. Counting findings instead would score
the paperwork: 25 SBOMs each missing some suppliers are one risk, not 25. The score ranks
purchases; it does not decide the verdict. Same facts + same rule set = same result.
"""

from __future__ import annotations

from procurement.screening.catalog import APPLICABILITY, RULE_ORDER, RULES
from procurement.screening.facts import ScreeningFacts
from procurement.screening.model import (
    Category,
    Finding,
    ScreeningResult,
    Severity,
    Verdict,
)
from procurement.screening.rules import RULE_FUNCTIONS
from procurement.screening.rules.common import category_text, explain, text
from procurement.screening.ruleset import DEFAULT_RULESET, RuleSet
from procurement.texts import Param, Text

_BASIS = "CII Regulations Art. 19; Review Measures Arts. 2, 21"


def _applicability(facts: ScreeningFacts) -> list[Finding]:
    p = facts.purchase
    out: list[Finding] = []

    def note(message_id: str, evidence: dict[str, object], missing: tuple[str, ...] = ()) -> None:
        message = text(message_id, **params)
        out.append(
            Finding(
                APPLICABILITY, None, Severity.INFO, explain(message), dict(evidence), _BASIS,
                missing, message,
            )
        )  # fmt: skip

    params: dict[str, Param] = {}

    if p.operator_is_cii is True:
        note(
            "screening.applicability.cii",
            {"operator_is_cii": True},
        )
    elif p.operator_is_cii is False:
        note(
            "screening.applicability.not_cii",
            {"operator_is_cii": False},
        )
    else:
        note(
            "screening.applicability.cii_unknown",
            {"missing": "purchase.operator_is_cii"},
            ("purchase.operator_is_cii",),
        )
    params.update(purchase=p.id, code=str(p.category), category=category_text(p.category))
    if p.category is Category.NOT_NETWORK_PRODUCT:
        note(
            "screening.applicability.not_network",
            {"purchase_id": p.id, "category": str(p.category)},
        )
    elif p.category is Category.OUTSIDE_SCOPE:
        note(
            "screening.applicability.outside_scope",
            {"purchase_id": p.id, "category": str(p.category)},
        )
    else:
        note(
            "screening.applicability.in_scope",
            {"purchase_id": p.id, "category": str(p.category)},
        )
    return out


def _rule_ids(findings: list[Finding], severities: set[Severity]) -> str:
    return ", ".join(sorted({f.rule_id for f in findings if f.severity in severities}))


def _verdict(
    facts: ScreeningFacts, risk: list[Finding], missing: list[str]
) -> tuple[Verdict, list[Text]]:
    p = facts.purchase
    high = {Severity.HIGH, Severity.CRITICAL}
    has_high = any(f.severity in high for f in risk)
    if p.category is Category.NOT_NETWORK_PRODUCT:
        return Verdict.NO, [text("screening.reason.not_network")]
    if p.operator_is_cii is False:
        return Verdict.NO, [text("screening.reason.not_cii")]
    if p.category is Category.OUTSIDE_SCOPE:
        if any(f.severity is Severity.CRITICAL for f in risk):
            return Verdict.NEEDS_ASSESSMENT, [
                text(
                    "screening.reason.outside_but_critical",
                    rules=_rule_ids(risk, {Severity.CRITICAL}),
                )
            ]
        return Verdict.NO, [text("screening.reason.outside")]
    if p.operator_is_cii is None:
        reasons = [text("screening.reason.cii_unknown")]
        if has_high:
            reasons.append(text("screening.reason.would_be_yes", rules=_rule_ids(risk, high)))
        return Verdict.NEEDS_ASSESSMENT, reasons
    if has_high:
        return Verdict.YES, [
            text(
                "screening.reason.yes",
                code=text(f"screening.category_code.{p.category}"),
                rules=_rule_ids(risk, high),
            )
        ]
    lower = _rule_ids(risk, {Severity.LOW, Severity.MEDIUM})
    if lower or missing:
        reasons = []
        if lower:
            reasons.append(text("screening.reason.low_only", rules=lower))
        if missing:
            reasons.append(text("screening.reason.facts_unknown", facts=", ".join(missing)))
        return Verdict.NEEDS_ASSESSMENT, reasons
    return Verdict.NO, [text("screening.reason.nothing_found")]


def _score(risk: list[Finding], ruleset: RuleSet) -> int:
    worst: dict[tuple[str, object], int] = {}
    for f in risk:
        key = (f.rule_id, f.factor)
        worst[key] = max(worst.get(key, 0), ruleset.severity_weights[f.severity])
    return min(100, sum(worst.values()))


def screen(facts: ScreeningFacts, ruleset: RuleSet = DEFAULT_RULESET) -> ScreeningResult:
    risk = [
        f
        for spec in RULES
        if ruleset.is_enabled(spec.id) and facts.purchase.category.is_network_product
        for f in RULE_FUNCTIONS[spec.id](facts, ruleset)
    ]
    applicability = _applicability(facts)
    missing = sorted({m for f in risk for m in f.missing_facts})
    verdict, reasons = _verdict(facts, risk, missing)
    score = _score(risk, ruleset)
    order = {APPLICABILITY: -1, **RULE_ORDER}
    indexed = list(enumerate([*applicability, *risk]))
    indexed.sort(key=lambda item: (-item[1].severity.rank, order[item[1].rule_id], item[0]))
    all_missing = sorted({m for f in applicability for m in f.missing_facts} | set(missing))
    return ScreeningResult(
        verdict=verdict,
        score=score,
        findings=tuple(f for _, f in indexed),
        reasons=tuple(explain(r) for r in reasons),
        reason_messages=tuple(reasons),
        ruleset_version=ruleset.version,
        missing_facts=tuple(all_missing),
    )
