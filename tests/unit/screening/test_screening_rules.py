"""Each rule: when it fires, at which severity, with which evidence and explanation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from procurement.screening.engine import screen
from procurement.screening.facts import ComponentRef, RestrictionEntry, ScreeningFacts
from procurement.screening.model import Art10Factor, Category, Finding, Ownership, Severity
from procurement.screening.rules.vendor import normalise_party_name
from procurement.screening.ruleset import RuleSet, Thresholds

FactsFactory = Callable[..., ScreeningFacts]  # the make_facts fixture in conftest.py
UEL = RestrictionEntry(
    subject="Skyline Defense Systems LLC",
    list_name="Unreliable Entity List",
    source="MOFCOM announcement (example)",
    listed_on=date(2024, 1, 2),
    reason="example listing for tests",
    aliases=("Skyline Defence Systems",),
)


def of(facts: ScreeningFacts, rule_id: str, ruleset: RuleSet | None = None) -> list[Finding]:
    result = screen(facts, ruleset) if ruleset else screen(facts)
    return [f for f in result.findings if f.rule_id == rule_id]


# --- restriction lists ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Micron Technology, Inc.", "micron technology"),
        ("MICRON TECHNOLOGY INC", "micron technology"),
        ("Ｍｉｃｒｏｎ Technology Inc", "micron technology"),  # full-width letters
        ("Huadong Networks Co., Ltd.", "huadong networks"),
        ("华东网络技术有限公司", "华东网络技术"),
        ("Co., Ltd.", "co"),
    ],
)
def test_party_name_normalisation(name: str, key: str) -> None:
    assert normalise_party_name(name) == key


def test_vendor_name_on_list_is_critical(make_facts: FactsFactory) -> None:
    facts = make_facts(vendor={"name": "SKYLINE DEFENSE SYSTEMS, L.L.C."}, restriction_list=(UEL,))
    # "l l c" is not "llc": only listed aliases and legal-form words are tolerated
    assert of(facts, "RESTRICTION_LIST") == []
    facts = make_facts(vendor={"name": "Skyline Defence Systems"}, restriction_list=(UEL,))
    [found] = of(facts, "RESTRICTION_LIST")
    assert found.severity is Severity.CRITICAL
    assert found.explanation.startswith(
        "Vendor Skyline Defence Systems is listed on Unreliable Entity List (2024-01-02)."
    )
    assert found.evidence["vendor_entries"][0]["list_name"] == "Unreliable Entity List"


def test_listed_vendor_cites_the_compliance_factor_its_text_argues(
    make_facts: FactsFactory,
) -> None:
    # given the vendor itself on a list
    facts = make_facts(vendor={"name": "Skyline Defence Systems"}, restriction_list=(UEL,))
    # when screened
    [found] = of(facts, "RESTRICTION_LIST")
    # then citation and text both argue the provider's compliance (factor 4), not supply
    assert found.factor is Art10Factor.PROVIDER_COMPLIANCE
    assert found.legal_basis == "Review Measures Art. 10(4); CII Regulations Art. 19"
    assert "compliance with Chinese laws and regulations (Art. 10(4))" in found.explanation
    assert "cut off" not in found.explanation


def test_parent_on_list(make_facts: FactsFactory) -> None:
    facts = make_facts(
        vendor={"ultimate_parent_name": "Skyline Defense Systems LLC"}, restriction_list=(UEL,)
    )
    [found] = of(facts, "RESTRICTION_LIST")
    assert found.severity is Severity.CRITICAL
    assert found.evidence["parent_entries"][0]["subject"] == "Skyline Defense Systems LLC"
    assert found.evidence["vendor_entries"] == []


def test_component_supplier_on_list_groups_spellings(make_facts: FactsFactory) -> None:
    # given the supplier spelled two ways in the SBOM
    components = (
        ComponentRef.from_purl("pkg:generic/skyline/radio-fw@3.1", "SKYLINE DEFENSE SYSTEMS LLC"),
        ComponentRef.from_purl("pkg:generic/skyline/radio-drv@3.1", "Skyline Defense Systems"),
        ComponentRef.from_purl("pkg:npm/lodash@4.17.21", "Huadong Networks"),
    )
    facts = make_facts(
        sbom={"components": components, "component_suppliers": ("Skyline Defense Systems",)},
        restriction_list=(UEL,),
    )
    [found] = of(facts, "RESTRICTION_LIST")
    assert found.severity is Severity.HIGH
    assert found.evidence["suppliers"] == ["SKYLINE DEFENSE SYSTEMS LLC", "Skyline Defense Systems"]
    assert found.evidence["component_purls"] == [
        "pkg:generic/skyline/radio-drv@3.1",
        "pkg:generic/skyline/radio-fw@3.1",
    ]
    assert found.evidence["component_count"] == 2
    # and a listed component supplier is a supply-chain finding, cited as such
    assert found.factor is Art10Factor.SUPPLY_CHAIN
    assert found.legal_basis == "Review Measures Art. 10(3); CII Regulations Art. 19"
    assert "supply channel unreliable (Art. 10(3))" in found.explanation


# --- foreign control -----------------------------------------------------------------------


def test_hong_kong_vendor_is_outside_mainland(make_facts: FactsFactory) -> None:
    [found] = of(make_facts(vendor={"country": "HK"}), "FOREIGN_CONTROL")
    assert found.severity is Severity.HIGH
    assert "the vendor is located in HK" in found.explanation
    assert found.evidence["country"] == "HK"


def test_domestic_vendor_with_foreign_control(make_facts: FactsFactory) -> None:
    facts = make_facts(vendor={"ownership": Ownership.FOREIGN_CONTROLLED})
    [found] = of(facts, "FOREIGN_CONTROL")
    assert "its ownership is recorded as foreign-controlled" in found.explanation


def test_unknown_vendor_facts_are_asked_for(make_facts: FactsFactory) -> None:
    facts = make_facts(vendor={"country": None, "ultimate_parent_country": None})
    found = of(facts, "FOREIGN_CONTROL")
    assert [f.missing_facts for f in found] == [
        ("vendor.country",),
        ("vendor.ultimate_parent_country",),
    ]
    assert all(f.severity is Severity.INFO for f in found)


# --- remote access, data, continuity, value ------------------------------------------------


def test_remote_maintenance_and_update_channel(make_facts: FactsFactory) -> None:
    facts = make_facts(purchase={"vendor_remote_maintenance": True, "vendor_update_channel": True})
    found = of(facts, "REMOTE_ACCESS")
    assert [f.evidence for f in found] == [
        {"purchase_id": "P-1", "vendor_remote_maintenance": True},
        {"purchase_id": "P-1", "vendor_update_channel": True},
    ]
    assert {f.severity for f in found} == {Severity.HIGH}


@pytest.mark.parametrize(
    ("subjects", "severity", "wording"),
    [
        (1_000_001, Severity.HIGH, "1,000,001 people, above the 1,000,000 threshold"),
        (1_000_000, Severity.INFO, "1,000,000 people, not above the 1,000,000 threshold"),
    ],
)
def test_personal_information_threshold_is_strictly_above(
    make_facts: FactsFactory, subjects: int, severity: Severity, wording: str
) -> None:
    facts = make_facts(
        purchase={"handles_personal_information": True, "personal_information_subjects": subjects}
    )
    [found] = of(facts, "DATA_EXPOSURE")
    assert found.severity is severity
    assert wording in found.explanation
    assert found.evidence == {
        "purchase_id": "P-1",
        "personal_information_subjects": subjects,
        "threshold": 1_000_000,
    }


def test_personal_information_threshold_is_configurable(make_facts: FactsFactory) -> None:
    ruleset = RuleSet(version=2, thresholds=Thresholds(personal_information_subjects=500_000))
    facts = make_facts(
        purchase={"handles_personal_information": True, "personal_information_subjects": 600_000}
    )
    [found] = of(facts, "DATA_EXPOSURE", ruleset)
    assert found.severity is Severity.HIGH
    assert "above the 500,000 threshold for a large amount (rule set v2)" in found.explanation


def test_personal_information_without_count_is_missing(make_facts: FactsFactory) -> None:
    facts = make_facts(purchase={"handles_personal_information": True})
    [found] = of(facts, "DATA_EXPOSURE")
    assert found.missing_facts == ("purchase.personal_information_subjects",)


def test_core_data_is_critical(make_facts: FactsFactory) -> None:
    [found] = of(make_facts(purchase={"handles_core_data": True}), "DATA_EXPOSURE")
    assert found.severity is Severity.CRITICAL


@pytest.mark.parametrize(
    ("critical", "severity", "missing"),
    [
        (True, Severity.HIGH, ()),
        (False, Severity.LOW, ()),
        (None, Severity.MEDIUM, ("purchase.business_critical_cii_system",)),
    ],
)
def test_single_source(
    make_facts: FactsFactory,
    critical: bool | None,
    severity: Severity,
    missing: tuple[str, ...],
) -> None:
    facts = make_facts(purchase={"single_source": True, "business_critical_cii_system": critical})
    [found] = of(facts, "SUPPLY_CONTINUITY")
    assert (found.severity, found.missing_facts) == (severity, missing)


@pytest.mark.parametrize(
    ("value", "fires"),
    [(Decimal("10000000.01"), True), (Decimal("10000000"), False), (Decimal("0"), False)],
)
def test_value_threshold(make_facts: FactsFactory, value: Decimal, fires: bool) -> None:
    found = of(make_facts(purchase={"value_cny": value}), "PURCHASE_VALUE")
    assert bool(found) is fires
    if fires:
        assert found[0].severity is Severity.MEDIUM
        assert found[0].evidence["value_cny"] == "10000000.01"
        assert "CNY 10,000,000.01, above the CNY 10,000,000.00 threshold" in found[0].explanation


def test_value_not_convertible(make_facts: FactsFactory) -> None:
    [found] = of(make_facts(purchase={"value_cny": None}), "PURCHASE_VALUE")
    assert found.missing_facts == ("purchase.value_cny",)


# --- SBOM ----------------------------------------------------------------------------------


def test_no_sbom(make_facts: FactsFactory) -> None:
    [found] = of(make_facts(sboms=()), "SBOM_TRANSPARENCY")
    assert found.severity is Severity.MEDIUM
    assert found.evidence == {"purchase_id": "P-1", "sbom_count": 0}


@pytest.mark.parametrize(("score", "fires"), [(59, True), (60, False)])
def test_sbom_quality_threshold(make_facts: FactsFactory, score: int, fires: bool) -> None:
    found = of(make_facts(sbom={"quality_score": score}), "SBOM_TRANSPARENCY")
    assert bool(found) is fires


def test_components_without_supplier(make_facts: FactsFactory) -> None:
    [found] = of(make_facts(sbom={"components_without_supplier": 30}), "SBOM_TRANSPARENCY")
    assert found.severity is Severity.LOW
    assert "30 of 120 components (25%) name no supplier" in found.explanation


# --- certification (CSL Art. 23) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "reference", "asked"),
    [
        (Category.CORE_NETWORK_EQUIPMENT, None, True),
        (Category.NETWORK_SECURITY_EQUIPMENT, "", True),
        (Category.HIGH_PERFORMANCE_COMPUTER_SERVER, None, True),
        (Category.CORE_NETWORK_EQUIPMENT, "Certificate 2025-0417", False),
        (Category.MASS_STORAGE_DEVICE, None, False),  # not in the catalogue
        (Category.CLOUD_COMPUTING_SERVICE, None, False),
    ],
)
def test_certificate_is_asked_for_catalogued_equipment(
    make_facts: FactsFactory, category: Category, reference: str | None, asked: bool
) -> None:
    # given a purchase of the category with or without a recorded certificate
    facts = make_facts(purchase={"category": category, "certification_reference": reference})
    # when the rule runs
    found = of(facts, "CERTIFICATION")
    # then only catalogued equipment without a certificate gets the INFO request
    assert len(found) == (1 if asked else 0)
    if asked:
        assert found[0].severity is Severity.INFO
        assert found[0].legal_basis == (
            "Review Measures Art. 10(4); CSL Art. 23; CII Regulations Art. 19"
        )
        assert "record it (certificationReference)" in found[0].explanation
