"""The English templates of the agreement use cases' refusals the console shows, by stable
message id (pure): a fact the template needs and nobody gave, with where to give it; a template,
a generation, a sent/signed record or a supervision check refused. The errors carry the ids and
parameters (``FieldError.text``) beside the English the API returns."""

from __future__ import annotations

from collections.abc import Mapping

from procurement.errors import ErrorCode, FieldError
from procurement.texts import N_, Param, Text

TEMPLATES: Mapping[str, str] = {
    "agreements.fill_in": N_("Fill in {label}: the agreement uses it."),
    "agreements.add_contact": N_("Add at least one security contact: the agreement lists them."),
    "agreements.contact.name": N_("Fill in the security contact's name."),
    "agreements.contact.role": N_("Fill in the security contact's role."),
    "agreements.with_hint": N_("{missing} {hint}"),
    "agreements.hint.overrides": N_("Give it in overrides."),
    "agreements.hint.vendor": N_("Record it on the vendor (updateVendor) or give it in overrides."),
    "agreements.hint.purchase": N_(
        "Record it on the purchase (updatePurchase) or give it in overrides."
    ),
    "agreements.hint.cii_system": N_(
        "Set the purchase's ciiSystemId (updatePurchase) or give it in overrides."
    ),
    # what each fact is called in "Fill in ...", by its path in the agreement's facts
    "agreements.field.agreement_number": N_("the agreement number"),
    "agreements.field.operator.name": N_("the operator's name"),
    "agreements.field.operator.credit_code": N_("the operator's unified social credit code"),
    "agreements.field.operator.address": N_("the operator's registered address"),
    "agreements.field.operator.representative": N_("the operator's legal representative"),
    "agreements.field.vendor.name": N_("the provider's name"),
    "agreements.field.vendor.country": N_("the provider's country or region"),
    "agreements.field.vendor.registration_id": N_("the provider's registration number"),
    "agreements.field.vendor.address": N_("the provider's registered address"),
    "agreements.field.vendor.contact": N_("the provider's contact details"),
    "agreements.field.purchase.title": N_("the product or service title"),
    "agreements.field.purchase.description": N_("the purchase description"),
    "agreements.field.purchase.category_code": N_("the product category"),
    "agreements.field.purchase.category_label_zh": N_("the product category's Chinese name"),
    "agreements.field.purchase.category_label_en": N_("the product category's English name"),
    "agreements.field.purchase.currency": N_("the contract currency"),
    "agreements.field.purchase.cii_system": N_("the CII system the purchase is used in"),
    "agreements.field.purchase.update_channel": N_("how the provider delivers security updates"),
    "agreements.field.purchase.processing_purpose": N_("the purpose of the entrusted processing"),
    "agreements.field.purchase.processing_method": N_("the method of the entrusted processing"),
    "agreements.field.purchase.personal_information_categories": N_(
        "the categories of personal information"
    ),
    "agreements.field.purchase.important_data_scope": N_("the scope of the important data"),
    "agreements.field.terms.governing_place": N_("the place whose court hears disputes"),
    "agreements.field.contacts": N_("at least one security contact"),
    # the states an agreement is in, as a refusal names them (the stored values in English)
    "agreements.state.DRAFT": N_("DRAFT"),
    "agreements.state.SENT": N_("SENT"),
    "agreements.state.SIGNED": N_("SIGNED"),
    "agreements.state.SUPERSEDED": N_("SUPERSEDED"),
    "agreements.state.TERMINATED": N_("TERMINATED"),
    "agreements.error.transition": N_("an agreement in state {current} cannot become {target}"),
    "agreements.error.transition_hint": N_(
        "an agreement in state {current} cannot become {target}: {hint}"
    ),
    "agreements.hint.send_first": N_("record it as sent first"),
    "agreements.hint.already_signed": N_("it is already signed"),
    "agreements.hint.already_sent": N_("it is already recorded as sent"),
    "agreements.hint.already_recorded_signed": N_("it is already recorded as signed"),
    "agreements.hint.final": N_("it is final; generate a new agreement instead"),
    # generating
    "agreements.error.no_template": N_("no template '{template}' in language '{language}'"),
    "agreements.error.no_template_version": N_(
        "no template '{template}' version {version} in language '{language}'"
    ),
    "agreements.error.cannot_render": N_("the template cannot be rendered: {problem}"),
    "agreements.error.purchase_cancelled": N_("the purchase is cancelled"),
    "agreements.error.not_network_product": N_(
        "the purchase is not a network product or service (category NOT_NETWORK_PRODUCT): "
        "{article} asks for a security confidentiality agreement only with providers of network "
        "products and services; reclassify the purchase if it is one"
    ),
    "agreements.error.partner_overrides": N_(
        "a language version is generated from the same facts as agreement {number}: leave "
        "overrides out to reuse its own, or generate both versions again"
    ),
    "agreements.error.partner_sent": N_(
        "agreement {number} was already sent in '{language}' alone; a language version can be "
        "added only to a draft: record the sent agreement as signed, or generate it again to "
        "start a new draft in both languages"
    ),
    "agreements.error.facts_changed": N_(
        "the purchase or the terms changed since agreement {number} was generated ({facts}): "
        "both language versions must state the same facts; generate the agreement again in "
        "each language"
    ),
    "agreements.error.term_unknown": N_("unknown agreement term {name}"),
    "agreements.error.term_date": N_("must be a date"),
    "agreements.error.term_whole": N_("must be a whole number"),
    "agreements.error.term_decimal": N_("must be a decimal number"),
    "agreements.error.term_text": N_("must be text"),
    "agreements.error.term_start_needed": N_(
        "give termStart too: without it the term runs from signing, and its length is set by "
        "termYears and maintenanceYears"
    ),
    "agreements.error.maintenance_short": N_(
        "the security maintenance period must last at least until the term ends"
    ),
    "agreements.error.term_end": N_("must be after the term start"),
    "agreements.error.at_least_one": N_("must be at least 1"),
    "agreements.error.at_most": N_("must be at most {max}"),
    "agreements.error.percent": N_("must be more than 0 and at most 100"),
    "agreements.error.remediation_order": N_(
        "remediation deadlines must not get shorter as severity falls (critical <= high <= other)"
    ),
    # recording sent and signed, supervision checks
    "agreements.error.future": N_("{date} is in the future"),
    "agreements.error.before_sent": N_("{date} is before the day it was sent ({floor})"),
    "agreements.error.before_last": N_(
        "{date} is before the agreement's last recorded date ({floor})"
    ),
    "agreements.error.before_signed": N_("{date} is before the agreement was signed ({floor})"),
    "agreements.error.signatories": N_("name who signed for each party"),
    "agreements.error.signatories_max": N_("at most {max}"),
    "agreements.error.both_parties": N_(
        "name at least one signatory for the operator and one for the provider"
    ),
    "agreements.error.signed_copy": N_("upload the signed copy as evidence"),
    "agreements.error.evidence": N_("say what shows the duty was met, or attach it"),
    "agreements.error.not_supervised": N_(
        "the agreement is {state}; only signed (or terminated) agreements are supervised"
    ),
    # uploading a template
    "agreements.error.template_id": N_(
        "use lower-case letters, digits and hyphens (e.g. cloud-services)"
    ),
    "agreements.error.template_file": N_("upload the .docx template"),
    "agreements.error.template_identical": N_("identical to version {version}; nothing to store"),
    "agreements.error.template_title": N_("is required for a new template"),
    "agreements.error.docx_too_large": N_("the file is larger than 10 MiB"),
    "agreements.error.docx_not_zip": N_("not a .docx file (it is not a ZIP package)"),
    "agreements.error.docx_parts": N_("the package has too many parts"),
    "agreements.error.docx_expands": N_("the package expands to more than 64 MiB"),
    "agreements.error.docx_not_word": N_("a ZIP file, but not a Word document"),
    "agreements.error.docx_encrypted": N_("encrypted documents are not accepted"),
    "agreements.error.docx_unreadable": N_("could not be opened as a Word document"),
    "agreements.error.docx_tags": N_(
        "{{{{r ...}}}}, {{{{p ...}}}}, {{{{tr ...}}}} and {{{{tc ...}}}} are not supported; "
        "use {{{{ ... }}}}"
    ),
    "agreements.error.unknown_variable": N_("unknown variable {name}"),
    "agreements.error.unknown_field": N_("unknown field {path}"),
    "agreements.error.not_rendered": N_("could not be rendered ({kind})"),
    "agreements.error.leftover_tag": N_("unrendered tag left in the output: {text}"),
    "agreements.error.operator_not_found": N_("operator {id} not found"),
    # the template engine's own detail follows (render.py)
    "agreements.error.syntax": N_("syntax error: {detail} (near {near})"),
    "agreements.error.sandbox": N_("refused by the template sandbox: {detail}"),
    "agreements.error.undefined": N_("uses a value the agreement does not provide: {detail}"),
    "agreements.error.template": N_("template error: {detail}"),
    "agreements.error.english_only": N_(
        "{label} is in English only ({value}); the Chinese text prevails (clause 16.4) and must "
        "be in Chinese: {hint} or give {field}."
    ),
    # where the Chinese text of a fact written in English only is recorded (chinese.py)
    "agreements.hint.operator_name_zh": N_("record the operator's nameZh"),
    "agreements.hint.address": N_("give the address in Chinese"),
    "agreements.hint.vendor_name_zh": N_("record the vendor's nameZh (updateVendor)"),
    "agreements.hint.purchase_title_zh": N_("record the purchase's titleZh (updatePurchase)"),
    "agreements.hint.description": N_("give the description in Chinese"),
    "agreements.hint.cii_system_name_zh": N_("record the CII system's nameZh"),
    "agreements.hint.describe": N_("describe it in Chinese"),
    "agreements.hint.it": N_("give it in Chinese"),
    "agreements.hint.them": N_("give them in Chinese"),
    "agreements.hint.place": N_("give the place in Chinese"),
    "agreements.error.template_race": N_(
        "another version of this template was stored at the same moment; upload again"
    ),
    "agreements.error.chinese_only": N_("must be written in Chinese"),
    "agreements.error.not_overridable": N_("is not a fact that can be overridden"),
    "agreements.error.too_many_contacts": N_("at most {max} contacts"),
    "agreements.error.pi_categories": N_(
        "Give the categories of personal information the provider processes (e.g. names, phone "
        "numbers, account records): the purchase handles personal information and PIPL Art. 21 "
        "requires the agreement to state them."
    ),
    "agreements.error.data_scope": N_(
        "Give the scope of the important data the provider processes: the purchase handles "
        "important data and the Network Data Security Management Regulations (Art. 12) require "
        "the agreement to state it."
    ),
}


def said(
    field: str | None, message: str, code: ErrorCode = ErrorCode.INVALID, **params: Param
) -> FieldError:
    """An error whose message is the template ``message`` of this catalog, in English."""
    return FieldError.said(field, Text(message, params), code, TEMPLATES)


# The hints of chinese.CHINESE_SOURCES (English, as the API words them) by their message id.
HINT_IDS: Mapping[str, str] = {
    template: key for key, template in TEMPLATES.items() if key.startswith("agreements.hint.")
}
