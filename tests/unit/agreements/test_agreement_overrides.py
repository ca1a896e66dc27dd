"""Overrides: GraphQL shape -> fact paths, validation, and the JSON round trip for reuse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contract_templates import find_template, template_bytes
from procurement.agreements.documents import agreement_file_stem, clause_ids
from procurement.agreements.labels import category_code, country_name
from procurement.agreements.store.facts import (
    client_path,
    overrides_from_json,
    overrides_to_json,
    validate_overrides,
)
from procurement.agreements.terms import ContactInput
from procurement.enums import PurchaseCategory
from procurement.validation import Checker
from schema.agreements.inputs import flat_overrides


def test_nested_graphql_overrides_become_fact_paths() -> None:
    raw = {
        "agreement_number": "SEC-1",
        "operator": {"representative": "张三"},
        "vendor": {"registration_id": "R-1", "address": None},
        "terms": {"governing_place": "上海", "term_end": date(2028, 1, 1)},
        "contacts": [{"name": "Li", "role": "CISO", "contact": None}],
    }
    assert flat_overrides(raw) == {
        "agreement_number": "SEC-1",
        "operator.representative": "张三",
        "vendor.registration_id": "R-1",
        "vendor.address": None,
        "terms.governing_place": "上海",
        "terms.term_end": date(2028, 1, 1),
        "contacts": [ContactInput("Li", "CISO", None)],
    }


def test_validation_trims_drops_blanks_and_names_unknown_paths() -> None:
    check = Checker()
    out = validate_overrides(
        {
            "operator.representative": "  张三 ",
            "vendor.address": "   ",
            "vendor.name": "Other name",
            "terms.bogus": 1,
            "contacts": [ContactInput("", "CISO")],
        },
        check,
    )
    assert out == {"operator.representative": "张三", "contacts": ()}
    assert [(e.field, e.message) for e in check.errors] == [
        ("overrides.vendor.name", "is not a fact that can be overridden"),
        ("overrides.terms.bogus", "is not a fact that can be overridden"),
        ("overrides.contacts.0.name", "is required"),
    ]


def test_overrides_survive_the_json_round_trip() -> None:
    overrides = {
        "operator.representative": "张三",
        "terms.term_end": date(2028, 1, 1),
        "terms.liquidated_damages_percent": Decimal("12.5"),
        "terms.vulnerability_notice_hours": 12,
        "contacts": (ContactInput("Li", "CISO", "li@example.cn"),),
    }
    stored = overrides_to_json(overrides)
    assert stored == {
        "operator.representative": "张三",
        "terms.term_end": "2028-01-01",
        "terms.liquidated_damages_percent": "12.5",
        "terms.vulnerability_notice_hours": 12,
        "contacts": [{"name": "Li", "role": "CISO", "contact": "li@example.cn"}],
    }
    assert overrides_from_json(stored) == overrides


def test_client_paths_are_camel_case() -> None:
    assert client_path("vendor.registration_id") == "overrides.vendor.registrationId"
    assert client_path("agreement_number") == "overrides.agreementNumber"
    assert client_path("contacts.0.name") == "overrides.contacts.0.name"


def test_labels_and_names() -> None:
    assert category_code(PurchaseCategory.CORE_NETWORK_EQUIPMENT) == "core-network-equipment"
    assert (country_name("cn", "zh"), country_name("US", "en"), country_name("BR", "zh")) == (
        "中国",
        "United States",
        "巴西",  # issue 9: a country not listed is named from CLDR, never shown as a bare code
    )
    assert (country_name("VN", "en"), country_name("VN", "zh")) == ("Vietnam", "越南")
    assert agreement_file_stem("Security and  Confidentiality", "N-1", "en") == (
        "Security-and-Confidentiality_N-1_en"
    )


def test_clause_bookmarks_are_read_back_from_the_shipped_template() -> None:
    info = find_template("security-agreement", "en")
    assert clause_ids(template_bytes(info)) == info.clauses
    assert clause_ids(b"not a zip") == ()
