"""Known vulnerabilities: VEX statements, advisory matching, de-duplication, exclusions."""

from __future__ import annotations

from collections.abc import Callable

from procurement.screening.advisories import Advisory
from procurement.screening.engine import screen
from procurement.screening.facts import (
    AnalysisState,
    ComponentRef,
    ScreeningFacts,
    VulnerabilityFact,
)
from procurement.screening.model import Art10Factor, Finding, Severity, Verdict
from procurement.screening.vulnerabilities import collect, match_advisories

FactsFactory = Callable[..., ScreeningFacts]  # the make_facts fixture in conftest.py
Loader = Callable[[str], Advisory]
LOG4J_OLD = ComponentRef.from_purl(
    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Apache Software Foundation"
)
LODASH_OLD = ComponentRef.from_purl("pkg:npm/lodash@4.17.20", "OpenJS Foundation")
LOG4J_ID = "pkg:maven/org.apache.logging.log4j/log4j-core"


def vex(
    vuln_id: str, state: AnalysisState | None, severity: Severity | None = Severity.HIGH
) -> VulnerabilityFact:
    return VulnerabilityFact(
        id=vuln_id,
        severity=severity,
        affected_purl=LOG4J_ID,
        affected_version="2.14.1",
        analysis_state=state,
        source="VEX",
    )


def vuln_finding(facts: ScreeningFacts) -> list[Finding]:
    return [f for f in screen(facts).findings if f.rule_id == "KNOWN_VULNERABILITIES"]


def test_advisories_match_sbom_components(osv: Loader) -> None:
    advisories = [osv("GHSA-jfh8-c2jp-5v3q"), osv("GHSA-35jh-r3h4-6jhm")]
    fixed_lodash = ComponentRef.from_purl("pkg:npm/lodash@4.17.21")
    matched = match_advisories([LOG4J_OLD, LODASH_OLD, fixed_lodash], advisories)
    assert [(v.id, v.affected_purl, v.affected_version, v.severity) for v in matched] == [
        ("GHSA-35jh-r3h4-6jhm", "pkg:npm/lodash", "4.17.20", Severity.HIGH),
        ("GHSA-jfh8-c2jp-5v3q", LOG4J_ID, "2.14.1", Severity.CRITICAL),
    ]
    assert matched[1].aliases == ("CVE-2021-44228",)


def test_prefilter_keeps_every_spelling_the_identity_maps_to_one_name(osv: Loader) -> None:
    # given lodash written in other case, with a percent-escape, and padded, among many
    # components that no advisory names (as stored rows give them, not parsed from a purl)
    spellings = [("LoDash", "4.17.20"), ("lod%61sh", "4.17.19"), (" lodash/", "4.17.18")]
    others = [ComponentRef("npm", None, f"other-{i}", "1.0.0") for i in range(50)]
    components = [*others, *(ComponentRef("npm", None, n, v) for n, v in spellings)]
    # when matched against the lodash advisory
    matched = match_advisories(components, [osv("GHSA-35jh-r3h4-6jhm")])
    # then every spelling that normalises to lodash is matched, as without the cheap name test
    assert [(v.affected_purl, v.affected_version) for v in matched] == [
        ("pkg:npm/lodash", "4.17.18"),
        ("pkg:npm/lodash", "4.17.19"),
        ("pkg:npm/lodash", "4.17.20"),
    ]


