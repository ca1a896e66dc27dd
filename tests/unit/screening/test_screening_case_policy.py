"""When a screening result opens a review case (procurement.screening.case_policy)."""

from __future__ import annotations

import pytest

from procurement.enums import CaseState
from procurement.screening.case_policy import DecisionBasis, opens_case, risk_rose
from procurement.screening.model import Art10Factor, Finding, ScreeningResult, Severity, Verdict


def finding(rule_id: str, severity: Severity) -> Finding:
    return Finding(rule_id, Art10Factor.SUPPLY_CHAIN, severity, "why", {}, "Review Measures")


def result(verdict: Verdict, *findings: Finding) -> ScreeningResult:
    return ScreeningResult(verdict, 40, findings, ("reason",), 1)


FOREIGN_HIGH = finding("FOREIGN_VENDOR", Severity.HIGH)
SBOM_CRITICAL = finding("SBOM_KNOWN_VULNERABILITY", Severity.CRITICAL)
WAIVED_ON_YES = DecisionBasis(Verdict.YES, [FOREIGN_HIGH.to_dict()])


@pytest.mark.parametrize("verdict", [Verdict.YES, Verdict.NEEDS_ASSESSMENT])
def test_a_flagged_purchase_without_a_case_opens_one(verdict: Verdict) -> None:
    # given a purchase that never had a case; when screening flags it; then a case opens
    assert opens_case(result(verdict), None, None) is True


@pytest.mark.parametrize("latest", [None, CaseState.NOT_REQUIRED])
def test_a_no_verdict_never_opens_a_case(latest: CaseState | None) -> None:
    # given no case, or one closed as not required without a known basis
    # when screening says NO; then nothing opens
    assert opens_case(result(Verdict.NO, SBOM_CRITICAL), latest, None) is False


@pytest.mark.parametrize(
    "decided",
    [CaseState.NO_REVIEW_NEEDED, CaseState.PASSED, CaseState.FAILED, CaseState.WITHDRAWN],
)
def test_the_offices_decision_or_a_withdrawal_stands(decided: CaseState) -> None:
    # given the newest case closed by the office or withdrawn
    # when screening says YES with a new critical finding; then no case reopens
    assert opens_case(result(Verdict.YES, SBOM_CRITICAL), decided, None) is False


def test_not_required_stands_while_the_risk_is_unchanged() -> None:
    # given a NOT_REQUIRED decision taken on a YES with a HIGH foreign-vendor finding
    # when the same risk is screened again (a lower finding added changes nothing)
    again = result(Verdict.YES, FOREIGN_HIGH, finding("SINGLE_SOURCE", Severity.MEDIUM))
    # then no case opens
    assert risk_rose(WAIVED_ON_YES, again) is False
    assert opens_case(again, CaseState.NOT_REQUIRED, WAIVED_ON_YES) is False


def test_not_required_reopens_on_a_worse_verdict() -> None:
    # given a NOT_REQUIRED decision taken on NEEDS_ASSESSMENT
    basis = DecisionBasis(Verdict.NEEDS_ASSESSMENT, [])
    # when screening now says YES; then a new case opens
    assert opens_case(result(Verdict.YES), CaseState.NOT_REQUIRED, basis) is True


def test_not_required_reopens_on_a_high_finding_the_decision_did_not_see() -> None:
    # given a NOT_REQUIRED decision on a YES with one HIGH finding
    # when a CRITICAL finding of another rule appears (same verdict)
    worse = result(Verdict.YES, FOREIGN_HIGH, SBOM_CRITICAL)
    # then the risk rose and a case opens
    assert risk_rose(WAIVED_ON_YES, worse) is True
    assert opens_case(worse, CaseState.NOT_REQUIRED, WAIVED_ON_YES) is True


def test_a_seen_rule_rising_to_critical_counts_as_new() -> None:
    # given the decision saw FOREIGN_VENDOR at HIGH; when it is now CRITICAL; then the risk rose
    raised = result(Verdict.YES, finding("FOREIGN_VENDOR", Severity.CRITICAL))
    assert risk_rose(WAIVED_ON_YES, raised) is True


def test_a_better_verdict_does_not_count_as_a_rise() -> None:
    # given a decision on YES; when screening says NEEDS_ASSESSMENT with the same finding
    # then the risk did not rise
    assert risk_rose(WAIVED_ON_YES, result(Verdict.NEEDS_ASSESSMENT, FOREIGN_HIGH)) is False


def test_not_required_without_a_known_basis_reopens() -> None:
    # given a NOT_REQUIRED case whose screening basis is unknown; when flagged; then it reopens
    assert opens_case(result(Verdict.NEEDS_ASSESSMENT), CaseState.NOT_REQUIRED, None) is True
