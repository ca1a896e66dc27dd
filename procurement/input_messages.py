"""The English templates of the input checks' messages (procurement/validation.py), by stable
message id (pure). A FieldError carries its message's id and parameters (``FieldError.text``)
beside the English the API returns; console forms render them through the Chinese catalog.
Each template completes a sentence about its field ("contractDate: is required"); the Chinese
says it as a sentence of its own, shown next to the field."""

from __future__ import annotations

from collections.abc import Mapping

from procurement.texts import N_, Text

TEMPLATES: Mapping[str, str] = {
    "input.required": N_("is required"),
    "input.string": N_("must be a string"),
    "input.too_long": N_("is longer than {max} characters"),
    "input.chinese": N_("must be written in Chinese (it is used in Chinese documents)"),
    "input.country": N_("'{value}' is not an ISO 3166-1 alpha-2 country code"),
    "input.currency": N_("'{value}' is not an ISO 4217 currency code"),
    "input.credit_code": N_(
        "'{value}' is not a valid unified social credit code (18 characters, GB 32100-2015 "
        "check character)"
    ),
    "input.email": N_("'{value}' is not an email address"),
    "input.float": N_("must be a decimal string, not a binary float"),
    "input.decimal": N_("'{value}' is not a decimal number"),
    "input.finite": N_("must be a finite number"),
    "input.positive": N_("must be greater than zero"),
    "input.too_large": N_("is too large"),
    "input.decimals": N_("has more than two decimal places"),
    "input.integer": N_("must be an integer"),
    "input.int_range": N_("must be between 0 and 2000000000"),
    "input.enum": N_("'{value}' is not one of {allowed}"),
    "input.date": N_("'{value}' is not a date (YYYY-MM-DD)"),
    "input.larger_than_mib": N_("is larger than {mib} MiB"),
    "input.evidence_type": N_("must be a PDF, PNG, JPEG, TIFF or .docx file"),
    # a referenced object that does not exist or is not the caller's to see (errors.NotFound)
    "input.not_found": N_("{what} {id} not found"),
    # two requests changing one row (procurement/concurrency.py)
    "input.changed_meanwhile": N_(
        "the {what} was changed by another request at the same moment and is now {now}; "
        "nothing was saved: reload it and try again"
    ),
    "input.at_version": N_("at version {version}"),
    "input.stale_version": N_(
        "the {what} is at version {current}, not {expected}: it was changed after it was read; "
        "nothing was saved: reload it and try again"
    ),
    # the objects those sentences name
    "input.object.account": N_("account"),
    "input.object.agreement": N_("agreement"),
    "input.object.job": N_("job"),
    "input.object.obligation": N_("obligation"),
    "input.object.operator": N_("operator"),
    "input.object.purchase": N_("purchase"),
    "input.object.restriction list": N_("restriction list"),
    "input.object.review case": N_("review case"),
    "input.object.subscription": N_("subscription"),
    "input.object.token": N_("token"),
    "input.object.vendor": N_("vendor"),
}


def object_name(what: str) -> Text | str:
    """The kind of object a refusal names, as a message where the catalog has it."""
    key = f"input.object.{what}"
    return Text(key, {}) if key in TEMPLATES else what
