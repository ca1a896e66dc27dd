"""Issue 9, who the law binds and time: CII identification periods (CII Regulations Arts. 10-11),
the limitation period (Administrative Penalty Law Art. 36), continuing acts across a change of
law, and the reason a pre-law purchase owes nothing."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import counted_ids, facts, not_counted_ids, seed

from procurement.exposure import ActKind, Range, assess_purchase
from procurement.exposure.limitation import add_years, limitation
from procurement.identification import CiiPeriod

D = Decimal
UNREVIEWED = {"may_affect_national_security": True}
NO_AGREEMENT = {"agreement_signed": False}
ART_39_9 = ["cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"]


# --- APL Art. 36, the pure rule ---


@pytest.mark.parametrize(
    ("as_of", "barred"),
    [(date(2024, 3, 10), False), (date(2024, 3, 11), True)],
)
def test_two_years_run_to_the_same_date_two_years_later(as_of: date, barred: bool) -> None:
    # given an act that ended on 2022-03-10, assumed undiscovered
    status = limitation(date(2022, 3, 10), as_of)
    # then it can be punished up to 2024-03-10 and not from 2024-03-11
    assert status.time_barred is barred


def test_a_29_february_end_counts_to_28_february() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_an_end_near_the_last_representable_year_never_runs_out() -> None:
    # an API client may ask for any date: no overflow, the period simply does not end
    assert add_years(date(9998, 6, 1), 2) == date.max
    assert limitation(date(9998, 6, 1), date(9999, 12, 31)).time_barred is False


def test_five_years_where_life_health_or_financial_safety_was_harmed() -> None:
    # given an act that ended on 2020-01-10, assessed on 2024-06-01
    two = limitation(date(2020, 1, 10), date(2024, 6, 1))
    five = limitation(date(2020, 1, 10), date(2024, 6, 1), harm_to_life_or_finance=True)
    # then two years have run, five have not
    assert (two.time_barred, five.time_barred) == (True, False)
    assert five.text == (
        "not time-barred yet: the act ended on 2020-01-10; unless discovered by 2025-01-10 "
        "(five years (citizens' life and health safety or financial security involved and harm "
        "resulted), Administrative Penalty Law Art. 36) it can no longer be punished"
    )


def test_an_investigation_within_the_period_stops_the_time_bar_and_a_late_one_does_not() -> None:
    in_time = limitation(date(2022, 1, 10), date(2025, 6, 1), investigated_on=date(2023, 12, 1))
    too_late = limitation(date(2022, 1, 10), date(2025, 6, 1), investigated_on=date(2024, 2, 1))
    assert in_time.time_barred is False
    assert in_time.text == (
        "not time-barred: under investigation since 2023-12-01, within two years of the act's "
        "end on 2022-01-10 (Administrative Penalty Law Art. 36)"
    )
    assert too_late.time_barred is True
    assert too_late.text == (
        "time-barred: the act ended on 2022-01-10 and the investigation opened on 2024-02-01, "
        "after the two years that ended on 2024-01-10; it can no longer be punished "
        "(Administrative Penalty Law Art. 36)"
    )


def test_a_continuing_act_is_never_time_barred() -> None:
    status = limitation(None, date(2040, 1, 1))
    assert status.time_barred is False


# --- APL Art. 36 in the calculator ---


def test_an_unreviewed_purchase_never_used_is_time_barred_two_years_after_the_contract() -> None:
    # given an unreviewed purchase of 2022-01-10 that was never put into use, agreement signed
    purchase = facts(**UNREVIEWED, contract_date=date(2022, 1, 10))
    # when assessed on 2024-06-01
    e = assess_purchase(purchase, seed(), assessed_on=date(2024, 6, 1))
    # then the Art. 41 line is shown as time-barred, not counted, with the reason first
    (item,) = e.items
    assert (item.schedule_id, item.counted, item.time_barred) == (
        "cii-2021-art41-immediate",
        False,
        True,
    )
    reason = (
        "time-barred: the act ended on 2022-01-10 and, assuming it was not discovered, two "
        "years passed on 2024-01-10; it can no longer be punished (Administrative Penalty Law "
        "Art. 36). Mark the purchase under investigation if the authority took it up in time"
    )
    assert (item.limitation, item.notes[0]) == (reason, reason)
    assert (e.total, e.conditional_max) == (Range.zero(), D(0))
    # and on 2024-01-10 it still counted in full
    in_time = assess_purchase(purchase, seed(), assessed_on=date(2024, 1, 10))
    assert counted_ids(in_time) == ["cii-2021-art41-immediate"]
    assert in_time.total == Range(D("1020000.00"), D("10200000.00"))


def test_an_investigation_or_the_harm_flag_keeps_the_line_counted() -> None:
    base = {**UNREVIEWED, "contract_date": date(2022, 1, 10)}
    investigated = facts(**base, investigated_on=date(2023, 12, 1))
    harmed = facts(**base, harm_to_life_or_finance=True)
    for purchase in (investigated, harmed):
        e = assess_purchase(purchase, seed(), assessed_on=date(2024, 6, 1))
        assert counted_ids(e) == ["cii-2021-art41-immediate"]
        assert e.items[0].time_barred is False


def test_an_unreviewed_product_still_in_use_is_a_continuing_act() -> None:
    # given the same 2022 purchase, in use since 2022-02-01 and never reviewed
    e = assess_purchase(
        facts(**UNREVIEWED, contract_date=date(2022, 1, 10), in_use_date=date(2022, 2, 1)),
        seed(),
        assessed_on=date(2025, 6, 1),
    )
    # then nothing is time-barred: the use continues the act
    assert not any(i.time_barred for i in e.items)
    assert counted_ids(e) == ["cii-2021-art41-immediate"]
    assert {i.limitation for i in e.items} == {
        "continuing act: the limitation period (two years, Administrative Penalty Law Art. 36) "
        "runs only from the day it ends"
    }


# --- CII identification (Regulations Arts. 10-11) ---


def test_a_purchase_before_identification_owes_the_agreement_from_that_date_and_no_review() -> None:
    # given an operator identified on 2024-03-01, and an unreviewed purchase of 2023-05-01 that
    # may affect national security, in use since 2023-06-01, without agreement
    identified = (CiiPeriod(date(2024, 3, 1)),)
    purchase = facts(
        **UNREVIEWED,
        **NO_AGREEMENT,
        contract_date=date(2023, 5, 1),
        in_use_date=date(2023, 6, 1),
        cii_periods=identified,
    )
    # when assessed on 2025-06-01
    e = assess_purchase(purchase, seed(), assessed_on=date(2025, 6, 1))
    # then no review line (Arts. 41, CSL 65) and the agreement line dates from the identification
    assert {i.act_kind for i in e.items} == {ActKind.NO_CONFIDENTIALITY_AGREEMENT}
    assert counted_ids(e) == ART_39_9
    assert {i.act_date for i in e.items} == {date(2024, 3, 1)}
    basis = (
        "contracted on 2023-05-01, before the operator was identified as a CII operator on "
        "2024-03-01 (CII Regulations Art. 10): no security review is owed retroactively "
        "(Art. 19); the product is in use, so the security confidentiality agreement (Art. 20) "
        "is owed from 2024-03-01 (the service's reading: supervising the provider lasts while "
        "the product serves the operator)"
    )
    assert all(i.notes[0] == basis for i in e.items)
    assert e.notes == (basis,)
    # and the same purchase by an operator identified since 2017 owes the review as well
    assumed = (CiiPeriod(date(2017, 6, 1), assumed=True),)
    always = assess_purchase(
        dataclasses.replace(purchase, cii_periods=assumed), seed(), assessed_on=date(2025, 6, 1)
    )
    assert "cii-2021-art41-immediate" in counted_ids(always)


def test_a_purchase_before_identification_not_in_use_owes_nothing() -> None:
    e = assess_purchase(
        facts(**UNREVIEWED, **NO_AGREEMENT, contract_date=date(2023, 5, 1),
              cii_periods=(CiiPeriod(date(2024, 3, 1)),)),
        seed(),
        assessed_on=date(2025, 6, 1),
    )  # fmt: skip
    assert (e.items, e.total, e.conditional_max) == ((), Range.zero(), D(0))
    assert e.notes == (
        "no fine exposure: contracted on 2023-05-01, before the operator was identified as a "
        "CII operator on 2024-03-01 (CII Regulations Art. 10), and not in use while it was one: "
        "no security review is owed retroactively (Art. 19), and no agreement (Art. 20) for a "
        "product not in use",
    )


def test_a_purchase_after_the_operator_ceased_to_be_a_cii_operator_owes_nothing() -> None:
    ceased = (CiiPeriod(date(2017, 6, 1), date(2023, 1, 1), assumed=True),)
    e = assess_purchase(
        facts(**UNREVIEWED, **NO_AGREEMENT, contract_date=date(2023, 5, 1), cii_periods=ceased),
        seed(),
        assessed_on=date(2025, 6, 1),
    )
    assert e.items == ()
    assert e.notes == (
        "no fine exposure: the operator was not a CII operator on the contract date 2023-05-01 "
        "(identified from 2017-06-01 (assumed) to 2023-01-01), and the CII duties (security "
        "review, CII Regulations Art. 19; security confidentiality agreement, Art. 20) bind an "
        "operator only from the day it is notified of its identification (Art. 10). The "
        "purchase is screened for information only",
    )


def test_ceasing_to_be_a_cii_operator_ends_the_missing_agreement_and_starts_the_clock() -> None:
    # given a 2022 purchase without agreement of an operator that ceased on 2023-01-01
    purchase = facts(
        **NO_AGREEMENT,
        contract_date=date(2022, 5, 1),
        cii_periods=(CiiPeriod(date(2017, 6, 1), date(2023, 1, 1)),),
    )
    # when assessed within two years of the end, and after
    within = assess_purchase(purchase, seed(), assessed_on=date(2024, 12, 31))
    after = assess_purchase(purchase, seed(), assessed_on=date(2025, 1, 2))
    # then Art. 39(9) counts, then is time-barred
    assert counted_ids(within) == ART_39_9
    assert counted_ids(after) == []
    assert not_counted_ids(after) == [
        *ART_39_9,
        "csl-2016-art59-immediate",
        "csl-2016-art59-refusal-or-harm",
    ]
    assert all(i.time_barred for i in after.items)
    assert after.total == Range.zero()


# --- a purchase before any law ---


def test_a_2016_purchase_in_order_says_no_law_was_in_force() -> None:
    # Issue 9: the note used to say "no review owed or it passed, and the agreement is signed"
    e = assess_purchase(facts(contract_date=date(2016, 5, 1)), seed(), assessed_on=date(2026, 3, 1))
    assert e.notes == (
        "no fine exposure: no law imposing these duties was in force on the contract date "
        "2016-05-01 (the first rule applies from 2017-06-01), and a later law does not reach "
        "back to it (Administrative Penalty Law Art. 37); besides, no review is owed or it "
        "passed, and the agreement is signed",
    )


def test_a_2016_purchase_without_agreement_still_unsigned_in_2026_owes_nothing() -> None:
    # a continuing act falls under the law at its end only if it was punishable when it began
    e = assess_purchase(
        facts(**NO_AGREEMENT, contract_date=date(2016, 5, 1), in_use_date=date(2016, 6, 1)),
        seed(),
        assessed_on=date(2026, 3, 1),
    )
    assert e.items == ()
    assert e.notes[0].startswith(
        "no fine exposure: no rule in force on the act's date punished the missing security "
        "confidentiality agreement on 2016-05-01"
    )


def test_use_begun_after_the_operator_ceased_is_no_act() -> None:
    # given an unreviewed 2022 purchase of an operator that ceased on 2023-01-01, put into use
    # only on 2023-06-01
    e = assess_purchase(
        facts(**UNREVIEWED, contract_date=date(2022, 5, 1), in_use_date=date(2023, 6, 1),
              cii_periods=(CiiPeriod(date(2017, 6, 1), date(2023, 1, 1)),)),
        seed(),
        assessed_on=date(2024, 6, 1),
    )  # fmt: skip
    # then only buying without the review is an act (ended on the contract date, time-barred)
    assert {i.act_kind for i in e.items} == {ActKind.PURCHASE_WITHOUT_REVIEW}
    assert [i.time_barred for i in e.items] == [True]
