"""The template context: exact display text, read-only plain values, and "what to fill in"."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from contract_templates import find_template
from procurement.agreements.context import (
    CONTEXT_VARIABLES,
    AgreementText,
    Person,
    build_context,
    clean_text,
    missing_facts,
)
from procurement.agreements.formatting import format_money
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.sample import sample_facts
from procurement.agreements.terms import default_terms
from procurement.errors import ErrorCode, FieldError

PLAIN = (str, int, bool, Decimal, date, type(None))


def _context(language: str, **changes: object) -> dict[str, object]:
    facts = dataclasses.replace(sample_facts(), **changes)  # type: ignore[arg-type]
    return dict(
        build_context(facts, derive_obligations(facts.purchase, facts.terms, language), language)
    )


def test_chinese_display_text_is_exact() -> None:
    # given the sample facts (CNY 1,234,567.89 tax included, contract 1 March 2025; no agreed
    # start, so the term runs from signing)
    # when the Chinese context is built
    text = _context("zh")["text"]
    # then every derived string is formatted for a Chinese contract, the term counted from the
    # day the agreement takes effect (clause 16.3), not from the contract date
    assert text == AgreementText(
        contract_value="人民币 1,234,567.89 元",
        tax_basis="含税",
        contract_date="2025年3月1日",
        category="核心网络设备",
        data_handled="个人信息（约 120,000 人）；重要数据",
        personal_information_volume="120,000",
        remote_maintenance="是",
        single_source="是",
        term_start="本协议生效之日",
        term_end="本协议生效满 3 年之日的前一日",
        maintenance_end="本协议生效满 5 年之日的前一日",
        liquidated_damages_percent="10%",
        processing_purpose="仅限于向甲方提供附件一所列产品和服务（包括交付、运行维护和技术支持）所必需",
        processing_method="按照甲方的书面指示，在甲方指定的系统和场所内进行上述目的所必需的存储、使用、加工"
        "和传输",
        processing_scope="个人信息：姓名、手机号码、用电户号；重要数据：省级电网调度运行数据",
    )


def test_english_display_text_is_exact() -> None:
    # given sample facts without any data handled, and a term start the parties agreed
    facts = sample_facts(flags=False)
    terms = default_terms(facts.purchase, {"term_start": date(2025, 3, 1)})
    facts = dataclasses.replace(facts, terms=terms)
    # when the English context is built
    ctx = build_context(facts, (), "en")
    # then
    assert ctx["text"] == AgreementText(
        contract_value="CNY 1,234,567.89",
        tax_basis="tax included",
        contract_date="1 March 2025",
        category="Core network equipment",
        data_handled="no personal information, important data or core data",
        personal_information_volume="0",
        remote_maintenance="No",
        single_source="No",
        term_start="1 March 2025",
        term_end="29 February 2028",
        maintenance_end="28 February 2030",
        liquidated_damages_percent="10%",
        processing_purpose="only as needed to supply the products and services in Schedule 1 to "
        "the Operator (delivery, operation and maintenance, technical support)",
        processing_method="storage, use, processing and transmission needed for that purpose, on "
        "the systems and premises the Operator designates and as the Operator instructs in writing",
        processing_scope="",
    )


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("1000", "USD", "zh", "美元 1,000.00"),
        ("1000", "usd", "en", "USD 1,000.00"),
        ("1500000", "JPY", "en", "JPY 1,500,000"),
        ("5", "XYZ", "zh", "XYZ 5.00"),
        ("0.005", "CNY", "zh", "人民币 0.00 元"),  # Decimal rounds half-even, never via float
    ],
)
def test_money_formatting(amount: str, currency: str, language: str, expected: str) -> None:
    assert format_money(Decimal(amount), currency, language) == expected  # type: ignore[arg-type]


def test_obligation_rows_show_due_text() -> None:
    # given the sample facts
    # when the English context is built for the unsigned agreement, then for one signed on
    # 10 June 2026 with an agreed term start of 1 March 2025
    rows = _context("en")["obligations"]
    facts = sample_facts()
    terms = default_terms(facts.purchase, {"term_start": date(2025, 3, 1)})
    signed = derive_obligations(facts.purchase, terms, "en", date(2026, 6, 10))
    dated = {r.code: r for r in build_context(facts, signed, "en")["obligations"]}  # type: ignore[attr-defined]
    # then unsigned duties are counted from signing (clauses 3.2, 11.1, 13.2 and 16.3), dated,
    # annual and event-triggered rows read as such
    by_code = {row.code: row for row in rows}  # type: ignore[attr-defined]
    assert by_code["CONTINUITY_PLAN"].due == "30 days after signing"
    assert by_code["ATTESTATION"].due == "every year from the first anniversary of signing"
    assert dated["CONTINUITY_PLAN"].due == "10 July 2026"
    assert dated["ATTESTATION"].due == "every year from 1 March 2026 until 29 February 2028"
    assert by_code["VULN_NOTICE"].due == "within 24 hours of each event"
    assert by_code["VULN_FIX_CRITICAL"].due == "within 7 days of each event"
    assert _context("zh")["obligations"][-1].due == "每次事件发生后 30 日内"  # type: ignore[index]


def test_context_is_a_read_only_view_of_plain_values() -> None:
    # given a built context
    ctx = build_context(sample_facts(), (), "zh")

    # then it cannot be changed, at the top or inside
    with pytest.raises(TypeError):
        ctx["vendor"] = None  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx["vendor"].name = "x"  # type: ignore[attr-defined]

    # and holds nothing but plain values, tuples and frozen dataclasses of them
    def walk(value: object) -> None:
        if isinstance(value, tuple):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value):
            assert getattr(type(value), "__dataclass_params__").frozen  # noqa: B009
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        else:
            assert isinstance(value, PLAIN), (type(value), value)

    for value in ctx.values():
        walk(value)


def test_context_names_are_the_declared_shape() -> None:
    # the upload check and the manifest rely on CONTEXT_VARIABLES naming exactly what is built
    assert set(build_context(sample_facts(), (), "zh")) == CONTEXT_VARIABLES


def test_control_characters_are_removed_from_values() -> None:
    # given a vendor name pasted with characters XML cannot hold
    facts = sample_facts()
    vendor = dataclasses.replace(facts.vendor, name="A\x00B\x0bC\r\nD\x07E\ufffe")
    # when the context is built
    ctx = build_context(dataclasses.replace(facts, vendor=vendor), (), "en")
    # then they are gone and the line break is normalised
    assert ctx["vendor"].name == "ABC\nDE"  # type: ignore[attr-defined]
    assert clean_text("tab\tstays") == "tab\tstays"


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        build_context(sample_facts(), (), "fr")


def test_sample_facts_miss_nothing_the_shipped_templates_need() -> None:
    for language in ("zh", "en"):
        fields = find_template("security-agreement", language).fields
        assert missing_facts(sample_facts(), fields, language) == []


def test_missing_facts_lists_every_empty_fact_in_form_order() -> None:
    # given facts with an empty address, a blank CII system, no court place and no contacts
    facts = sample_facts()
    facts = dataclasses.replace(
        facts,
        vendor=dataclasses.replace(facts.vendor, address=""),
        purchase=dataclasses.replace(facts.purchase, cii_system="   "),
        terms=dataclasses.replace(facts.terms, governing_place=""),
        contacts=(),
    )
    # when checked against the Chinese template's fields
    errors = missing_facts(facts, find_template("security-agreement", "zh").fields, "zh")
    # then each is reported once, with its path, in the order of the form
    assert errors == [
        FieldError(
            "vendor.address",
            "Fill in the provider's registered address: the agreement uses it.",
            ErrorCode.REQUIRED,
        ),
        FieldError(
            "purchase.cii_system",
            "Fill in the CII system the purchase is used in: the agreement uses it.",
            ErrorCode.REQUIRED,
        ),
        FieldError(
            "terms.governing_place",
            "Fill in the place whose court hears disputes: the agreement uses it.",
            ErrorCode.REQUIRED,
        ),
        FieldError(
            "contacts",
            "Add at least one security contact: the agreement lists them.",
            ErrorCode.REQUIRED,
        ),
    ]


def test_missing_facts_follow_the_language_and_the_fields_used() -> None:
    # given an empty English category label and an empty vendor contact
    facts = sample_facts()
    facts = dataclasses.replace(
        facts,
        purchase=dataclasses.replace(facts.purchase, category_label_en=""),
        vendor=dataclasses.replace(facts.vendor, contact=""),
    )
    # when a template only uses text.category and vendor.name
    fields = ["text.category", "vendor.name"]
    # then only the English template needs the English label; the contact is not needed at all
    assert missing_facts(facts, fields, "zh") == []
    assert missing_facts(facts, fields, "en") == [
        FieldError(
            "purchase.category_label_en",
            "Fill in the product category's English name: the agreement uses it.",
            ErrorCode.REQUIRED,
        )
    ]


def test_missing_facts_checks_each_contact() -> None:
    # given a second contact without a role
    facts = dataclasses.replace(
        sample_facts(), contacts=(Person("李四", "负责人"), Person("王五", " "))
    )
    # when
    errors = missing_facts(facts, ["contacts.name"], "zh")
    # then
    assert errors == [
        FieldError("contacts.1.role", "Fill in the security contact's role.", ErrorCode.REQUIRED)
    ]


def test_missing_facts_refuses_paths_outside_the_context() -> None:
    with pytest.raises(ValueError, match=r"'secret\.key' is not part of the agreement context"):
        missing_facts(sample_facts(), ["secret.key"], "zh")
