"""Conversion of contract values to CNY with dated, sourced exchange rates.

A rate is in force from its ``valid_from`` date until the next rate for the same currency. A date
before the first rate has no rate: :func:`convert_to_cny` raises :class:`MissingExchangeRate`
instead of guessing (fines scale with the amount, so a guessed rate is a guessed fine).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.exposure.messages import TEMPLATES, said
from procurement.exposure.money import mul
from procurement.texts import Text, english

CNY = "CNY"
_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """``1 <currency> = rate_to_cny CNY`` from ``valid_from`` on; ``source`` is shown to users."""

    currency: str
    rate_to_cny: Decimal
    valid_from: date
    source: str


class MissingExchangeRate(InputError):
    """No rate in force for ``currency`` on ``on``; the message names both."""

    def __init__(self, currency: str, on: date) -> None:
        self.currency = currency
        self.on = on
        text = Text("exposure.no_rate", {"currency": currency, "day": on.isoformat()})
        super().__init__(
            [FieldError("currency", english(text, TEMPLATES), ErrorCode.NOT_FOUND, text)]
        )


def validate_rates(rates: Iterable[ExchangeRate]) -> list[FieldError]:
    """Every problem in a rate table: bad codes, non-positive rates, empty sources, and two
    different rates for the same currency and day (which one applies would be a guess)."""
    errors: list[FieldError] = []
    seen: dict[tuple[str, date], Decimal] = {}
    for i, rate in enumerate(rates):
        field = f"rates[{i}]"
        if not _CODE.match(rate.currency) or rate.currency == CNY:
            errors.append(
                said(
                    f"{field}.currency",
                    Text("exposure.error.foreign_code", {"value": rate.currency}),
                )
            )
        if not isinstance(rate.rate_to_cny, Decimal) or not rate.rate_to_cny.is_finite():
            errors.append(said(f"{field}.rate_to_cny", Text("exposure.error.finite_decimal", {})))
        elif rate.rate_to_cny <= 0:
            errors.append(
                said(
                    f"{field}.rate_to_cny",
                    Text("exposure.error.positive", {}),
                    ErrorCode.OUT_OF_RANGE,
                )
            )
        if not rate.source.strip():
            errors.append(said(f"{field}.source", Text("input.required", {}), ErrorCode.REQUIRED))
        key = (rate.currency, rate.valid_from)
        if key in seen and seen[key] != rate.rate_to_cny:
            errors.append(
                said(
                    field,
                    Text(
                        "exposure.error.two_rates",
                        {"currency": rate.currency, "day": rate.valid_from.isoformat()},
                    ),
                    ErrorCode.CONFLICT,
                )
            )
        seen.setdefault(key, rate.rate_to_cny)
    return errors


def rate_in_force(currency: str, on: date, rates: Iterable[ExchangeRate]) -> ExchangeRate:
    """The rate with the latest ``valid_from <= on`` for ``currency``.

    Raises :class:`MissingExchangeRate` when there is none. Callers validate the table first
    (:func:`validate_rates`); on a same-day duplicate the first listed wins.
    """
    best: ExchangeRate | None = None
    for rate in rates:
        if rate.currency != currency or rate.valid_from > on:
            continue
        if best is None or rate.valid_from > best.valid_from:
            best = rate
    if best is None:
        raise MissingExchangeRate(currency, on)
    return best


def convert_to_cny(
    amount: Decimal, currency: str, on: date, rates: Iterable[ExchangeRate]
) -> Decimal:
    """``amount`` in CNY at the rate in force on ``on``; exact (no rounding), CNY unchanged."""
    if currency == CNY:
        return amount
    return mul(amount, rate_in_force(currency, on, rates).rate_to_cny)
