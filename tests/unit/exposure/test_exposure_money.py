"""Money: exact Decimal ranges, display rounding to the fen, and no binary float anywhere."""

from __future__ import annotations

import io
import json
import tokenize
from decimal import Decimal, Inexact
from pathlib import Path

import pytest

import procurement.exposure as exposure_pkg
from procurement.exposure.money import Range, add, mul, present, present_range, to_fen

PKG_DIR = Path(exposure_pkg.__file__).parent


def test_range_rejects_negative_and_inverted_bounds() -> None:
    # Given bounds that make no sense for a fine, when building a Range, then it refuses.
    with pytest.raises(ValueError, match="negative"):
        Range(Decimal("-1"), Decimal("1"))
    with pytest.raises(ValueError, match="exceeds maximum"):
        Range(Decimal("2"), Decimal("1"))
    with pytest.raises(ValueError, match="finite Decimals"):
        Range(Decimal("NaN"), Decimal("1"))


def test_range_sum_and_scale_are_exact() -> None:
    # Given two ranges, when added and scaled, then no digit is lost.
    r = Range(Decimal("0.10"), Decimal("0.20")) + Range(Decimal("0.20"), Decimal("0.30"))
    assert r == Range(Decimal("0.30"), Decimal("0.50"))
    assert Range(Decimal(1), Decimal(10)).scaled(Decimal("123456.789")) == Range(
        Decimal("123456.789"), Decimal("1234567.890")
    )
    assert Range.total([]) == Range.zero()


def test_inexact_arithmetic_raises_instead_of_rounding() -> None:
    # Given a product needing more than 60 significant digits, when multiplied, then Inexact.
    with pytest.raises(Inexact):
        mul(Decimal("1." + "1" * 40), Decimal("1." + "1" * 40))
    assert add(Decimal("0.1"), Decimal("0.2")) == Decimal("0.3")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0.005"), "CNY 0.01"),  # half up, not banker's rounding
        (Decimal("0.015"), "CNY 0.02"),
        (Decimal("0.025"), "CNY 0.03"),
        (Decimal("2.675"), "CNY 2.68"),
        (Decimal("0.004999"), "CNY 0.00"),
        (Decimal("1199999.968"), "CNY 1,199,999.97"),
        (Decimal("12000000"), "CNY 12,000,000.00"),
    ],
)
def test_present_rounds_half_up_to_the_fen(amount: Decimal, expected: str) -> None:
    assert present(amount) == expected


def test_to_fen_and_present_range() -> None:
    assert to_fen(Decimal("10.005")) == Decimal("10.01")
    assert present(Decimal("5"), "USD") == "USD 5.00"
    assert present_range(Range(Decimal(100000), Decimal(1000000))) == (
        "CNY 100,000.00 - 1,000,000.00"
    )
    assert present_range(Range.zero()) == "CNY 0.00"


def test_no_float_in_exposure_code() -> None:
    # Given every source file of the package, when tokenized, then there is no `float` name and
    # no number literal with a decimal point or exponent (comments and strings are ignored).
    offenders: list[str] = []
    for path in sorted(PKG_DIR.glob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
        for tok in tokens:
            if tok.type == tokenize.NAME and tok.string == "float":
                offenders.append(f"{path.name}:{tok.start[0]} float")
            if tok.type == tokenize.NUMBER and any(c in tok.string.lower() for c in ".ej"):
                offenders.append(f"{path.name}:{tok.start[0]} {tok.string}")
    assert offenders == []


def test_seed_file_has_no_json_numbers() -> None:
    # Given the seed file, when parsed with floats and ints flagged, then none occurs: every
    # amount and factor is a string, so no JSON reader can turn it into a binary float.
    def refuse(text: str) -> None:
        raise AssertionError(f"bare JSON number {text} in seed_schedules.json")

    json.loads((PKG_DIR / "seed_schedules.json").read_text(), parse_float=refuse, parse_int=refuse)
