"""Default agreement terms for a purchase, caller overrides, and their validation.

The defaults are a starting point the legal team edits, not legal requirements: the law fixes no
deadlines for these clauses, so every number here is data the operator can change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from procurement.agreements.context import AgreementTerms, PurchaseFacts
from procurement.agreements.messages import said
from procurement.errors import ErrorCode, FieldError, InputError

DEFAULT_TERM_YEARS = 3
DEFAULT_MAINTENANCE_YEARS = 5
MAX_YEARS = 50

_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(AgreementTerms))
_DATE_FIELDS = ("term_start", "term_end", "maintenance_end")
# Annotations are strings under ``from __future__ import annotations``; accept both spellings.
_INT_FIELDS = tuple(f.name for f in dataclasses.fields(AgreementTerms) if f.type in ("int", int))


def period_end(start: date, years: int) -> date:
    """Last day of a period of whole years that starts on ``start`` (the eve of the anniversary).

    A period starting on 29 February ends on 28 February when the anniversary year is common.
    """
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def add_years(value: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def default_terms(
    purchase: PurchaseFacts, overrides: Mapping[str, object] | None = None
) -> AgreementTerms:
    """Default terms (3-year term, 5-year maintenance) with ``overrides`` applied.

    The term starts when the agreement takes effect, on signing (clause 16.3), not on the
    purchase's contract date: a draft made months after the contract must not be born with its
    onboarding deadlines passed. Only an agreed ``term_start`` fixes the dates before signing.
    Raises :class:`InputError` listing every bad override (field paths ``terms.<name>``).
    """
    del purchase  # the terms no longer depend on the contract date; kept for the callers
    overrides = overrides or {}
    errors = _override_errors(overrides)
    if errors:
        raise InputError(errors)
    terms = AgreementTerms(**_coerced(overrides))
    errors = validate_terms(terms)
    if errors:
        raise InputError(errors)
    return resolve_terms(terms, None)


def resolve_terms(terms: AgreementTerms, effective: date | None) -> AgreementTerms:
    """The terms with their dates: from the agreed start, else from ``effective`` (the signing
    date); unchanged while neither is known. Explicit end dates are kept."""
    start = terms.term_start or effective
    if start is None:
        return terms
    return dataclasses.replace(
        terms,
        term_start=start,
        term_end=terms.term_end or period_end(start, terms.term_years),
        maintenance_end=terms.maintenance_end or period_end(start, terms.maintenance_years),
    )


def _coerced(overrides: Mapping[str, object]) -> dict[str, Any]:
    """Overrides already type-checked by :func:`_override_errors`; an int percentage -> Decimal."""
    out: dict[str, Any] = dict(overrides)
    pct = out.get("liquidated_damages_percent")
    if isinstance(pct, int):
        out["liquidated_damages_percent"] = Decimal(pct)
    return out


def _override_errors(overrides: Mapping[str, object]) -> list[FieldError]:
    errors: list[FieldError] = []
    for name, value in overrides.items():
        path = f"terms.{name}"
        if name not in _FIELD_NAMES:
            errors.append(said(path, "agreements.error.term_unknown", name=repr(name)))
        elif name in _DATE_FIELDS and (type(value) is not date):
            errors.append(said(path, "agreements.error.term_date", ErrorCode.INVALID))
        elif name in _INT_FIELDS and (type(value) is not int):
            errors.append(said(path, "agreements.error.term_whole", ErrorCode.INVALID))
        elif name == "liquidated_damages_percent" and (
            type(value) is not int and not isinstance(value, Decimal)
        ):
            errors.append(said(path, "agreements.error.term_decimal", ErrorCode.INVALID))
        elif name == "governing_place" and not isinstance(value, str):
            errors.append(said(path, "agreements.error.term_text", ErrorCode.INVALID))
    return errors


def validate_terms(terms: AgreementTerms) -> list[FieldError]:
    """Every inconsistency in ``terms`` (ranges and ordering), not just the first."""
    errors: list[FieldError] = []
    if terms.term_start is None:
        for name in ("term_end", "maintenance_end"):
            if getattr(terms, name) is not None:
                errors.append(
                    said(
                        f"terms.{name}",
                        "agreements.error.term_start_needed",
                        ErrorCode.INVALID,
                    )
                )
        if terms.maintenance_years < terms.term_years:
            errors.append(
                said(
                    "terms.maintenance_years",
                    "agreements.error.maintenance_short",
                    ErrorCode.INVALID,
                )
            )
    else:
        resolved = resolve_terms(terms, None)
        assert resolved.term_end is not None and resolved.maintenance_end is not None
        if resolved.term_end <= terms.term_start:
            errors.append(said("terms.term_end", "agreements.error.term_end", ErrorCode.INVALID))
        if resolved.maintenance_end < resolved.term_end:
            errors.append(
                said(
                    "terms.maintenance_end",
                    "agreements.error.maintenance_short",
                    ErrorCode.INVALID,
                )
            )
    for name in _INT_FIELDS:
        if getattr(terms, name) < 1:
            errors.append(
                said(f"terms.{name}", "agreements.error.at_least_one", ErrorCode.OUT_OF_RANGE)
            )
    for name in ("term_years", "maintenance_years"):
        if getattr(terms, name) > MAX_YEARS:
            errors.append(
                said(
                    f"terms.{name}",
                    "agreements.error.at_most",
                    ErrorCode.OUT_OF_RANGE,
                    max=MAX_YEARS,
                )
            )
    pct = terms.liquidated_damages_percent
    if not pct.is_finite() or not Decimal(0) < pct <= Decimal(100):
        errors.append(
            said(
                "terms.liquidated_damages_percent",
                "agreements.error.percent",
                ErrorCode.OUT_OF_RANGE,
            )
        )
    if not (
        terms.remediation_days_critical
        <= terms.remediation_days_high
        <= terms.remediation_days_other
    ):
        errors.append(
            said(
                "terms.remediation_days_high",
                "agreements.error.remediation_order",
                ErrorCode.INVALID,
            )
        )
    return errors


@dataclass(frozen=True, slots=True)
class ContactInput:
    """A contact person the caller names for the agreement (overrides the stored ones)."""

    name: str
    role: str
    contact: str | None = None
