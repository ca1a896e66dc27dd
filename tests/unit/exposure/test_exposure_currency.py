"""Currency conversion: the rate in force on the date, never a guess."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import RATES
from hypothesis import given
from hypothesis import strategies as st

from procurement.errors import ErrorCode, InputError
from procurement.exposure import (
    ExchangeRate,
    MissingExchangeRate,
    convert_to_cny,
    rate_in_force,
    validate_rates,
)

amounts = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2)
rates_st = st.decimals(min_value=Decimal("0.000001"), max_value=1000, places=6)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2021, 1, 1), Decimal("690.0")),  # first day of the 2021 rate
        (date(2025, 2, 27), Decimal("690.0")),  # day before the new rate
        (date(2025, 2, 28), Decimal("710.0")),  # new rate from its valid_from
        (date(2030, 1, 1), Decimal("710.0")),  # latest rate stays in force
    ],
)
def test_picks_latest_rate_valid_on_the_date(on: date, expected: Decimal) -> None:
    # Given USD rates from 2021-01-01 (6.9) and 2025-02-28 (7.1), when converting USD 100,
    # then the rate with the latest valid_from <= the date is used.
    assert convert_to_cny(Decimal("100"), "USD", on, RATES) == expected


def test_cny_needs_no_rate() -> None:
    assert convert_to_cny(Decimal("123.45"), "CNY", date(2000, 1, 1), ()) == Decimal("123.45")


def test_missing_rate_names_currency_and_date() -> None:
    # Given no USD rate before 2021-01-01, when converting on 2020-12-31, then the error says
    # which currency and which date, and is an InputError on the `currency` field.
    with pytest.raises(MissingExchangeRate) as caught:
        convert_to_cny(Decimal("1"), "USD", date(2020, 12, 31), RATES)
    assert str(caught.value) == (
        "currency: no exchange rate from USD to CNY in force on 2020-12-31; "
        "add a USD rate valid from 2020-12-31 or earlier"
    )
    assert isinstance(caught.value, InputError)
    assert caught.value.errors[0].code is ErrorCode.NOT_FOUND
    assert (caught.value.currency, caught.value.on) == ("USD", date(2020, 12, 31))


def test_unknown_currency_is_missing_not_guessed() -> None:
    with pytest.raises(MissingExchangeRate, match="JPY to CNY in force on 2025-01-01"):
        rate_in_force("JPY", date(2025, 1, 1), RATES)


def test_validate_rates_reports_every_problem() -> None:
    # Given a table with four problems, when validated, then each is reported with its path.
    bad = (
        ExchangeRate("usd", Decimal("7"), date(2025, 1, 1), "x"),
        ExchangeRate("EUR", Decimal("0"), date(2025, 1, 1), " "),
        ExchangeRate("GBP", Decimal("9"), date(2025, 1, 1), "x"),
        ExchangeRate("GBP", Decimal("9.1"), date(2025, 1, 1), "y"),
    )
    assert [(e.field, e.code) for e in validate_rates(bad)] == [
        ("rates[0].currency", ErrorCode.INVALID),
        ("rates[1].rate_to_cny", ErrorCode.OUT_OF_RANGE),
        ("rates[1].source", ErrorCode.REQUIRED),
        ("rates[3]", ErrorCode.CONFLICT),
    ]
    assert validate_rates(RATES) == []


@given(a=amounts, b=amounts, rate=rates_st)
def test_conversion_is_additive(a: Decimal, b: Decimal, rate: Decimal) -> None:
    table = (ExchangeRate("USD", rate, date(2020, 1, 1), "t"),)
    on = date(2024, 1, 1)
    assert convert_to_cny(a + b, "USD", on, table) == convert_to_cny(
        a, "USD", on, table
    ) + convert_to_cny(b, "USD", on, table)


@given(a=amounts, k=st.integers(min_value=0, max_value=1000), rate=rates_st)
def test_conversion_is_homogeneous_and_consistent_with_cny(
    a: Decimal, k: int, rate: Decimal
) -> None:
    # Given any rate, converting k*a equals k times converting a; and converting at the rate
    # equals the CNY amount a*rate (no rounding happens during conversion).
    table = (ExchangeRate("USD", rate, date(2020, 1, 1), "t"),)
    on = date(2024, 1, 1)
    assert convert_to_cny(a * k, "USD", on, table) == k * convert_to_cny(a, "USD", on, table)
    assert convert_to_cny(a, "USD", on, table) == convert_to_cny(a * rate, "CNY", on, table)
    unit = (ExchangeRate("HKD", Decimal(1), date(2020, 1, 1), "t"),)
    assert convert_to_cny(a, "HKD", on, unit) == convert_to_cny(a, "CNY", on, ())