def test_matched_log4shell_gives_critical_finding(make_facts: FactsFactory, osv: Loader) -> None:
    # given an SBOM with log4j-core 2.14.1 and the Log4Shell advisory
    facts = make_facts(sbom={"components": (LOG4J_OLD,)}, advisories=(osv("GHSA-jfh8-c2jp-5v3q"),))
    # when screened
    result = screen(facts)
    # then
    assert result.verdict is Verdict.YES
    [found] = [f for f in result.findings if f.rule_id == "KNOWN_VULNERABILITIES"]
    assert found.severity is Severity.CRITICAL
    assert found.factor is Art10Factor.ILLEGAL_CONTROL
    assert found.explanation.startswith(
        "1 known vulnerabilities are not analysed as not affecting the product (1 CRITICAL); "
        "the worst: GHSA-jfh8-c2jp-5v3q in pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1."
    )
    assert found.evidence == {
        "open_count": 1,
        "closed_count": 0,
        "by_severity": {"CRITICAL": 1},
        "vulnerability_ids": ["GHSA-jfh8-c2jp-5v3q"],
        "component_purls": [f"{LOG4J_ID}@2.14.1"],
    }


def test_fixed_version_in_sbom_does_not_match(make_facts: FactsFactory, osv: Loader) -> None:
    # the default SBOM has log4j-core 2.17.1 and lodash 4.17.21
    facts = make_facts(advisories=(osv("GHSA-jfh8-c2jp-5v3q"), osv("GHSA-35jh-r3h4-6jhm")))
    assert vuln_finding(facts) == []


def test_vex_not_affected_under_cve_closes_the_ghsa(make_facts: FactsFactory, osv: Loader) -> None:
    # given the vendor's VEX says CVE-2021-44228 does not affect the product (e.g. JndiLookup
    # removed), and the GHSA with that CVE as alias matches the component
    facts = make_facts(
        sbom={"components": (LOG4J_OLD,)},
        advisories=(osv("GHSA-jfh8-c2jp-5v3q"),),
        vulnerabilities=(vex("CVE-2021-44228", AnalysisState.NOT_AFFECTED),),
    )
    view = collect(facts)
    assert view.open == ()
    assert [v.id for v in view.closed] == ["CVE-2021-44228"]
    assert vuln_finding(facts) == []


def test_vex_in_triage_and_advisory_are_one_vulnerability(
    make_facts: FactsFactory, osv: Loader
) -> None:
    facts = make_facts(
        sbom={"components": (LOG4J_OLD,)},
        advisories=(osv("GHSA-jfh8-c2jp-5v3q"),),
        vulnerabilities=(vex("CVE-2021-44228", AnalysisState.IN_TRIAGE),),
    )
    view = collect(facts)
    # the VEX entry wins: it came first and carries the supplier's analysis
    assert [(v.id, v.source, v.severity) for v in view.open] == [
        ("CVE-2021-44228", "VEX", Severity.HIGH)
    ]


def test_excluded_states_and_unrated(make_facts: FactsFactory) -> None:
    facts = make_facts(
        vulnerabilities=(
            vex("CVE-2000-0001", AnalysisState.FALSE_POSITIVE),
            vex("CVE-2000-0002", AnalysisState.RESOLVED),
            vex("CVE-2000-0003", AnalysisState.RESOLVED_WITH_PEDIGREE),
            vex("CVE-2000-0004", AnalysisState.EXPLOITABLE, Severity.LOW),
            vex("CVE-2000-0005", None, None),
        )
    )
    [found] = vuln_finding(facts)
    assert found.severity is Severity.MEDIUM  # unrated counts as MEDIUM
    assert found.evidence["open_count"] == 2
    assert found.evidence["closed_count"] == 3
    assert found.evidence["by_severity"] == {"LOW": 1, "MEDIUM": 1}
    assert "1 unrated, counted as MEDIUM" in found.explanation


def test_vex_purl_with_version_and_qualifiers_is_normalised(make_facts: FactsFactory) -> None:
    closing = VulnerabilityFact(
        id="CVE-2021-44228",
        severity=Severity.CRITICAL,
        affected_purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
        affected_version=None,
        analysis_state=AnalysisState.NOT_AFFECTED,
        source="VEX",
    )
    facts = make_facts(vulnerabilities=(closing, vex("CVE-2021-44228", AnalysisState.IN_TRIAGE)))
    assert collect(facts).open == ()
