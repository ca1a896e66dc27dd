"""Calculator table tests: each article, each schedule boundary date, and the interplay rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import LI, RATES, WANG, counted_ids, facts, not_counted_ids, seed

from procurement.errors import ErrorCode, InputError
from procurement.exposure import (
    ActKind,
    Consequence,
    MissingExchangeRate,
    PersonExposure,
    Range,
    Role,
    assess_purchase,
    what_if_compliant,
)

D = Decimal
PERSON = Range(D(10_000), D(100_000))
UNREVIEWED = {"may_affect_national_security": True}
NO_AGREEMENT = {"agreement_signed": False}


def test_clean_purchase_has_no_exposure() -> None:
    e = assess_purchase(facts(), seed())
    assert (e.items, e.total, e.conditional_max) == ((), Range.zero(), D(0))
    assert e.notes == (
        "no fine exposure: no review owed or it passed, and the agreement is signed",
    )


def test_a_non_cii_operator_owes_none_of_the_cii_fines() -> None:
    # given an unreviewed purchase that may affect national security, with no agreement, in use
    unlawful_if_cii = {**UNREVIEWED, **NO_AGREEMENT, "in_use_date": date(2025, 6, 1)}
    # when the operator is an identified CII operator, and when it is not
    cii = assess_purchase(facts(**unlawful_if_cii), seed(), assessed_on=date(2026, 3, 1))
    plain = assess_purchase(
        facts(**unlawful_if_cii, operator_is_cii=False), seed(), assessed_on=date(2026, 3, 1)
    )
    # then the CII operator is exposed, and the other owes nothing, with the reason
    assert cii.conditional_max > 0 and cii.items
    assert (plain.items, plain.total, plain.conditional_max) == ((), Range.zero(), D(0))
    assert plain.amount_cny == D("1000000.00")
    assert plain.notes == (
        "no fine exposure: the operator is not an identified CII operator, and the duties these "
        "fines punish (the security review, CII Regulations Art. 41 and CSL Arts. 65/67; the "
        "security confidentiality agreement, CII Regulations Art. 39(9) and CSL Arts. 59/61) "
        "bind CII operators only. The purchase is screened for information only",
    )


def test_a_purchase_before_any_rule_says_no_law_was_in_force() -> None:
    # given a 2016 purchase that may affect national security, never reviewed, no agreement
    e = assess_purchase(
        facts(**UNREVIEWED, **NO_AGREEMENT, contract_date=date(2016, 5, 1)),
        seed(),
        assessed_on=date(2026, 3, 1),
    )
    # then nothing is exposed, and the note gives the real reason: no rule, not compliance
    assert (e.items, e.conditional_max) == ((), D(0))
    assert e.notes == (
        "no fine exposure: no rule in force on the act's date punished buying it without the "
        "security review on 2016-05-01 (the first rule applies from 2021-09-01); nor the "
        "missing security confidentiality agreement on 2016-05-01 (the first rule applies from "
        "2017-06-01). An act is judged under the law of its date, a later law only if lighter "
        "(Administrative Penalty Law Art. 37)",
    )


def test_a_purchase_that_is_no_network_product_owes_nothing() -> None:
    # given a purchase of a CII operator with no agreement and no review, of office chairs
    e = assess_purchase(facts(**UNREVIEWED, **NO_AGREEMENT, network_product=False), seed())
    # then nothing is owed, and the note says why
    assert (e.items, e.conditional_max) == ((), D(0))
    assert e.notes == (
        "no fine exposure: the purchase is not a network product or service, so neither the "
        "security review (CII Regulations Art. 19) nor the security confidentiality agreement "
        "(Art. 20) is owed for it",
    )


def test_art41_purchase_without_review() -> None:
    # Given a CNY 1,000,000.00 purchase that may affect national security, not reviewed, with a
    # person in charge and one other responsible person,
    e = assess_purchase(facts(**UNREVIEWED), seed())
    # then Art. 41 applies at once: 1x-10x on the operator and 10,000-100,000 on EACH person.
    (item,) = e.items
    assert (item.schedule_id, item.counted, item.act_kind) == (
        "cii-2021-art41-immediate",
        True,
        ActKind.PURCHASE_WITHOUT_REVIEW,
    )
    assert item.entity == Range(D("1000000.00"), D("10000000.00"))
    assert item.persons == (
        PersonExposure("Wang", Role.PERSON_IN_CHARGE, PERSON),
        PersonExposure("Li", Role.OTHER_RESPONSIBLE, PERSON),
    )
    assert item.consequences == (Consequence.ORDER_TO_RECTIFY,)
    assert e.total == Range(D("1020000.00"), D("10200000.00"))
    assert e.entity_total == Range(D("1000000.00"), D("10000000.00"))
    assert e.persons_total == Range(D(20_000), D(200_000))
    assert e.conditional_max == D("10200000.00")
    assert item.basis == (
        "CII_REGULATIONS_2021 Art. 41 (IMMEDIATE): 1x-10x the purchase amount: contract value "
        "CNY 1,000,000.00, tax included, whole contract value; CNY 10,000.00 - 100,000.00 on "
        "the person in charge and each other directly responsible person"
    )
    assert any(n.startswith("'Purchase amount' (采购金额) is undefined") for n in item.notes)
    assert any("separate violation" in n for n in item.notes)
    assert "non-monetary: order to rectify" in item.notes


def test_art41_not_after_a_passed_review() -> None:
    e = assess_purchase(
        facts(**UNREVIEWED, review_passed=True, in_use_date=date(2025, 7, 1)), seed()
    )
    assert e.items == ()


@pytest.mark.parametrize(
    ("contract_date", "expected"),
    [(date(2021, 8, 31), []), (date(2021, 9, 1), ["cii-2021-art41-immediate"])],
)
def test_art41_starts_2021_09_01(contract_date: date, expected: list[str]) -> None:
    # Given an unreviewed purchase not (yet) in use, the CII Regulations reach only purchases
    # from their commencement; the 2016 CSL punished use, not purchase.
    e = assess_purchase(facts(**UNREVIEWED, contract_date=contract_date), seed())
    assert counted_ids(e) == expected


def test_purchase_and_use_do_not_stack() -> None:
    # Given an unreviewed purchase (2025-06-01) that is in use (2025-07-01),
    e = assess_purchase(facts(**UNREVIEWED, in_use_date=date(2025, 7, 1)), seed())
    # then Art. 41 and CSL Art. 65 are both shown; equal fines, so Art. 41 counts and 65 not.
    assert counted_ids(e) == ["cii-2021-art41-immediate"]
    assert not_counted_ids(e) == ["csl-2016-art65-immediate"]
    use_item = e.items[1]
    assert use_item.notes[0] == (
        "not counted: the same act is punishable under CII_REGULATIONS_2021 Art. 41 with an "
        "equal fine; one act is not fined twice (Administrative Penalty Law Art. 29)"
    )
    assert use_item.consequences == (Consequence.STOP_USE,)
    assert e.total == Range(D("1020000.00"), D("10200000.00"))  # once, not twice
    assert e.conditional_max == D("10200000.00")


def test_failed_review_in_use() -> None:
    # Given a failed review and the product in use, use is exposed even with a passed flag absent.
    e = assess_purchase(
        facts(**UNREVIEWED, review_failed=True, in_use_date=date(2025, 7, 1)), seed()
    )
    assert counted_ids(e) == ["cii-2021-art41-immediate"]
    assert not_counted_ids(e) == ["csl-2016-art65-immediate"]


def test_use_not_exposed_when_no_review_was_owed() -> None:
    assert assess_purchase(facts(in_use_date=date(2025, 7, 1)), seed()).items == ()


@pytest.mark.parametrize(
    ("in_use", "expected", "consequences"),
    [
        (date(2021, 9, 1), "csl-2016-art65-immediate", (Consequence.STOP_USE,)),
        (date(2025, 12, 31), "csl-2016-art65-immediate", (Consequence.STOP_USE,)),
        (
            date(2026, 1, 1),
            "csl-2025-art67-immediate",
            (Consequence.ORDER_TO_RECTIFY, Consequence.STOP_USE),
        ),
    ],
)
def test_use_only_when_purchase_predates_art41(
    in_use: date, expected: str, consequences: tuple[Consequence, ...]
) -> None:
    # Given a purchase on 2021-08-31 (before Art. 41) put in use later, only the use norm
    # applies, chosen by the in-use date; same 1x-10x and person figures before and after.
    e = assess_purchase(
        facts(**UNREVIEWED, contract_date=date(2021, 8, 31), in_use_date=in_use), seed()
    )
    assert counted_ids(e) == [expected]
    assert e.items[0].consequences == consequences
    assert e.total == Range(D("1020000.00"), D("10200000.00"))


@pytest.mark.parametrize(
    ("act_date", "counted", "not_counted", "total", "worst"),
    [
        (
            date(2021, 8, 31),  # only the 2016 CSL (unverified) covers the agreement duty
            ["csl-2016-art59-immediate", "csl-2016-art59-refusal-or-harm"],
            [],
            Range.zero(),
            D("1100000"),
        ),
        (
            date(2021, 9, 1),
            ["cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"],
            ["csl-2016-art59-immediate", "csl-2016-art59-refusal-or-harm"],
            Range.zero(),
            D("1100000"),
        ),
        (
            date(2025, 12, 31),
            ["cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"],
            ["csl-2016-art59-immediate", "csl-2016-art59-refusal-or-harm"],
            Range.zero(),
            D("1100000"),
        ),
        (
            date(2026, 1, 1),
            [
                "csl-2025-art61-at-once",
                "csl-2025-art61-refusal-or-harm",
                "csl-2025-art61-serious-harm",
                "csl-2025-art61-especially-serious-harm",
            ],
            ["cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"],
            Range(D(0), D(100_000)),
            D("12000000"),  # 10,000,000 + 2 persons x 1,000,000
        ),
    ],
)
def test_agreement_duty_by_act_date(
    act_date: date, counted: list[str], not_counted: list[str], total: Range, worst: Decimal
) -> None:
    # Given no signed agreement and persons Wang (in charge) and Li (other),
    e = assess_purchase(facts(**NO_AGREEMENT, contract_date=act_date), seed())
    # then the law in force on the act date decides the tiers, and one norm counts.
    assert (counted_ids(e), not_counted_ids(e)) == (counted, not_counted)
    assert (e.total, e.conditional_max) == (total, worst)


def test_art39_9_fines_the_person_in_charge_only() -> None:
    e = assess_purchase(facts(**NO_AGREEMENT), seed())
    immediate, conditional = e.items[0], e.items[1]
    assert (immediate.entity, immediate.persons) == (Range.zero(), ())
    assert immediate.consequences == (Consequence.ORDER_TO_RECTIFY, Consequence.WARNING)
    assert conditional.entity == Range(D(100_000), D(1_000_000))
    assert conditional.persons == (PersonExposure("Wang", Role.PERSON_IN_CHARGE, PERSON),)
    assert "not fined under CII_REGULATIONS_2021 Art. 39(9): Li (not in charge)" in (
        conditional.notes
    )


def test_art61_optional_fine_starts_at_zero_and_tiers_fine_everyone() -> None:
    e = assess_purchase(facts(**NO_AGREEMENT, contract_date=date(2026, 3, 1)), seed())
    at_once = e.items[0]
    assert (at_once.entity, at_once.persons) == (Range(D(0), D(100_000)), ())
    assert at_once.notes[0] == (
        "the fine of CNY 50,000.00 - 100,000.00 is discretionary (可以并处), so the range "
        "starts at CNY 0.00"
    )
    serious = e.items[2]
    assert serious.entity == Range(D(500_000), D(2_000_000))
    assert [p.range for p in serious.persons] == [Range(D(50_000), D(200_000))] * 2
    assert (
        e.items[4]
        .notes[0]
        .endswith(
            "with a higher fine; one act is not fined twice (Administrative Penalty Law Art. 29)"
        )
    )


def test_agreement_duty_date_can_differ_from_contract_date() -> None:
    e = assess_purchase(
        facts(
            **NO_AGREEMENT,
            contract_date=date(2025, 12, 1),
            agreement_act_date=date(2026, 1, 5),
        ),
        seed(),
    )
    assert counted_ids(e)[0] == "csl-2025-art61-at-once"


def test_art41_and_art39_9_add_up() -> None:
    # Given one purchase both unreviewed and without an agreement: two different acts.
    e = assess_purchase(facts(**UNREVIEWED, **NO_AGREEMENT), seed())
    assert counted_ids(e) == [
        "cii-2021-art41-immediate",
        "cii-2021-art39-9-immediate",
        "cii-2021-art39-9-refusal-or-harm",
    ]
    assert e.total == Range(D("1020000.00"), D("10200000.00"))
    assert e.conditional_max == D("11300000.00")  # 10,200,000 + 1,000,000 + 100,000


def test_no_person_recorded_is_said() -> None:
    e = assess_purchase(facts(**UNREVIEWED, persons=()), seed())
    assert e.total == Range(D("1000000.00"), D("10000000.00"))
    assert (
        "no responsible person recorded in scope: each one identified adds "
        "CNY 10,000.00 - 100,000.00"
    ) in e.items[0].notes


def test_foreign_currency_basis_text() -> None:
    # Given USD 169,014.08 on 2025-03-01 and the 7.1 rate valid from 2025-02-28,
    e = assess_purchase(
        facts(
            **UNREVIEWED,
            contract_value=D("169014.08"),
            currency="USD",
            contract_date=date(2025, 3, 1),
            persons=(),
        ),
        seed(),
        RATES,
    )
    # then the amount is exact (not rounded) and the basis says where it came from.
    assert e.amount_cny == D("1199999.968")
    assert e.total == Range(D("1199999.968"), D("11999999.680"))
    assert e.items[0].basis == (
        "CII_REGULATIONS_2021 Art. 41 (IMMEDIATE): 1x-10x the purchase amount: contract value "
        "USD 169,014.08, tax included, whole contract value, converted from USD at 7.1 on "
        "2025-03-01 (rate valid from 2025-02-28, source: test rate 2025) = CNY 1,199,999.97; "
        "CNY 10,000.00 - 100,000.00 on the person in charge and each other directly "
        "responsible person"
    )


def test_missing_rate_stops_the_assessment() -> None:
    with pytest.raises(MissingExchangeRate, match="no exchange rate from JPY to CNY in force on"):
        assess_purchase(facts(**UNREVIEWED, currency="JPY"), seed(), RATES)


def test_inconsistent_facts_are_rejected_with_every_problem() -> None:
    bad = facts(
        purchase_id=" ",
        contract_value=D("-1"),
        currency="usd",
        review_passed=True,
        review_failed=True,
        persons=(WANG, WANG, LI),
    )
    with pytest.raises(InputError) as caught:
        assess_purchase(bad, seed())
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("purchase_id", ErrorCode.REQUIRED),
        ("contract_value", ErrorCode.OUT_OF_RANGE),
        ("currency", ErrorCode.INVALID),
        ("review_failed", ErrorCode.INVALID_STATE),
        ("persons[1]", ErrorCode.DUPLICATE),
    ]


def test_what_if_passes_pending_reviews_and_signs_agreements() -> None:
    pending = facts(**UNREVIEWED, **NO_AGREEMENT, in_use_date=date(2025, 7, 1))
    assert assess_purchase(what_if_compliant(pending), seed()).items == ()
    # A failed review is an outcome, not pending: using the product stays exposed.
    failed = facts(**UNREVIEWED, **NO_AGREEMENT, review_failed=True, in_use_date=date(2025, 7, 1))
    changed = what_if_compliant(failed)
    assert (changed.review_passed, changed.review_failed, changed.agreement_signed) == (
        False,
        True,
        True,
    )
    assert counted_ids(assess_purchase(changed, seed())) == ["cii-2021-art41-immediate"]
