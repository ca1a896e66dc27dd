"""No English in the Chinese text (issue 9): which facts are English only, and the vocabulary a
Chinese agreement uses for what the records hold in English."""

from __future__ import annotations

import dataclasses

from procurement.agreements.chinese import english_only, english_only_facts
from procurement.agreements.context import Person
from procurement.agreements.labels import operator_contact_role
from procurement.agreements.sample import sample_facts


def test_english_only_means_latin_letters_and_no_chinese() -> None:
    assert english_only("Core routers")
    assert english_only("https://updates.example.com")
    assert not english_only("核心路由器 (NE40E)")  # a model number inside Chinese text is fine
    assert not english_only("2025-001 / 12")  # no letters at all: an identifier
    assert not english_only("")


def test_the_facts_a_chinese_agreement_refuses() -> None:
    # given the sample facts (Chinese but for the provider's name, all markup characters) with an
    # English product, CII system, court and role
    facts = sample_facts()
    facts = dataclasses.replace(
        facts,
        purchase=dataclasses.replace(
            facts.purchase, title="Core routers", cii_system="Dispatch SCADA"
        ),
        terms=dataclasses.replace(facts.terms, governing_place="Shanghai Pudong"),
        contacts=(Person("Li Si", "CISO"), *facts.contacts[1:]),
    )
    # then each is named, and the person's name is not (names stay as they are)
    assert english_only_facts(facts) == [
        ("vendor.name", "A&B <Systems> \"Ltd\" 'x'"),
        ("purchase.title", "Core routers"),
        ("purchase.cii_system", "Dispatch SCADA"),
        ("terms.governing_place", "Shanghai Pudong"),
        ("contacts.0.role", "CISO"),
    ]


def test_contact_roles_never_carry_an_english_position_into_chinese() -> None:
    # given the person in charge's position recorded in English, in Chinese, or not at all
    # then the Chinese agreement names the role in Chinese (regression: "甲方 Head of IT")
    assert operator_contact_role("Head of IT", "zh") == "甲方直接负责的主管人员"
    assert operator_contact_role("信息中心主任", "zh") == "甲方 信息中心主任"
    assert operator_contact_role(None, "zh") == "甲方直接负责的主管人员"
    assert operator_contact_role("Head of IT", "en") == "Operator, Head of IT"
