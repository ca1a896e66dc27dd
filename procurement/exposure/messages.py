"""The English templates of each exposure item's basis, by stable message id (pure).

``ExposureItem.basis_text`` holds the id and parameters beside the English ``basis`` (which the
API returns); the console renders them through its Chinese catalog (see procurement/texts.py).
The law and condition templates are the stored values themselves, so the English basis reads as
it always has.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

from procurement.errors import ErrorCode, FieldError
from procurement.input_messages import TEMPLATES as INPUT
from procurement.texts import N_, Text

TEMPLATES: Mapping[str, str] = {
    "exposure.basis": N_("{norm} ({condition}): {detail}"),
    "exposure.norm": N_("{law} {article}"),
    "exposure.law.CII_REGULATIONS_2021": N_("CII_REGULATIONS_2021"),
    "exposure.law.CYBERSECURITY_LAW_2016": N_("CYBERSECURITY_LAW_2016"),
    "exposure.law.CYBERSECURITY_LAW_2025_AMENDMENT": N_("CYBERSECURITY_LAW_2025_AMENDMENT"),
    "exposure.condition.IMMEDIATE": N_("IMMEDIATE"),
    "exposure.condition.OPTIONAL_AT_ONCE": N_("OPTIONAL_AT_ONCE"),
    "exposure.condition.IF_REFUSES_RECTIFICATION_OR_HARM": N_("IF_REFUSES_RECTIFICATION_OR_HARM"),
    "exposure.condition.SERIOUS_HARM": N_("SERIOUS_HARM"),
    "exposure.condition.ESPECIALLY_SERIOUS_HARM": N_("ESPECIALLY_SERIOUS_HARM"),
    "exposure.detail.none": N_("no fine on the operator in this tier"),
    "exposure.detail.multiple": N_("{min}x-{max}x the purchase amount: {amount}"),
    "exposure.detail.fixed": N_("fixed range {range}"),
    "exposure.detail.person_in_charge": N_("{detail}; {range} on the person in charge only"),
    "exposure.detail.all_responsible": N_(
        "{detail}; {range} on the person in charge and each other directly responsible person"
    ),
    "exposure.amount": N_("contract value {value}, {tax}, {scope}"),
    "exposure.amount_converted": N_(
        "contract value {value}, {tax}, {scope}, converted from {currency} at {rate} on {day} "
        "(rate valid from {valid_from}, source: {source}) = {cny}"
    ),
    "exposure.tax_included": N_("tax included"),
    "exposure.tax_excluded": N_("tax excluded"),
    "exposure.scope.whole": N_("whole contract value"),
    # why a purchase has no exposure (errors of procurement/exposure/reads.py and currency.py)
    "exposure.not_active": N_(
        "purchase {purchase} is {status}: exposure is assessed for active purchases only"
    ),
    "exposure.status.CANCELLED": N_("cancelled"),
    "exposure.status.ACTIVE": N_("active"),
    "exposure.before_contract": N_(
        "{as_of} is before purchase {purchase}'s contract date {contract}: no duty to review or "
        "to sign an agreement had been breached yet, so nothing is exposed; ask for a day on or "
        "after the contract date"
    ),
    "exposure.no_rate": N_(
        "no exchange rate from {currency} to CNY in force on {day}; add a {currency} rate valid "
        "from {day} or earlier"
    ),
    # refusals of exchange rates and penalty schedules (actions.py, loader.py, currency.py)
    "exposure.error.cny_rate": N_("CNY needs no exchange rate"),
    "exposure.error.rate_positive": N_("must be a positive number"),
    "exposure.error.stale_version": N_(
        "version {latest} is in force now, not {based_on}: someone stored a new version since "
        "you opened it; reload and apply your change again"
    ),
    "exposure.error.json": N_("not valid JSON: {error}"),
    "exposure.error.records": N_("must be a list of records"),
    "exposure.error.object": N_("must be an object"),
    "exposure.error.list": N_("must be a list"),
    "exposure.error.boolean": N_("must be true or false"),
    "exposure.error.iso_date": N_("'{value}' is not an ISO date (YYYY-MM-DD)"),
    "exposure.error.decimal_string": N_('must be a decimal string such as "100000"'),
    "exposure.error.finite": N_("must be finite"),
    "exposure.error.empty_here": N_("must be empty here"),
    "exposure.error.negative": N_("must not be negative (got {value})"),
    "exposure.error.min_max": N_("minimum {min} exceeds maximum {max}"),
    "exposure.error.person_scope_required": N_("is required with a person fine"),
    "exposure.error.person_scope_empty": N_("must be empty without a person fine"),
    "exposure.error.effective_to": N_(
        "{to} must be after effective_from {since} (effective_to is exclusive)"
    ),
    "exposure.error.empty_tier": N_("a tier needs a fine or a consequence"),
    "exposure.error.duplicate_id": N_("id '{id}' already used by schedules[{index}]"),
    "exposure.error.overlap": N_(
        "{label} {act} {condition} period overlaps schedules[{index}] ('{other}')"
    ),
    "exposure.error.foreign_code": N_(
        "'{value}' is not a foreign ISO 4217 code (CNY needs no rate)"
    ),
    "exposure.error.finite_decimal": N_("must be a finite Decimal"),
    "exposure.error.positive": N_("must be positive"),
    "exposure.error.two_rates": N_("two different {currency} rates valid from {day}"),
}

# What the domain's errors may name: its own ids and the input checks' (procurement/validation.py).
ERRORS: Mapping[str, str] = ChainMap(dict(TEMPLATES), dict(INPUT))


def said(field: str | None, text: Text, code: ErrorCode = ErrorCode.INVALID) -> FieldError:
    """A FieldError saying ``text`` (an id of :data:`ERRORS`), its English as the message."""
    return FieldError.said(field, text, code, ERRORS)
