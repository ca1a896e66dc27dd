"""Language-specific display text for agreement values (dates, money, counts, time windows).

Templates receive these pre-formatted strings, so a template author writes ``{{ text.term_end }}``
instead of formatting logic, and uploaded templates need no filters beyond the safe few.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Chinese names for the currencies a CII purchase is usually priced in; other codes stay as codes.
_CURRENCY_ZH = {
    "CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元", "GBP": "英镑",
    "MOP": "澳门元", "TWD": "新台币", "KRW": "韩元", "SGD": "新加坡元", "CHF": "瑞士法郎",
    "CAD": "加元", "AUD": "澳元", "SEK": "瑞典克朗",
}  # fmt: skip
# ISO 4217 minor units where they are not 2.
_MINOR_UNITS = {"JPY": 0, "KRW": 0}


def check_language(language: str) -> Language:
    """Return ``language`` as a :data:`Language`, or raise ``ValueError`` naming the choices."""
    if language == "zh":
        return "zh"
    if language == "en":
        return "en"
    raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")


def format_date(value: date, language: Language) -> str:
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_amount(amount: Decimal, currency: str) -> str:
    """Thousands grouped, the currency's minor units; Decimal formats exactly, never via float."""
    places = _MINOR_UNITS.get(currency.upper(), 2)
    return f"{amount:,.{places}f}"


def format_money(amount: Decimal, currency: str, language: Language) -> str:
    code = currency.strip().upper()
    number = format_amount(amount, code)
    if language == "zh" and code == "CNY":
        return f"人民币 {number} 元"
    if language == "zh" and code in _CURRENCY_ZH:
        return f"{_CURRENCY_ZH[code]} {number}"
    return f"{code} {number}"


def format_count(value: int) -> str:
    return f"{value:,}"


def format_percent(value: Decimal) -> str:
    """``Decimal("10")`` -> ``"10%"``, ``Decimal("12.50")`` -> ``"12.5%"`` (never exponent form)."""
    text = f"{value.normalize():f}"
    return f"{text}%"


def format_hours(hours: int, language: Language) -> str:
    return f"{hours} 小时" if language == "zh" else f"{hours} hour{'s' if hours != 1 else ''}"


def format_days(days: int, language: Language) -> str:
    return f"{days} 日" if language == "zh" else f"{days} day{'s' if days != 1 else ''}"


def format_yes_no(value: bool, language: Language) -> str:
    if language == "zh":
        return "是" if value else "否"
    return "Yes" if value else "No"
