"""Default agreement terms, overrides and their validation."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest

from procurement.agreements.context import AgreementTerms
from procurement.agreements.sample import sample_facts
from procurement.agreements.terms import (
    add_years,
    default_terms,
    period_end,
    resolve_terms,
    validate_terms,
)
from procurement.errors import ErrorCode, FieldError, InputError


def test_defaults_run_from_signing_not_from_the_contract_date() -> None:
    # given a purchase contracted on 1 March 2025 (issue 9: the term started on the contract date,
    # so a draft generated later was born overdue)
    purchase = sample_facts().purchase
    # when default terms are made, and resolved when the agreement is signed on 1 March 2025
    terms = default_terms(purchase)
    signed = resolve_terms(terms, date(2025, 3, 1))
    # then the term has no dates until signing (clause 16.3); then a 3-year term and a 5-year
    # maintenance period, each ending on the eve of the anniversary of the signing
    assert (terms.term_start, terms.term_end, terms.maintenance_end) == (None, None, None)
    assert (signed.term_start, signed.term_end, signed.maintenance_end) == (
        date(2025, 3, 1),
        date(2028, 2, 29),
        date(2030, 2, 28),
    )
    assert terms == AgreementTerms(
        term_start=None,
        term_end=None,
        maintenance_end=None,
        term_years=3,
        maintenance_years=5,
        governing_place="",
        vulnerability_notice_hours=24,
        remediation_days_critical=7,
        remediation_days_high=30,
        remediation_days_other=90,
        sbom_update_days=30,
        incident_notice_hours=2,
        onboarding_days=30,
        data_return_days=30,
        supply_end_notice_days=180,
        change_notice_days=30,
        liquidated_damages_percent=Decimal("10"),
    )


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2025, 3, 1), 3, date(2028, 2, 29)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 28)),
        (date(2025, 1, 15), 1, date(2026, 1, 14)),
    ],
)
def test_period_end(start: date, years: int, end: date) -> None:
    assert period_end(start, years) == end


def test_add_years_moves_29_february_to_28_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_overrides_change_the_defaults() -> None:
    # given overrides for the start, a deadline, the court place and an int percentage
    overrides = {
        "term_start": date(2025, 4, 1),
        "vulnerability_notice_hours": 48,
        "governing_place": "上海市",
        "liquidated_damages_percent": 15,
    }
    # when
    terms = default_terms(sample_facts().purchase, overrides)
    # then the dates follow the new start and the rest is taken as given
    assert (terms.term_start, terms.term_end, terms.maintenance_end) == (
        date(2025, 4, 1),
        date(2028, 3, 31),
        date(2030, 3, 31),
    )
    assert terms.vulnerability_notice_hours == 48
    assert terms.governing_place == "上海市"
    assert terms.liquidated_damages_percent == Decimal("15")


def test_bad_overrides_are_all_reported() -> None:
    # given an unknown name, a datetime for a date, a bool for a number and a float percentage
    overrides = {
        "penalty": 1,
        "term_end": datetime(2028, 1, 1),
        "onboarding_days": True,
        "liquidated_damages_percent": 10.5,
    }
    # when / then
    with pytest.raises(InputError) as raised:
        default_terms(sample_facts().purchase, overrides)
    assert raised.value.errors == [
        FieldError("terms.penalty", "unknown agreement term 'penalty'", ErrorCode.INVALID),
        FieldError("terms.term_end", "must be a date", ErrorCode.INVALID),
        FieldError("terms.onboarding_days", "must be a whole number", ErrorCode.INVALID),
        FieldError(
            "terms.liquidated_damages_percent", "must be a decimal number", ErrorCode.INVALID
        ),
    ]


def test_inconsistent_terms_are_all_reported() -> None:
    # given terms that end before they start, a maintenance period shorter than the term,
    # a zero deadline, a percentage over 100 and a critical deadline longer than the high one
    terms = dataclasses.replace(
        default_terms(sample_facts().purchase),
        term_start=date(2025, 3, 1),
        term_end=date(2025, 3, 1),
        maintenance_end=date(2025, 2, 1),
        incident_notice_hours=0,
        liquidated_damages_percent=Decimal("150"),
        remediation_days_critical=40,
    )
    # when
    errors = validate_terms(terms)
    # then
    assert errors == [
        FieldError("terms.term_end", "must be after the term start", ErrorCode.INVALID),
        FieldError(
            "terms.maintenance_end",
            "the security maintenance period must last at least until the term ends",
            ErrorCode.INVALID,
        ),
        FieldError("terms.incident_notice_hours", "must be at least 1", ErrorCode.OUT_OF_RANGE),
        FieldError(
            "terms.liquidated_damages_percent",
            "must be more than 0 and at most 100",
            ErrorCode.OUT_OF_RANGE,
        ),
        FieldError(
            "terms.remediation_days_high",
            "remediation deadlines must not get shorter as severity falls "
            "(critical <= high <= other)",
            ErrorCode.INVALID,
        ),
    ]


def test_end_dates_without_an_agreed_start_are_refused() -> None:
    # given terms that run from signing, with an end date and a maintenance shorter than the term
    with pytest.raises(InputError) as raised:
        default_terms(
            sample_facts().purchase,
            {"term_end": date(2027, 1, 1), "term_years": 4, "maintenance_years": 2},
        )
    # then both are explained
    assert [(e.field, e.message) for e in raised.value.errors] == [
        (
            "terms.term_end",
            "give termStart too: without it the term runs from signing, and its length is set "
            "by termYears and maintenanceYears",
        ),
        (
            "terms.maintenance_years",
            "the security maintenance period must last at least until the term ends",
        ),
    ]


def test_override_that_breaks_consistency_is_refused() -> None:
    with pytest.raises(InputError) as raised:
        default_terms(sample_facts().purchase, {"maintenance_end": date(2026, 1, 1)})
    assert [e.field for e in raised.value.errors] == ["terms.maintenance_end"]
