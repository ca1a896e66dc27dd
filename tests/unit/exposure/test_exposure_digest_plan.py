"""The exposure cache's digests from one plan per shape (procurement.exposure.figures) are the
calculator's digests, digit for digit: ``summary.digest(assess_purchase(..., explain=False))``
with every amount the same value written the same way (same exponent), and the same errors."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import facts, seed
from hypothesis import given, settings
from hypothesis import strategies as st
from test_exposure_figures_only import any_facts
from test_exposure_properties import RATES, days, values

from procurement.errors import InputError
from procurement.exposure import (
    PenaltySchedule,
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    assess_purchase,
    what_if_compliant,
)
from procurement.exposure.facts import what_if_differs
from procurement.exposure.figures import IN_SHAPE, NOT_IN_SHAPE, Digester, shape
from procurement.exposure.schedules import Condition, EntityBasis
from procurement.exposure.summary import PurchaseDigest, digest
from tests.support.properties import examples


def _amended() -> tuple[PenaltySchedule, ...]:
    """The seed with figures that make the choice of norm depend on the amount: CSL Art. 65 a
    fixed fine (Art. 41 is 1-10x the amount: either may be higher), Art. 67 lighter than 65
    for some amounts (APL Art. 37), and Art. 61's discretionary tier a multiple of the amount
    (a zero amount leaves it mandatory)."""
    out = []
    for s in seed():
        if s.id == "csl-2016-art65-immediate":
            s = dataclasses.replace(
                s, entity_basis=EntityBasis.FIXED_CNY,
                entity_min=Decimal("150000.5"), entity_max=Decimal("1500000"),
            )  # fmt: skip
        elif s.id == "csl-2025-art67-immediate":
            s = dataclasses.replace(s, entity_min=Decimal("0.5"), entity_max=Decimal("2.50"))
        elif s.id == "csl-2025-art61-at-once":
            s = dataclasses.replace(
                s, entity_basis=EntityBasis.MULTIPLE_OF_PURCHASE_AMOUNT,
                entity_min=Decimal("0.10"), entity_max=Decimal("1.0"),
                person_min=Decimal("1000"), person_max=Decimal("5000.00"),
                person_scope=seed()[0].person_scope,
            )  # fmt: skip
            assert s.condition is Condition.OPTIONAL_AT_ONCE
        out.append(s)
    return tuple(out)


SCHEDULES = {"seed": seed(), "amended": _amended()}


def written(d: PurchaseDigest) -> tuple[object, ...]:
    """Every figure as it is stored (str: the exponent shows)."""
    return (
        d.purchase_id, d.vendor, d.category, str(d.total.min), str(d.total.max),
        str(d.conditional_max), tuple((n, str(a), str(b), str(w)) for n, a, b, w in d.articles),
    )  # fmt: skip


def expected(
    purchase: PurchaseExposureFacts, schedules: tuple[PenaltySchedule, ...], on: date | None
) -> PurchaseDigest | str:
    try:
        return digest(assess_purchase(purchase, schedules, RATES, assessed_on=on, explain=False))
    except InputError as error:
        return f"{type(error).__name__}: {error.errors}"


def planned(digester: Digester, purchase: PurchaseExposureFacts) -> PurchaseDigest | str:
    try:
        return digester.digest(purchase)
    except InputError as error:
        return f"{type(error).__name__}: {error.errors}"


def assert_same(found: PurchaseDigest | str, wanted: PurchaseDigest | str) -> None:
    if isinstance(wanted, str) or isinstance(found, str):
        assert found == wanted
        return
    assert found == wanted
    assert written(found) == written(wanted)


@settings(max_examples=examples(400))
@given(
    any_facts(),
    st.lists(values, min_size=1, max_size=4),
    st.none() | days,
    st.sampled_from(sorted(SCHEDULES)),
)
def test_one_plan_per_shape_gives_each_purchase_the_calculators_digest(
    purchase: PurchaseExposureFacts, amounts: list[Decimal], on: date | None, which: str
) -> None:
    # given purchases of one shape (the same facts, other amounts, names and labels), and
    # their what-ifs
    schedules = SCHEDULES[which]
    renamed = tuple(ResponsiblePerson(f"{p.name}-x", p.role) for p in purchase.persons)
    same_shape = [purchase]
    for i, amount in enumerate(amounts):
        persons = renamed if i % 2 else purchase.persons
        other = dataclasses.replace(purchase, purchase_id=f"Q{i}", title="other", vendor="V9")
        same_shape.append(dataclasses.replace(other, contract_value=amount, persons=persons))
    digester = Digester(schedules, RATES, on)
    # when one digester prices them all (the first builds the shape's plan, the rest reuse it)
    for variant in (*same_shape, *map(what_if_compliant, same_shape)):
        # then each gets the calculator's digest, written the same way, or the same error
        assert_same(planned(digester, variant), expected(variant, schedules, on))
    # and pair() gives both digests at once, the what-if the same object when nothing differs
    for one in same_shape:
        try:
            actual, what_if = digester.pair(one)
        except InputError as error:
            assert f"{type(error).__name__}: {error.errors}" == expected(one, schedules, on)
            continue
        assert_same(actual, expected(one, schedules, on))
        assert_same(what_if, expected(what_if_compliant(one), schedules, on))
        assert (what_if is actual) == (not what_if_differs(one))


def test_a_zero_amount_keeps_a_discretionary_multiple_mandatory_as_the_calculator_does() -> None:
    # given a missing agreement judged under the amended CSL's Art. 61 (amended: its
    # discretionary tier a multiple of the amount), at CNY 0 and CNY 1,000
    on = date(2026, 3, 1)
    zero = facts(
        contract_date=date(2026, 2, 1), agreement_signed=False, contract_value=Decimal("0.00"),
        persons=(ResponsiblePerson("A", Role.PERSON_IN_CHARGE),),
    )  # fmt: skip
    some = dataclasses.replace(zero, contract_value=Decimal("1000.00"))
    digester = Digester(SCHEDULES["amended"], RATES, on)
    # when both are digested by one digester
    found = [digester.digest(zero), digester.digest(some)]
    # then each is the calculator's: at zero the person's fine is not opened down to zero
    for got, purchase in zip(found, (zero, some), strict=True):
        assert_same(got, expected(purchase, SCHEDULES["amended"], on))
    assert len(digester.plans) == 1
    assert [str(d.total.min) for d in found] == ["1000.0000", "0"]


def test_purchases_without_a_rate_or_with_bad_facts_raise_the_calculators_errors() -> None:
    # given a USD purchase before the first rate, and one listing a person twice
    early = facts(currency="USD", contract_date=date(2009, 1, 1))
    person = ResponsiblePerson("A", Role.PERSON_IN_CHARGE)
    twice = facts(persons=(person, person))
    digester = Digester(seed(), RATES, date(2025, 1, 1))
    for purchase in (early, twice):
        # when it is digested, then it fails as the calculator does
        with pytest.raises(InputError) as raised:
            digester.digest(purchase)
        assert str(expected(purchase, seed(), date(2025, 1, 1))) == (
            f"{type(raised.value).__name__}: {raised.value.errors}"
        )


def test_every_field_of_the_facts_is_in_the_shape_or_known_not_to_be() -> None:
    # A new field of the facts must be classified: in the plan's key, or applied per purchase.
    names = {f.name for f in dataclasses.fields(PurchaseExposureFacts)}
    assert set(IN_SHAPE) | NOT_IN_SHAPE == names
    assert set(IN_SHAPE) == {
        "contract_date", "in_use_date", "may_affect_national_security", "review_passed",
        "review_failed", "agreement_signed", "agreement_act_date", "operator_is_cii",
        "network_product", "cii_periods", "harm_to_life_or_finance", "investigated_on",
    }  # fmt: skip


@given(any_facts())
def test_the_shape_is_the_in_shape_fields_in_order_then_the_roles(
    purchase: PurchaseExposureFacts,
) -> None:
    key = shape(purchase)
    assert key == (
        *(getattr(purchase, name) for name in IN_SHAPE),
        tuple(p.role for p in purchase.persons),
    )


def test_an_amount_free_plan_prices_its_shape_once_and_shares_the_figures() -> None:
    # given two purchases of one shape that owe only fixed fines (a missing agreement: CII
    # Regulations Art. 39(9) and CSL Art. 59, no multiple of the amount), and one that owes
    # a multiple of it (a review missing: Art. 41)
    on = date(2025, 9, 1)
    fixed = facts(agreement_signed=False)
    other = dataclasses.replace(fixed, purchase_id="P2", contract_value=Decimal("7.5"))
    multiple = facts(may_affect_national_security=True)
    digester = Digester(seed(), RATES, on)
    # when each is digested
    first, second, priced = (digester.digest(p) for p in (fixed, other, multiple))
    # then each is the calculator's digest; the fixed ones share their figure objects (a
    # plan that does not depend on the amount is priced once), the other's are its own
    for got, purchase in ((first, fixed), (second, other), (priced, multiple)):
        assert_same(got, expected(purchase, seed(), on))
    assert (second.purchase_id, str(second.total.max), str(second.conditional_max)) == (
        "P2", "0", "1100000",
    )  # fmt: skip
    assert second.total is first.total and second.articles is first.articles
    assert [p.amount_free for p in digester.plans.values()] == [True, False]


def test_an_act_with_fixed_fines_is_resolved_once_beside_one_priced_per_amount() -> None:
    # given purchases of one shape missing both a review (a multiple of the amount) and an
    # agreement (fixed fines), at two amounts
    on = date(2025, 9, 1)
    small = facts(may_affect_national_security=True, agreement_signed=False)
    large = dataclasses.replace(small, purchase_id="P2", contract_value=Decimal("2500000.50"))
    digester = Digester(seed(), RATES, on)
    # when both are digested
    found = [digester.digest(small), digester.digest(large)]
    # then each is the calculator's digest, and only the review's act depends on the amount
    for got, purchase in zip(found, (small, large), strict=True):
        assert_same(got, expected(purchase, seed(), on))
    (plan,) = digester.plans.values()
    assert [act.amount_free for act in plan.live] == [False, True]
    assert [str(d.total.max) for d in found] == ["10200000.00", "25200005.00"]
