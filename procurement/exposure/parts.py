"""Exact amounts as integers a database can add up: what lets the warm portfolio summary be one
SQL GROUP BY over the cached digests (procurement.exposure.aggregate) instead of decoding
thousands of stored decimal strings in Python.

An amount is stored as ``(whole, frac, exp)``: ``whole`` its floor, ``frac`` the rest in units of
10^-9 (0 <= frac < 10^9), ``exp`` its decimal exponent. Sums of ``whole`` and of ``frac`` never
overflow a 64-bit integer (SQLite's SUM raises on overflow) for any realistic portfolio, and the
exact Decimal sum is rebuilt from them: Python adds exact decimals keeping the smallest exponent
of the operands, so the rebuilt sum is quantized to the smallest ``exp``, and compares and prints
exactly as the Decimal sum would. An amount with more than 9 decimals has no parts (None): the
summary then takes the Python path.

Pure: plain values in and out.
"""

from __future__ import annotations

from decimal import Decimal

from procurement.exposure.money import EXACT

FRACTION = 10**9
_ONE = Decimal(FRACTION)
_ZERO_EXP = 0  # Range.total and money.add start from Decimal(0): exponent 0

Parts = tuple[int, int, int]

# The stored strings (total min, max, worst case, articles' JSON) of a digest of no exposure at
# all, exactly zero: its one slice would be all zeros, so it is not stored, and the summary's SQL
# takes such a digest as that slice (procurement.exposure.aggregate). Most what-if digests are
# this (nine in ten on the summary benchmark: a third of the slices a cold fill would write).
BLANK = ("0", "0", "0", "[]")


def split(amount: Decimal) -> Parts | None:
    """``(whole, frac, exp)`` of a finite amount, None when it has more than 9 decimals."""
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -9:
        return None
    units = int(EXACT.multiply(amount, _ONE))  # exact: at most 9 decimals
    whole, frac = divmod(units, FRACTION)
    return whole, frac, exponent


def join(whole: int, frac: int, exponent: int) -> Decimal:
    """The exact Decimal sum from summed parts and the smallest exponent of the operands."""
    units = Decimal(int(whole) * FRACTION + int(frac))
    value = EXACT.divide(units, _ONE)
    return value.quantize(Decimal(1).scaleb(int(exponent)), context=EXACT)


def join_total(whole: int, frac: int, exponent: int) -> Decimal:
    """As :func:`join`, for sums that start from zero (Range.total, money.add)."""
    return join(whole, frac, min(int(exponent), _ZERO_EXP))


def split_text(amount: Decimal, text: str) -> Parts | None:
    """:func:`split` from ``text``, which is ``str(amount)``: the cache writes that string
    anyway, and reading the parts off it is a fraction of the arithmetic (10,000 purchases
    give some 80,000 amounts). Scientific notation or a sign: :func:`split` itself."""
    if "E" in text or "-" in text:
        return split(amount)
    whole, _dot, fraction = text.partition(".")
    if len(fraction) > 9:
        return None
    return int(whole), int(fraction.ljust(9, "0")) if fraction else 0, -len(fraction)
