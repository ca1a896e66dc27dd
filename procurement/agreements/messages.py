"""The English templates of the agreement generation's refusals the console shows, by stable
message id (pure): a fact the template needs and nobody gave, with where to give it. The errors
carry the ids and parameters (``FieldError.text``) beside the English the API returns."""

from __future__ import annotations

from collections.abc import Mapping

from procurement.texts import N_

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
}
