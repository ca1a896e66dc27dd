from datetime import date
from decimal import Decimal

import pytest

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.reference_data import credit_code_check_char, is_valid_credit_code
from procurement.validation import Checker


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", Decimal("1.00")),
        ("1250000.5", Decimal("1250000.50")),
        (Decimal("0.01"), Decimal("0.01")),
        (7, Decimal("7.00")),
    ],
)
def test_amounts_are_exact_with_two_places(value: object, expected: Decimal) -> None:
    check = Checker()
    assert check.amount("value", value) == expected
    assert check.errors == []


@pytest.mark.parametrize(
    ("value", "message", "code"),
    [
        (1.5, "must be a decimal string, not a binary float", ErrorCode.INVALID),
        ("0", "must be greater than zero", ErrorCode.OUT_OF_RANGE),
        ("-3", "must be greater than zero", ErrorCode.OUT_OF_RANGE),
        ("1.001", "has more than two decimal places", ErrorCode.INVALID),
        ("abc", "'abc' is not a decimal number", ErrorCode.INVALID),
        ("NaN", "must be a finite number", ErrorCode.INVALID),
        ("1e20", "is too large", ErrorCode.OUT_OF_RANGE),
        (None, "is required", ErrorCode.REQUIRED),
    ],
)
def test_bad_amounts_are_named(value: object, message: str, code: ErrorCode) -> None:
    check = Checker()
    assert check.amount("contractValue.amount", value) is None
    assert check.errors == [FieldError("contractValue.amount", message, code)]


def test_checker_reports_every_problem_at_once() -> None:
    check = Checker()
    check.text("name", "  ", max_len=10)
    check.country("country", "ZZ")
    check.currency("currency", "RMB")
    check.date_value("contractDate", "2025-13-01")
    with pytest.raises(InputError) as raised:
        check.done()
    assert raised.value.errors == [
        FieldError("name", "is required", ErrorCode.REQUIRED),
        FieldError("country", "'ZZ' is not an ISO 3166-1 alpha-2 country code", ErrorCode.INVALID),
        FieldError("currency", "'RMB' is not an ISO 4217 currency code", ErrorCode.INVALID),
        FieldError("contractDate", "'2025-13-01' is not a date (YYYY-MM-DD)", ErrorCode.INVALID),
    ]


def test_codes_are_normalised() -> None:
    check = Checker()
    assert check.country("c", " cn ") == "CN"
    assert check.currency("m", "usd") == "USD"
    assert check.date_value("d", "2026-01-01") == date(2026, 1, 1)


def test_credit_code_check_character() -> None:
    # a published example code and one with its last character changed
    assert is_valid_credit_code("91350100M000100Y43")
    assert not is_valid_credit_code("91350100M000100Y44")
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert not is_valid_credit_code("91350100M000100Y4")  # too short
    assert not is_valid_credit_code("91350100M000100Y4I")  # I is not in the alphabet
