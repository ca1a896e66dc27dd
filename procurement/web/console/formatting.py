"""Money and dates as a reader of the page's language expects them: money with its currency
and thousands separators, legal dates as dates, moments in China time (as the law counts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from procurement.clock import CHINA
from procurement.web.i18n import CHINESE


@cache
def _locale(language: str) -> Locale:
    # Parsed once: Babel parses a locale name on every call it is given as a string.
    return Locale.parse("zh_CN" if language == CHINESE else "en")


class Formats:
    """Handed to every template as ``fmt``."""

    def __init__(self, language: str) -> None:
        self.locale = _locale(language)

    def money(self, amount: Decimal | None, currency: str = "CNY") -> str:
        if amount is None:
            return ""
        return format_currency(amount, currency, locale=self.locale)

    def number(self, value: int | float | Decimal | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)

    def share(self, fraction: float) -> str:
        """0.4567 as "46%"."""
        return format_percent(fraction, locale=self.locale)

    def day(self, value: date | None) -> str:
        return "" if value is None else format_date(value, "medium", locale=self.locale)

    def moment(self, value: datetime | None) -> str:
        """A stored UTC moment shown in China time, with the zone said."""
        if value is None:
            return ""
        shown = format_datetime(value, "yyyy-MM-dd HH:mm", tzinfo=CHINA, locale=self.locale)
        return f"{shown} (UTC+8)"
