"""Amounts split into integer parts add up to exactly the Decimal sum, exponent included."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from procurement.exposure.money import add
from procurement.exposure.parts import join, join_total, split, split_text


def test_summed_parts_give_the_decimal_sum_with_its_exponent() -> None:
    # given amounts with different exponents, one of them positive
    amounts = [Decimal("710000.123"), Decimal("1E+4"), Decimal("0.50"), Decimal("3")]
    parts = [split(a) for a in amounts]
    assert parts[0] == (710000, 123000000, -3)
    # when their parts are summed as SQL would
    whole = sum(p[0] for p in parts if p)
    frac = sum(p[1] for p in parts if p)
    exponent = min(p[2] for p in parts if p)
    # then the joined sum prints as Python's exact sum does
    assert str(join(whole, frac, exponent)) == str(amounts[0] + amounts[1] + amounts[2] + 3)
    assert str(join_total(whole, frac, exponent)) == str(add(*amounts)) == "720003.623"


def test_a_single_amount_keeps_its_form() -> None:
    assert repr(join(*split(Decimal("1E+4")) or (0, 0, 0))) == "Decimal('1E+4')"
    assert str(join_total(*split(Decimal("1E+4")) or (0, 0, 0))) == "10000"


def test_more_than_nine_decimals_has_no_parts() -> None:
    assert split(Decimal("0.0000000001")) is None
    assert split(Decimal("0.000000001")) == (0, 1, -9)


@given(
    st.decimals(min_value=0, max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False)
    | st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(0, 10**12), st.integers(-12, 6))
)
def test_parts_read_off_the_string_are_the_computed_ones(amount: Decimal) -> None:
    # given any non-negative amount, in any form (plain, many decimals, scientific)
    # when its parts are read off its string, then they are split's, or None alike
    assert split_text(amount, str(amount)) == split(amount)


def test_parts_off_the_string_in_each_form() -> None:
    assert split_text(Decimal("710000.1230"), "710000.1230") == (710000, 123000000, -4)
    assert split_text(Decimal("0.00"), "0.00") == (0, 0, -2)
    assert split_text(Decimal("1E+4"), "1E+4") == (10000, 0, 4)
    assert split_text(Decimal("1E-7"), "1E-7") == (0, 100, -7)
    assert split_text(Decimal("0.0000000001"), "1E-10") is None
    assert split_text(Decimal("0.1234567891"), "0.1234567891") is None
