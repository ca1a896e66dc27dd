"""Administrative Penalty Law: one act fined once (Art. 29), later lighter rule (Art. 37)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import counted_ids, facts, not_counted_ids, seed

from procurement.exposure import (
    ActKind,
    Condition,
    ExposureItem,
    Law,
    NormExposure,
    PenaltySchedule,
    Range,
    assess_purchase,
    is_lighter,
    pick_highest,
    resolve,
    validate_schedules,
)
from procurement.identification import CiiPeriod

D = Decimal


def _norm(name: str, immediate: Range, worst: Decimal) -> NormExposure:
    """A norm with an immediate tier and one conditional tier reaching ``worst``."""

    def item(condition: Condition, r: Range) -> ExposureItem:
        return ExposureItem(
            schedule_id=f"{name}-{condition.value}",
            law=Law.CII_REGULATIONS_2021,
            article=name,
            act_kind=ActKind.NO_CONFIDENTIALITY_AGREEMENT,
            condition=condition,
            act_date=date(2026, 1, 1),
            entity=r,
            persons=(),
            consequences=(),
            counted=True,
            basis="",
            notes=(),
        )

    items = (
        item(Condition.IMMEDIATE, immediate),
        item(Condition.IF_REFUSES_RECTIFICATION_OR_HARM, Range(D(0), worst)),
    )
    return NormExposure(
        Law.CII_REGULATIONS_2021,
        name,
        ActKind.NO_CONFIDENTIALITY_AGREEMENT,
        date(2026, 1, 1),
        items,
    )


BASE = _norm("base", Range(D(10), D(100)), D(1000))


@pytest.mark.parametrize(
    ("candidate", "lighter"),
    [
        (_norm("same", Range(D(10), D(100)), D(1000)), False),  # equal is not lighter
        (_norm("lower-max", Range(D(10), D(50)), D(1000)), True),
        (_norm("lower-min", Range(D(0), D(100)), D(1000)), True),
        (_norm("lower-worst", Range(D(10), D(100)), D(999)), True),
        (_norm("all-lower", Range(D(0), D(0)), D(1)), True),
        (_norm("heavier", Range(D(10), D(100)), D(1001)), False),
        # lower at once but a higher worst case: not lighter, the act-date law stays
        (_norm("mixed", Range(D(0), D(0)), D(5000)), False),
    ],
)
def test_is_lighter(candidate: NormExposure, lighter: bool) -> None:
    assert is_lighter(candidate, BASE) is lighter


def test_pick_highest_prefers_higher_fine_then_first_listed() -> None:
    low = _norm("low", Range(D(0), D(0)), D(10))
    tie = _norm("tie", Range(D(10), D(100)), D(1000))
    assert pick_highest([low, BASE, tie]) is BASE
    assert pick_highest([]) is None


def test_no_norm_at_the_act_date_means_no_fine_even_if_a_later_rule_exists() -> None:
    resolution = resolve([], [BASE])
    assert (resolution.counted, resolution.not_counted, resolution.note) == (None, (), None)


def test_later_heavier_rule_does_not_reach_back_to_an_act_that_ended_before_it() -> None:
    # Given no agreement for a 2025-06-01 purchase of an operator that stopped being a CII
    # operator on 2025-10-01 (which ends the act), assessed on 2026-06-01 when the heavier
    # amended Art. 61 is in force,
    ceased = (CiiPeriod(date(2017, 6, 1), date(2025, 10, 1)),)
    e = assess_purchase(
        facts(agreement_signed=False, cii_periods=ceased), seed(), assessed_on=date(2026, 6, 1)
    )
    # then Art. 39(9), in force when the act ended, still applies and the note says why.
    assert counted_ids(e) == ["cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"]
    assert e.items[0].notes[-2] == (
        "CYBERSECURITY_LAW_2025_AMENDMENT Art. 61, in force on the assessment date, is not "
        "lighter; the law when the act occurred applies (Administrative Penalty Law Art. 37)"
    )
    assert e.conditional_max == D(1_100_000)
    assert e.items[0].limitation == (
        "not time-barred yet: the act ended on 2025-10-01; unless discovered by 2027-10-01 "
        "(two years, Administrative Penalty Law Art. 36) it can no longer be punished"
    )


def test_a_missing_agreement_still_unsigned_in_2026_falls_under_the_amended_csl() -> None:
    # Issue 9: given no agreement for a 2025-06-01 purchase, still unsigned on 2026-06-01
    e = assess_purchase(facts(agreement_signed=False), seed(), assessed_on=date(2026, 6, 1))
    # then the act continues into 2026, so the amended CSL Art. 61 (heavier) counts and
    # Art. 39(9) is shown as the same act under a lighter norm (APL Art. 29)
    assert counted_ids(e) == [
        "csl-2025-art61-at-once",
        "csl-2025-art61-refusal-or-harm",
        "csl-2025-art61-serious-harm",
        "csl-2025-art61-especially-serious-harm",
    ]
    assert not_counted_ids(e) == ["cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"]
    assert e.total == Range(D(0), D(100_000))
    assert e.conditional_max == D(12_000_000)
    # and the basis is on every line: the law when the continuing act ends
    basis = (
        "continuing act since 2025-06-01, still on 2026-06-01: judged under the law in force "
        "when it ends (CII_REGULATIONS_2021 Art. 39(9), CYBERSECURITY_LAW_2025_AMENDMENT "
        "Art. 61), as one act counted from its end (Administrative Penalty Law Art. 36); a later "
        "law reaches it only because it was already punishable when it began. Disputed: some "
        "courts split such an act at the change of law"
    )
    assert all(i.notes[-1] == basis for i in e.items)
    assert {i.limitation for i in e.items} == {
        "continuing act: the limitation period (two years, Administrative Penalty Law Art. 36) "
        "runs only from the day it ends"
    }
    # and on 2025-12-31 (still the 2016 CSL) Art. 39(9) counts, as before
    before = assess_purchase(facts(agreement_signed=False), seed(), assessed_on=date(2025, 12, 31))
    assert counted_ids(before) == [
        "cii-2021-art39-9-immediate",
        "cii-2021-art39-9-refusal-or-harm",
    ]


def _with_lighter_art41_from_2027() -> tuple[PenaltySchedule, ...]:
    """The seed plus a fictional Art. 41 revision (1x-5x) from 2027-01-01."""
    old = next(s for s in seed() if s.id == "cii-2021-art41-immediate")
    ended = dataclasses.replace(old, effective_to=date(2027, 1, 1))
    revised = dataclasses.replace(
        old, id="cii-art41-2027", effective_from=date(2027, 1, 1), entity_max=D(5)
    )
    schedules = (*(s for s in seed() if s is not old), ended, revised)
    assert validate_schedules(schedules) == []
    return schedules


def test_later_lighter_rule_applies() -> None:
    # Given an unreviewed purchase on 2026-03-01 and a lighter Art. 41 (1x-5x) from 2027,
    schedules = _with_lighter_art41_from_2027()
    purchase = facts(may_affect_national_security=True, contract_date=date(2026, 3, 1))
    # when assessed before the revision, the act-date rule applies;
    before = assess_purchase(purchase, schedules, assessed_on=date(2026, 12, 31))
    assert counted_ids(before) == ["cii-2021-art41-immediate"]
    # when assessed after it, the lighter later rule applies and the old one is shown.
    after = assess_purchase(purchase, schedules, assessed_on=date(2027, 6, 1))
    assert counted_ids(after) == ["cii-art41-2027"]
    assert not_counted_ids(after) == ["cii-2021-art41-immediate"]
    assert after.total == Range(D("1020000.00"), D("5200000.00"))
    assert after.items[0].notes[-1] == (
        "applied as the lighter later rule; the law when the act occurred was "
        "CII_REGULATIONS_2021 Art. 41 (Administrative Penalty Law Art. 37)"
    )
    assert after.items[1].notes[0] == (
        "not counted: the later rule CII_REGULATIONS_2021 Art. 41 is lighter and applies "
        "(Administrative Penalty Law Art. 37)"
    )
    # Without an assessment date the act-date law applies.
    assert counted_ids(assess_purchase(purchase, schedules)) == ["cii-2021-art41-immediate"]


def test_later_rule_never_creates_a_penalty_for_an_earlier_act() -> None:
    # Given a purchase on 2021-08-31 (before Art. 41) in use from 2021-09-15, assessed in 2026,
    e = assess_purchase(
        facts(
            may_affect_national_security=True,
            contract_date=date(2021, 8, 31),
            in_use_date=date(2021, 9, 15),
        ),
        seed(),
        assessed_on=date(2026, 6, 1),
    )
    # then Art. 41 (not in force on the contract date) is not shown at all; the use, already
    # punishable under CSL Art. 65 when it began and still continuing, is judged under the law
    # in force now (Art. 67)
    assert counted_ids(e) == ["csl-2025-art67-immediate"]
    assert not_counted_ids(e) == []
    assert (
        e.items[0]
        .notes[-1]
        .startswith(
            "continuing act since 2021-09-15, still on 2026-06-01: judged under the law in force "
            "when it ends (CYBERSECURITY_LAW_2025_AMENDMENT Art. 67)"
        )
    )
