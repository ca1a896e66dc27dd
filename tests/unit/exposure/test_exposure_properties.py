"""Property tests: bounds, monotonicity, currency consistency, what-if and APL Art. 37."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from exposure_helpers import seed, walk
from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.exposure import (
    ExchangeRate,
    GroupBy,
    PurchaseExposure,
    PurchaseExposureFacts,
    Range,
    ResponsiblePerson,
    Role,
    assess_purchase,
    convert_to_cny,
    summarise,
    what_if_compliant,
)
from tests.support.properties import examples

RATES = (ExchangeRate("USD", Decimal("7.0123"), date(2010, 1, 1), "test"),)
days = st.dates(min_value=date(2017, 6, 1), max_value=date(2027, 12, 31))
values = st.decimals(min_value=0, max_value=Decimal("1e10"), places=2)
persons_st = st.lists(
    st.builds(ResponsiblePerson, st.sampled_from(["A", "B", "C", "D", "E"]), st.sampled_from(Role)),
    max_size=5,
    unique=True,
).map(tuple)


@st.composite
def purchase_facts(draw: st.DrawFn) -> PurchaseExposureFacts:
    outcome = draw(st.sampled_from(["none", "passed", "failed"]))
    return PurchaseExposureFacts(
        purchase_id=draw(st.sampled_from(["P1", "P2", "P3"])),
        title="t",
        contract_value=draw(values),
        currency=draw(st.sampled_from(["CNY", "USD"])),
        tax_included=draw(st.booleans()),
        contract_date=draw(days),
        in_use_date=draw(st.none() | days),
        may_affect_national_security=draw(st.booleans()) or outcome == "failed",
        review_passed=outcome == "passed",
        review_failed=outcome == "failed",
        agreement_signed=draw(st.booleans()),
        agreement_act_date=draw(st.none() | days),
        persons=draw(persons_st),
        vendor=draw(st.sampled_from(["V1", "V2", None])),
        category=draw(st.sampled_from(["C1", "C2"])),
    )


def assess(facts: PurchaseExposureFacts, assessed_on: date | None = None) -> PurchaseExposure:
    return assess_purchase(facts, seed(), RATES, assessed_on=assessed_on)


def assert_not_above(low: PurchaseExposure, high: PurchaseExposure) -> None:
    assert low.total.min <= high.total.min
    assert low.total.max <= high.total.max
    assert low.conditional_max <= high.conditional_max


@given(purchase_facts())
def test_bounds_and_types(facts: PurchaseExposureFacts) -> None:
    e = assess(facts)
    # Range enforces 0 <= min <= max on construction; check the totals relate as documented.
    assert Decimal(0) <= e.total.min <= e.total.max <= e.conditional_max
    assert e.total == e.entity_total + e.persons_total
    for item in e.items:
        assert 0 <= item.total.min <= item.total.max
    assert not any(isinstance(leaf, float) for leaf in walk(e))
    assert all(isinstance(leaf, Decimal) for leaf in [*walk(e.total), e.conditional_max])


@given(purchase_facts(), values)
def test_monotonic_in_purchase_value(facts: PurchaseExposureFacts, extra: Decimal) -> None:
    bigger = dataclasses.replace(facts, contract_value=facts.contract_value + extra)
    assert_not_above(assess(facts), assess(bigger))


@given(purchase_facts(), st.sampled_from(Role))
def test_monotonic_in_number_of_persons(facts: PurchaseExposureFacts, role: Role) -> None:
    more = dataclasses.replace(facts, persons=(*facts.persons, ResponsiblePerson("New", role)))
    assert_not_above(assess(facts), assess(more))


@given(purchase_facts())
def test_what_if_never_increases_exposure(facts: PurchaseExposureFacts) -> None:
    assert_not_above(assess(what_if_compliant(facts)), assess(facts))


@given(purchase_facts(), days)
def test_assessment_date_only_ever_lightens_an_act_that_has_ended(
    facts: PurchaseExposureFacts, on: date
) -> None:
    # APL Art. 37: a later rule is applied only when lighter, and APL Art. 36 only ever bars,
    # so for an act that has ended (agreement signed, product not in use) a later assessment
    # never increases exposure. A continuing act is judged by the law when it ends (issue 9).
    ended = dataclasses.replace(facts, agreement_signed=True, in_use_date=None)
    assert_not_above(assess(ended, assessed_on=on), assess(ended))


@given(purchase_facts())
def test_foreign_currency_equals_its_cny_conversion(facts: PurchaseExposureFacts) -> None:
    usd = dataclasses.replace(facts, currency="USD")
    cny = dataclasses.replace(
        facts,
        currency="CNY",
        contract_value=convert_to_cny(facts.contract_value, "USD", facts.contract_date, RATES),
    )
    a, b = assess(usd), assess(cny)
    assert (a.total, a.conditional_max, a.amount_cny) == (b.total, b.conditional_max, b.amount_cny)


@settings(max_examples=examples(50))
@given(st.lists(purchase_facts(), max_size=6), st.sampled_from(list(GroupBy)))
def test_group_totals_add_up(facts: list[PurchaseExposureFacts], dim: GroupBy) -> None:
    exposures = [assess(f) for f in facts]
    summary = summarise(exposures, dim, top_n=3)
    assert Range.total(g.total for g in summary.groups) == summary.total
    assert sum((g.conditional_max for g in summary.groups), Decimal(0)) == summary.conditional_max
    assert len(summary.top) <= 3
    worst = [e.conditional_max for e in summary.top]
    assert worst == sorted(worst, reverse=True)
