"""Verdict, score and ordering of the Article 19 screening."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date

import orjson
import pytest

from procurement.errors import ErrorCode, InputError
from procurement.screening.engine import screen
from procurement.screening.facts import RestrictionEntry, ScreeningFacts
from procurement.screening.model import (
    Art10Factor,
    Category,
    Finding,
    Ownership,
    Severity,
    Verdict,
)
from procurement.screening.ruleset import RuleSet
from tests.unit.screening.conftest import SBOM

FactsFactory = Callable[..., ScreeningFacts]  # the make_facts fixture in conftest.py
MICRON = RestrictionEntry(
    subject="Micron Technology, Inc.",
    list_name="CAC cybersecurity review conclusion",
    source="https://www.cac.gov.cn/2023-05/21/c_1686348043518073.htm",
    listed_on=date(2023, 5, 21),
    reason="products failed the cybersecurity review",
)


def rule_ids(findings: Sequence[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


def test_clean_domestic_purchase_screens_no(make_facts: FactsFactory) -> None:
    result = screen(make_facts())
    assert result.verdict is Verdict.NO
    assert result.score == 0
    assert result.reasons == ("in scope, but no risk factor found by the enabled rules",)
    assert rule_ids(result.findings) == ["APPLICABILITY", "APPLICABILITY"]
    assert result.findings[1].explanation == (
        "Purchase P-1 is core network equipment (CORE_NETWORK_EQUIPMENT), a network product or "
        "service under Review Measures Art. 21."
    )
    assert result.findings[0].factor is None
    assert result.missing_facts == ()
    assert result.ruleset_version == 1


def test_foreign_vendor_in_scope_is_yes(make_facts: FactsFactory) -> None:
    # given a US vendor with a US parent
    facts = make_facts(vendor={"country": "US", "ultimate_parent_country": "US"})
    # when screened
    result = screen(facts)
    # then
    assert result.verdict is Verdict.YES
    assert result.score == 30
    assert result.reasons == (
        "CII operator, Art. 21 category CORE_NETWORK_EQUIPMENT, HIGH/CRITICAL findings in "
        "FOREIGN_CONTROL",
    )
    top = result.findings[0]
    assert (top.rule_id, top.severity, top.factor) == (
        "FOREIGN_CONTROL",
        Severity.HIGH,
        Art10Factor.SUPPLY_CHAIN,
    )
    assert top.legal_basis == "Review Measures Art. 10(3); CII Regulations Art. 19"
    assert top.explanation.startswith(
        "Vendor Huadong Networks Co., Ltd.: the vendor is located in US; its ultimate parent "
        "Huadong Group is in US (outside mainland China)."
    )


def test_not_cii_operator_is_no_even_with_high_findings(make_facts: FactsFactory) -> None:
    result = screen(make_facts(purchase={"operator_is_cii": False}, vendor={"country": "US"}))
    assert result.verdict is Verdict.NO
    assert result.reasons == ("not an identified CII operator: Art. 19 review duty does not apply",)
    assert result.score == 30  # findings still listed and scored


def test_outside_scope_is_no_with_reason_finding(make_facts: FactsFactory) -> None:
    result = screen(make_facts(purchase={"category": Category.OUTSIDE_SCOPE}))
    assert result.verdict is Verdict.NO
    assert result.reasons == ("category outside the Art. 21 network products and services",)
    scope = [f for f in result.findings if f.evidence.get("category") == "OUTSIDE_SCOPE"]
    assert len(scope) == 1
    assert "reclassify it as OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE" in scope[0].explanation


def test_not_a_network_product_runs_no_rule_and_asks_for_no_sbom(
    make_facts: FactsFactory,
) -> None:
    # given office chairs from a listed foreign vendor, with no SBOM
    facts = make_facts(
        purchase={"category": Category.NOT_NETWORK_PRODUCT},
        vendor={"country": "US", "restrictions": (MICRON,)},
        sboms=(),
    )
    # when screened
    result = screen(facts)
    # then NO, for that reason alone: no risk finding, no SBOM request, no missing fact
    assert result.verdict is Verdict.NO
    assert result.reasons == ("not a network product or service: Arts. 19 and 20 do not apply",)
    assert [f.rule_id for f in result.findings] == ["APPLICABILITY", "APPLICABILITY"]
    assert (result.score, result.missing_facts) == (0, ())
    assert "no SBOM is asked for" in result.findings[1].explanation


def test_outside_scope_with_critical_finding_needs_assessment(make_facts: FactsFactory) -> None:
    facts = make_facts(
        purchase={"category": Category.OUTSIDE_SCOPE}, vendor={"restrictions": (MICRON,)}
    )
    result = screen(facts)
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert "CRITICAL findings (RESTRICTION_LIST)" in result.reasons[0]


def test_unknown_cii_identification_needs_assessment(make_facts: FactsFactory) -> None:
    result = screen(make_facts(purchase={"operator_is_cii": None}, vendor={"country": "DE"}))
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert result.reasons == (
        "unknown whether the operator is an identified CII operator",
        "would be YES if it is: HIGH/CRITICAL findings in FOREIGN_CONTROL",
    )
    assert result.missing_facts == ("purchase.operator_is_cii",)


def test_only_low_findings_need_assessment(make_facts: FactsFactory) -> None:
    result = screen(make_facts(vendor={"ownership": Ownership.JOINT_VENTURE}))
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert result.score == 5
    assert result.reasons == ("in scope with only LOW/MEDIUM findings in FOREIGN_CONTROL",)


def test_missing_fact_alone_needs_assessment(make_facts: FactsFactory) -> None:
    result = screen(make_facts(purchase={"vendor_remote_maintenance": None}))
    assert result.verdict is Verdict.NEEDS_ASSESSMENT
    assert result.score == 0
    assert result.reasons == ("facts unknown: purchase.vendor_remote_maintenance",)
    assert result.missing_facts == ("purchase.vendor_remote_maintenance",)


def test_score_is_capped_and_findings_sorted_by_severity(make_facts: FactsFactory) -> None:
    facts = make_facts(
        purchase={
            "handles_core_data": True,
            "vendor_remote_maintenance": True,
            "vendor_update_channel": True,
        },
        vendor={"country": "US", "restrictions": (MICRON,)},
    )
    result = screen(facts)
    # CRITICAL 50 + CRITICAL 50 + HIGH 30 * 3 = 190, capped
    assert result.score == 100
    assert [f.severity for f in result.findings][:5] == [
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.HIGH,
        Severity.HIGH,
        Severity.HIGH,
    ]
    assert rule_ids(result.findings)[:2] == ["RESTRICTION_LIST", "DATA_EXPOSURE"]


def test_score_counts_each_risk_once_not_each_document(make_facts: FactsFactory) -> None:
    # given a purchase with one SBOM missing suppliers (LOW) and joint-venture ownership (LOW)
    partial = dataclasses.replace(SBOM, components_without_supplier=30)
    vendor = {"ownership": Ownership.JOINT_VENTURE}
    one = screen(make_facts(vendor=vendor, sboms=(partial,)))
    # when the vendor supplies 25 such SBOMs instead of one
    many = screen(
        make_facts(
            vendor=vendor,
            sboms=tuple(dataclasses.replace(partial, label=f"fw {i}") for i in range(25)),
        )
    )
    # then there are 26 findings but still two risks: the score stays 5 + 5
    assert len([f for f in many.findings if f.rule_id == "SBOM_TRANSPARENCY"]) == 25
    assert one.score == 10
    assert many.score == 10
    assert many.reasons == one.reasons


def test_score_takes_the_worst_finding_of_a_risk(make_facts: FactsFactory) -> None:
    # given one SBOM below the quality threshold (MEDIUM) that also misses suppliers (LOW)
    result = screen(make_facts(sbom={"quality_score": 40, "components_without_supplier": 30}))
    # then the SBOM transparency risk counts once, at MEDIUM
    assert [f.severity for f in result.findings if f.rule_id == "SBOM_TRANSPARENCY"] == [
        Severity.MEDIUM,
        Severity.LOW,
    ]
    assert result.score == 15


def test_disabled_rule_does_not_run(make_facts: FactsFactory) -> None:
    ruleset = RuleSet(version=7, enabled_rules=frozenset({"REMOTE_ACCESS"}))
    result = screen(make_facts(vendor={"country": "US"}), ruleset)
    assert result.verdict is Verdict.NO
    assert result.ruleset_version == 7
    assert "FOREIGN_CONTROL" not in rule_ids(result.findings)


def test_deterministic_and_json_ready(make_facts: FactsFactory) -> None:
    facts = make_facts(vendor={"country": "US", "restrictions": (MICRON,)})
    first, second = screen(facts), screen(facts)
    assert first == second
    as_json = orjson.loads(orjson.dumps(first.to_dict()))
    assert as_json["verdict"] == "YES"
    assert as_json["findings"][0]["evidence"]["vendor_entries"] == [
        {
            "subject": "Micron Technology, Inc.",
            "list_name": "CAC cybersecurity review conclusion",
            "source": "https://www.cac.gov.cn/2023-05/21/c_1686348043518073.htm",
            "listed_on": "2023-05-21",
            "reason": "products failed the cybersecurity review",
        }
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vendor": {"country": "usa"}}, "vendor.country"),
        ({"vendor": {"ultimate_parent_country": "China"}}, "vendor.ultimate_parent_country"),
        (
            {"purchase": {"personal_information_subjects": -1}},
            "purchase.personal_information_subjects",
        ),
        ({"sbom": {"quality_score": 101}}, "sboms[0].quality_score"),
    ],
)
def test_invalid_facts_name_the_field(
    make_facts: FactsFactory, changes: dict[str, dict[str, object]], field: str
) -> None:
    with pytest.raises(InputError) as exc:
        make_facts(**changes)
    assert exc.value.errors[0].field == field
    assert exc.value.errors[0].code in (ErrorCode.INVALID, ErrorCode.OUT_OF_RANGE)
