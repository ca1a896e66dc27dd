"""The cold fill's shortcuts around the facts (procurement.exposure.facts.plainly_valid, the
digester's rates per currency and day): they never say "valid" where validate_facts finds a
problem, and never price at another rate than convert_to_cny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import LI, RATES, WANG, facts, seed
from hypothesis import given, settings
from test_exposure_figures_only import any_facts

from procurement.exposure import MissingExchangeRate, ResponsiblePerson, Role, convert_to_cny
from procurement.exposure.currency import rate_in_force
from procurement.exposure.facts import PurchaseExposureFacts, plainly_valid, validate_facts
from procurement.exposure.figures import Digester
from tests.support.properties import examples


class _Amount(Decimal):
    """A Decimal subclass: validate_facts accepts it, the shortcut leaves it to validate_facts."""


@pytest.mark.parametrize(
    ("overrides", "valid"),
    [
        ({}, True),
        ({"persons": ()}, True),
        ({"persons": (WANG,)}, True),
        ({"currency": "USD"}, True),
        ({"contract_value": Decimal("0")}, True),
        ({"purchase_id": "  "}, False),
        ({"contract_value": Decimal("NaN")}, False),
        ({"contract_value": Decimal("Infinity")}, False),
        ({"contract_value": Decimal("-0.01")}, False),
        ({"contract_value": _Amount("5")}, False),
        ({"currency": "usd"}, False),
        ({"currency": "USDX"}, False),
        ({"currency": "USD\n"}, True),  # _CODE's "$" matches before a final newline, as there
        ({"review_passed": True, "review_failed": True}, False),
        ({"persons": (ResponsiblePerson(" ", Role.PERSON_IN_CHARGE),)}, False),
        ({"persons": (WANG, LI, WANG)}, False),
        ({"persons": (WANG, WANG)}, False),
        ({"persons": (WANG, ResponsiblePerson(WANG.name, Role.OTHER_RESPONSIBLE))}, True),
        ({"persons": (WANG, ResponsiblePerson(WANG.name, Role.PERSON_IN_CHARGE))}, False),
    ],
)
def test_plainly_valid_says_valid_only_of_facts_without_problems(
    overrides: dict[str, object], valid: bool
) -> None:
    # given facts with one problem (or none)
    purchase = facts(**overrides)
    # when the shortcut checks them
    found = plainly_valid(purchase)
    # then it says valid exactly for the problem-free ones here, and never where
    # validate_facts finds a problem
    assert found is valid
    if found:
        assert validate_facts(purchase) == []


@settings(max_examples=examples(300))
@given(any_facts())
def test_plainly_valid_never_hides_a_problem(purchase: PurchaseExposureFacts) -> None:
    # given any facts, when the shortcut says valid, then validate_facts finds nothing
    if plainly_valid(purchase):
        assert validate_facts(purchase) == []


def test_the_digester_looks_a_rate_up_once_per_currency_and_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given USD purchases, two contracted on one day and one on another
    calls: list[tuple[str, date]] = []

    def counting(currency: str, on: date, rates: object) -> object:
        calls.append((currency, on))
        return rate_in_force(currency, on, RATES)

    monkeypatch.setattr("procurement.exposure.figures.rate_in_force", counting)
    days = (date(2025, 3, 1), date(2025, 3, 1), date(2024, 5, 1))
    values = (Decimal("10.00"), Decimal("20.5"), Decimal("30"))
    purchases = [
        facts(purchase_id=f"P{i}", currency="USD", contract_date=day, contract_value=value)
        for i, (day, value) in enumerate(zip(days, values, strict=True))
    ]
    digester = Digester(seed(), RATES, date(2025, 6, 1))
    # when it prices them
    amounts = [digester.amount_of(p) for p in purchases]
    # then each day's rate was looked up once, and each amount is convert_to_cny's
    assert calls == [("USD", date(2025, 3, 1)), ("USD", date(2024, 5, 1))]
    assert [str(a) for a in amounts] == ["71.000", "145.55", "207.0"]
    assert amounts == [
        convert_to_cny(p.contract_value, "USD", p.contract_date, RATES) for p in purchases
    ]


def test_a_missing_rate_is_raised_again_not_remembered() -> None:
    # given a USD purchase before the first rate
    early = facts(currency="USD", contract_date=date(2009, 1, 1))
    digester = Digester(seed(), RATES, date(2025, 6, 1))
    # when it is priced twice, then it fails both times
    for _ in range(2):
        with pytest.raises(MissingExchangeRate):
            digester.amount_of(early)
