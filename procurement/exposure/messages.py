"""The English templates of each exposure item's basis, by stable message id (pure).

``ExposureItem.basis_text`` holds the id and parameters beside the English ``basis`` (which the
API returns); the console renders them through its Chinese catalog (see procurement/texts.py).
The law and condition templates are the stored values themselves, so the English basis reads as
it always has.
"""

from __future__ import annotations

from collections.abc import Mapping

from procurement.texts import N_

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
}
