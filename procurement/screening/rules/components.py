"""Component rules: SBOM transparency (Art. 10(3)) and known vulnerabilities (Art. 10(1))."""

from __future__ import annotations

from collections import Counter

from procurement.screening.facts import ScreeningFacts, VulnerabilityFact
from procurement.screening.model import Finding, Severity
from procurement.screening.rules.common import capped, finding, preview, text
from procurement.screening.ruleset import RuleSet
from procurement.screening.vulnerabilities import collect
from procurement.texts import Param, TextList


def sbom_transparency(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    threshold = ruleset.thresholds.sbom_quality
    if not facts.sboms:
        return [
            finding(
                "SBOM_TRANSPARENCY",
                Severity.MEDIUM,
                text("screening.sbom.none", purchase=p.id),
                {"purchase_id": p.id, "sbom_count": 0},
            )
        ]
    out: list[Finding] = []
    for sbom in facts.sboms:
        if sbom.quality_score < threshold:
            out.append(
                finding(
                    "SBOM_TRANSPARENCY",
                    Severity.MEDIUM,
                    text(
                        "screening.sbom.low_quality",
                        sbom=sbom.label,
                        score=sbom.quality_score,
                        threshold=threshold,
                        version=ruleset.version,
                    ),
                    {
                        "sbom": sbom.label,
                        "quality_score": sbom.quality_score,
                        "threshold": threshold,
                    },
                )
            )
        if sbom.components_without_supplier:
            share = sbom.components_without_supplier / max(sbom.component_count, 1)
            out.append(
                finding(
                    "SBOM_TRANSPARENCY",
                    Severity.LOW,
                    text(
                        "screening.sbom.no_supplier",
                        sbom=sbom.label,
                        without=sbom.components_without_supplier,
                        count=sbom.component_count,
                        share=f"{share:.0%}",
                    ),
                    {
                        "sbom": sbom.label,
                        "components_without_supplier": sbom.components_without_supplier,
                        "component_count": sbom.component_count,
                    },
                )
            )
    return out


def _severity(v: VulnerabilityFact) -> Severity:
    # Unrated is treated as MEDIUM: not ignorable, not alarming until someone rates it.
    return v.severity or Severity.MEDIUM


def known_vulnerabilities(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    view = collect(facts)
    if not view.open:
        return []
    worst = max((_severity(v) for v in view.open), key=lambda s: s.rank)
    counts = Counter(str(_severity(v)) for v in view.open)
    # Listed in the order of their English wording, as the explanation always listed them.
    worst_items: dict[str, Param] = {}
    for v in view.open:
        if _severity(v) is worst:
            component = (
                f"{v.affected_purl}@{v.affected_version}" if v.affected_version else v.affected_purl
            )
            worst_items[f"{v.id} in {component}"] = text(
                "screening.vulnerabilities.in", id=v.id, component=component
            )
    by_count = TextList(
        tuple(
            text(f"screening.vulnerabilities.count.{s}", count=counts[str(s)])
            for s in reversed(Severity)
            if counts[str(s)]
        )
    )
    unrated = sum(1 for v in view.open if v.severity is None)
    message = text(
        "screening.vulnerabilities.open_unrated" if unrated else "screening.vulnerabilities.open",
        count=len(view.open),
        by_severity=by_count,
        worst=preview(list(worst_items), shown=worst_items),
        **({"unrated": unrated} if unrated else {}),
    )
    return [
        finding(
            "KNOWN_VULNERABILITIES",
            worst,
            message,
            {
                "open_count": len(view.open),
                "closed_count": len(view.closed),
                "by_severity": dict(sorted(counts.items())),
                "vulnerability_ids": capped([v.id for v in view.open]),
                "component_purls": capped(
                    [
                        f"{v.affected_purl}@{v.affected_version}"
                        if v.affected_version
                        else v.affected_purl
                        for v in view.open
                    ]
                ),
            },
        )
    ]
