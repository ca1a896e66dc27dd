"""Component rules: SBOM transparency (Art. 10(3)) and known vulnerabilities (Art. 10(1))."""

from __future__ import annotations

from collections import Counter

from procurement.screening.facts import ScreeningFacts, VulnerabilityFact
from procurement.screening.model import Finding, Severity
from procurement.screening.rules.common import capped, finding, preview
from procurement.screening.ruleset import RuleSet
from procurement.screening.vulnerabilities import collect


def sbom_transparency(facts: ScreeningFacts, ruleset: RuleSet) -> list[Finding]:
    p = facts.purchase
    threshold = ruleset.thresholds.sbom_quality
    if not facts.sboms:
        return [
            finding(
                "SBOM_TRANSPARENCY",
                Severity.MEDIUM,
                f"No SBOM has been supplied for purchase {p.id}, so its components, their "
                "origin and known vulnerabilities cannot be checked. Ask the vendor to upload a "
                "CycloneDX SBOM.",
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
                    f"SBOM {sbom.label} scores {sbom.quality_score}/100, below the threshold of "
                    f"{threshold} (rule set v{ruleset.version}). Ask the vendor for a complete "
                    "SBOM (supplier, name, version and purl for every component, dependencies).",
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
                    f"SBOM {sbom.label}: {sbom.components_without_supplier} of "
                    f"{sbom.component_count} components ({share:.0%}) name no supplier, so their "
                    "origin cannot be checked against restriction lists. Ask the vendor to fill "
                    "in the suppliers.",
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
    worst_items = [
        f"{v.id} in {v.affected_purl}@{v.affected_version}"
        if v.affected_version
        else f"{v.id} in {v.affected_purl}"
        for v in view.open
        if _severity(v) is worst
    ]
    by_count = ", ".join(f"{counts[str(s)]} {s}" for s in reversed(Severity) if counts[str(s)])
    unrated = sum(1 for v in view.open if v.severity is None)
    return [
        finding(
            "KNOWN_VULNERABILITIES",
            worst,
            f"{len(view.open)} known vulnerabilities are not analysed as not affecting the "
            f"product ({by_count}"
            + (f"; {unrated} unrated, counted as MEDIUM" if unrated else "")
            + f"); the worst: {preview(worst_items)}. Ask the vendor for a fix plan or a VEX "
            "statement per vulnerability; an exploitable flaw could let an attacker control the "
            "CII system.",
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
