"""Input checking that collects every problem with its field path before anything is written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.input_messages import TEMPLATES
from procurement.reference_data import COUNTRY_CODES, CURRENCY_CODES, is_valid_credit_code
from procurement.texts import Text, english

E = TypeVar("E", bound=StrEnum)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_AMOUNT = Decimal("1e16")  # in fen still fits a 64-bit integer (SQLite storage)
MAX_SEARCH_CHARS = 200  # longer text is no search; SQLite refuses very long LIKE patterns

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def contains_pattern(field: str, text: str, *, lower: bool = False) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards escaped (use ``escape="\\"``).
    Refuses a text longer than anyone searches for, naming the field."""
    if len(text) > MAX_SEARCH_CHARS:
        raise InputError.single(
            field, f"is longer than {MAX_SEARCH_CHARS} characters", ErrorCode.OUT_OF_RANGE
        )
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower() if lower else escaped}%"


def camel(name: str) -> str:
    """A Python field name as clients spell it (``contract_date`` -> ``contractDate``)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class Checker:
    """Accumulates FieldErrors; ``done()`` raises them all at once as one InputError."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(
        self,
        field: str | None,
        message: str | Text,
        code: ErrorCode = ErrorCode.INVALID,
        templates: Mapping[str, str] = TEMPLATES,
    ) -> None:
        """``message`` as English, or as a message of ``templates`` (a domain's catalog; by
        default procurement/input_messages.py)."""
        if isinstance(message, Text):
            self.errors.append(FieldError(field, english(message, templates), code, message))
        else:
            self.errors.append(FieldError(field, message, code))

    def done(self) -> None:
        if self.errors:
            raise InputError(self.errors)

    def text(self, field: str, value: Any, *, max_len: int, required: bool = True) -> str | None:
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if required:
                self.fail(field, Text("input.required", {}), ErrorCode.REQUIRED)
            return None
        if not isinstance(value, str):
            self.fail(field, Text("input.string", {}))
            return None
        text: str = value.strip()
        if len(text) > max_len:
            self.fail(field, Text("input.too_long", {"max": max_len}), ErrorCode.OUT_OF_RANGE)
            return None
        return text

    def chinese_text(self, field: str, value: Any, *, max_len: int) -> str | None:
        """Optional text that must contain Chinese (a name for Chinese documents)."""
        text = self.text(field, value, max_len=max_len, required=False)
        if text is not None and not _CJK.search(text):
            self.fail(field, Text("input.chinese", {}))
            return None
        return text

    def country(self, field: str, value: Any, *, required: bool = True) -> str | None:
        code = self.text(field, value, max_len=2, required=required)
        if code is None:
            return None
        code = code.upper()
        if code not in COUNTRY_CODES:
            self.fail(field, Text("input.country", {"value": str(value)}))
            return None
        return code

    def currency(self, field: str, value: Any) -> str | None:
        code = self.text(field, value, max_len=3)
        if code is None:
            return None
        code = code.upper()
        if code not in CURRENCY_CODES:
            self.fail(field, Text("input.currency", {"value": str(value)}))
            return None
        return code

    def credit_code(self, field: str, value: Any) -> str | None:
        code = self.text(field, value, max_len=18)
        if code is None:
            return None
        code = code.upper()
        if not is_valid_credit_code(code):
            self.fail(
                field,
                Text("input.credit_code", {"value": str(value)}),
            )
            return None
        return code

    def email(self, field: str, value: Any) -> str | None:
        address = self.text(field, value, max_len=254, required=False)
        if address is not None and not _EMAIL.match(address):
            self.fail(field, Text("input.email", {"value": str(value)}))
            return None
        return address

    def amount(self, field: str, value: Any) -> Decimal | None:
        """A positive money amount with at most two decimal places (fen)."""
        if value is None:
            self.fail(field, Text("input.required", {}), ErrorCode.REQUIRED)
            return None
        if isinstance(value, float | bool):
            self.fail(field, Text("input.float", {}))
            return None
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(field, Text("input.decimal", {"value": str(value)}))
            return None
        if not amount.is_finite():
            self.fail(field, Text("input.finite", {}))
        elif amount <= 0:
            self.fail(field, Text("input.positive", {}), ErrorCode.OUT_OF_RANGE)
        elif amount >= MAX_AMOUNT:
            self.fail(field, Text("input.too_large", {}), ErrorCode.OUT_OF_RANGE)
        elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
            self.fail(field, Text("input.decimals", {}), ErrorCode.INVALID)
        else:
            return amount.quantize(Decimal("0.01"))
        return None

    def non_negative_int(self, field: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, Text("input.integer", {}))
            return None
        if value < 0 or value > 2_000_000_000:
            self.fail(field, Text("input.int_range", {}), ErrorCode.OUT_OF_RANGE)
            return None
        return value

    def enum(
        self, field: str, value: Any, enum_type: type[E], *, required: bool = True
    ) -> E | None:
        if value is None:
            if required:
                self.fail(field, Text("input.required", {}), ErrorCode.REQUIRED)
            return None
        try:
            return enum_type(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_type)
            self.fail(field, Text("input.enum", {"value": str(value), "allowed": allowed}))
            return None

    def date_value(self, field: str, value: Any, *, required: bool = True) -> date | None:
        if value is None:
            if required:
                self.fail(field, Text("input.required", {}), ErrorCode.REQUIRED)
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(field, Text("input.date", {"value": str(value)}))
            return None
