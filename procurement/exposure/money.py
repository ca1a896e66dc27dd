"""Exact CNY arithmetic and the one place where amounts are rounded for display.

Every fine is computed in :class:`~decimal.Decimal` with a private context that *traps* inexact
results: a fine that cannot be represented exactly raises instead of being silently rounded.
Rounding to the fen (0.01, ROUND_HALF_UP) happens only in :func:`present` and
:func:`present_range`, i.e. when a human reads the number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

# 60 digits is far beyond any purchase amount times 10; Inexact makes overflow of that loud.
EXACT = Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)
# Quantizing drops digits by design, so display rounding uses a context without the Inexact trap.
EXACT_DISPLAY = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Overflow])
ZERO = Decimal(0)
FEN = Decimal("0.01")


def add(*amounts: Decimal) -> Decimal:
    """Exact sum; raises :class:`decimal.Inexact` rather than rounding."""
    total = ZERO
    for amount in amounts:
        total = EXACT.add(total, amount)
    return total


def mul(a: Decimal, b: Decimal) -> Decimal:
    """Exact product; raises :class:`decimal.Inexact` rather than rounding."""
    return EXACT.multiply(a, b)


@dataclass(frozen=True, slots=True)
class Range:
    """A closed CNY interval ``[min, max]`` with ``0 <= min <= max``.

    Invalid ranges are programming errors (schedules and facts are validated before use), so the
    constructor raises :class:`ValueError` instead of returning field errors.
    """

    min: Decimal
    max: Decimal

    def __post_init__(self) -> None:
        for bound in (self.min, self.max):
            if not isinstance(bound, Decimal) or not bound.is_finite():
                raise ValueError(f"range bounds must be finite Decimals, got {bound!r}")
        if self.min < 0:
            raise ValueError(f"range minimum {self.min} is negative")
        if self.min > self.max:
            raise ValueError(f"range minimum {self.min} exceeds maximum {self.max}")

    @classmethod
    def trusted(cls, lo: Decimal, hi: Decimal) -> Range:
        """A range from bounds this code wrote itself (the exposure cache), unchecked: reloading
        thousands of stored digests should not validate each bound again."""
        instance = object.__new__(cls)
        object.__setattr__(instance, "min", lo)
        object.__setattr__(instance, "max", hi)
        return instance

    @classmethod
    def zero(cls) -> Range:
        return cls(ZERO, ZERO)

    @classmethod
    def total(cls, ranges: Iterable[Range]) -> Range:
        """Sum of ranges (an empty iterable sums to zero). A sum of valid ranges is valid (the
        context traps overflow and rounding), so it is not checked again: the calculator adds
        ranges hundreds of thousands of times on a cold portfolio."""
        lo, hi = ZERO, ZERO
        exact_add = EXACT.add
        for r in ranges:
            lo, hi = exact_add(lo, r.min), exact_add(hi, r.max)
        return cls.trusted(lo, hi)

    def __add__(self, other: Range) -> Range:
        return Range.trusted(EXACT.add(self.min, other.min), EXACT.add(self.max, other.max))

    def scaled(self, factor: Decimal) -> Range:
        """The range multiplied by a non-negative factor (e.g. a purchase amount)."""
        return Range(mul(self.min, factor), mul(self.max, factor))

    @property
    def is_zero(self) -> bool:
        return self.max == 0


def to_fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up. Display only: never feed the result back into a computation."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP, context=EXACT_DISPLAY)


def present(amount: Decimal, currency: str = "CNY") -> str:
    """``Decimal("1200000") -> "CNY 1,200,000.00"``, rounded to the fen half up."""
    return f"{currency} {to_fen(amount):,.2f}"


def present_range(r: Range, currency: str = "CNY") -> str:
    """``"CNY 100,000.00 - 1,000,000.00"``; a degenerate range prints once."""
    if r.min == r.max:
        return present(r.min, currency)
    return f"{present(r.min, currency)} - {to_fen(r.max):,.2f}"
