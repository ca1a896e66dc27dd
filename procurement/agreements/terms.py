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
            errors.append(FieldError(path, f"unknown agreement term {name!r}", ErrorCode.INVALID))
        elif name in _DATE_FIELDS and (type(value) is not date):
            errors.append(FieldError(path, "must be a date", ErrorCode.INVALID))
        elif name in _INT_FIELDS and (type(value) is not int):
            errors.append(FieldError(path, "must be a whole number", ErrorCode.INVALID))
        elif name == "liquidated_damages_percent" and (
            type(value) is not int and not isinstance(value, Decimal)
        ):
            errors.append(FieldError(path, "must be a decimal number", ErrorCode.INVALID))
        elif name == "governing_place" and not isinstance(value, str):
            errors.append(FieldError(path, "must be text", ErrorCode.INVALID))
    return errors


def validate_terms(terms: AgreementTerms) -> list[FieldError]:
    """Every inconsistency in ``terms`` (ranges and ordering), not just the first."""
    errors: list[FieldError] = []
    if terms.term_start is None:
        for name in ("term_end", "maintenance_end"):
            if getattr(terms, name) is not None:
                errors.append(
                    FieldError(
                        f"terms.{name}",
                        "give termStart too: without it the term runs from signing, and its "
                        "length is set by termYears and maintenanceYears",
                        ErrorCode.INVALID,
                    )
                )
        if terms.maintenance_years < terms.term_years:
            errors.append(
                FieldError(
                    "terms.maintenance_years",
                    "the security maintenance period must last at least until the term ends",
                    ErrorCode.INVALID,
                )
            )
    else:
        resolved = resolve_terms(terms, None)
        assert resolved.term_end is not None and resolved.maintenance_end is not None
        if resolved.term_end <= terms.term_start:
            errors.append(
                FieldError("terms.term_end", "must be after the term start", ErrorCode.INVALID)
            )
        if resolved.maintenance_end < resolved.term_end:
            errors.append(
                FieldError(
                    "terms.maintenance_end",
                    "the security maintenance period must last at least until the term ends",
                    ErrorCode.INVALID,
                )
            )
    for name in _INT_FIELDS:
        if getattr(terms, name) < 1:
            errors.append(FieldError(f"terms.{name}", "must be at least 1", ErrorCode.OUT_OF_RANGE))
    for name in ("term_years", "maintenance_years"):
        if getattr(terms, name) > MAX_YEARS:
            errors.append(
                FieldError(f"terms.{name}", f"must be at most {MAX_YEARS}", ErrorCode.OUT_OF_RANGE)
            )
    pct = terms.liquidated_damages_percent
    if not pct.is_finite() or not Decimal(0) < pct <= Decimal(100):
        errors.append(
            FieldError(
                "terms.liquidated_damages_percent",
                "must be more than 0 and at most 100",
                ErrorCode.OUT_OF_RANGE,
            )
        )
    if not (
        terms.remediation_days_critical
        <= terms.remediation_days_high
        <= terms.remediation_days_other
    ):
        errors.append(
            FieldError(
                "terms.remediation_days_high",
                "remediation deadlines must not get shorter as severity falls "
                "(critical <= high <= other)",
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
