"""Input types of the agreement mutations, and their translation to the services' shapes."""

from __future__ import annotations

from typing import Any

import graphene

from procurement.agreements.terms import ContactInput
from schema.agreements.enums import CheckResultEnum, SignatoryPartyEnum
from schema.core.scalars import Decimal, Upload


class OperatorFactsInput(graphene.InputObjectType):
    """Operator facts for the agreement"""

    name_zh = graphene.String(
        description="The operator's name in Chinese (when the record has none)"
    )
    address = graphene.String(description="The operator's address")
    representative = graphene.String(description="Legal representative (法定代表人)")


class VendorFactsInput(graphene.InputObjectType):
    """Provider facts for the agreement"""

    name_zh = graphene.String(
        description="The provider's name in Chinese (when the record has none)"
    )
    registration_id = graphene.String(description="The provider's business registration number")
    address = graphene.String(description="The provider's address")
    contact = graphene.String(description="How to reach the provider (name, e-mail, phone)")


class PurchaseFactsInput(graphene.InputObjectType):
    """Purchase facts for the agreement"""

    title_zh = graphene.String(
        description="The product or service in Chinese (when the record has none)"
    )
    description = graphene.String(description="Description of the product or service")
    cii_system = graphene.String(description="Name of the CII system the purchase is used in")
    update_channel = graphene.String(description="How the provider delivers security updates")
    processing_purpose = graphene.String(
        description="Purpose of the entrusted processing (PIPL Art. 21); default: supplying "
        "the products and services of Schedule 1"
    )
    processing_method = graphene.String(
        description="Method of the entrusted processing; default: as the operator instructs, "
        "on its systems"
    )
    personal_information_categories = graphene.String(
        description="Categories of personal information the provider processes; required when "
        "the purchase handles personal information (PIPL Art. 21)"
    )
    important_data_scope = graphene.String(
        description="Scope of the important data the provider processes; required when the "
        "purchase handles important or core data (Network Data Security Management Regulations "
        "Art. 12)"
    )


class SecurityContactInput(graphene.InputObjectType):
    """A security contact listed in the agreement"""

    name = graphene.String(required=True, description="The person's name")
    role = graphene.String(required=True, description="Their role, e.g. security officer")
    contact = graphene.String(description="How to reach them (e-mail, phone)")


class AgreementTermsInput(graphene.InputObjectType):
    """Negotiable terms, with defaults: a 3-year term and 5-year security maintenance from the
    day the agreement is signed and takes effect (clause 16.3), 24 h vulnerability notice,
    7/30/90-day fixes..."""

    term_start = graphene.Date(
        description="An agreed start; without it the term runs from signing and the dates are "
        "computed when the signature is recorded"
    )
    term_end = graphene.Date(description="Only with termStart")
    maintenance_end = graphene.Date(description="Only with termStart")
    term_years = graphene.Int(description="Length of the term (default 3)")
    maintenance_years = graphene.Int(description="Length of the security maintenance (default 5)")
    governing_place = graphene.String(description="City whose people's court hears disputes")
    vulnerability_notice_hours = graphene.Int(
        description="Hours to notify a vulnerability (default 24)"
    )
    remediation_days_critical = graphene.Int(
        description="Days to fix a critical vulnerability (default 7)"
    )
    remediation_days_high = graphene.Int(
        description="Days to fix a high vulnerability (default 30)"
    )
    remediation_days_other = graphene.Int(
        description="Days to fix other vulnerabilities (default 90)"
    )
    sbom_update_days = graphene.Int(
        description="Days to deliver an updated SBOM after each release (default 30)"
    )
    incident_notice_hours = graphene.Int(
        description="Hours to notify a security incident (default 2)"
    )
    onboarding_days = graphene.Int(
        description="Days after signing for the onboarding duties (default 30)"
    )
    data_return_days = graphene.Int(
        description="Days after the term ends to return data (default 30)"
    )
    supply_end_notice_days = graphene.Int(
        description="Notice days before supply or support ends (default 180)"
    )
    change_notice_days = graphene.Int(description="Notice days before a change (default 30)")
    liquidated_damages_percent = graphene.Field(
        Decimal,
        description=(
            "Liquidated damages, percent of the contract value as a Decimal string (default 10)"
        ),
    )


class AgreementOverridesInput(graphene.InputObjectType):
    """Facts the records do not hold, or text to use instead of them in this agreement only."""

    agreement_number = graphene.String(
        description="The number to print instead of the generated one"
    )
    operator = graphene.Field(OperatorFactsInput, description="Facts about the operator")
    vendor = graphene.Field(VendorFactsInput, description="Facts about the provider")
    purchase = graphene.Field(PurchaseFactsInput, description="Facts about the purchase")
    contacts = graphene.List(
        graphene.NonNull(SecurityContactInput),
        description="Security contacts listed in the agreement (replace the defaults)",
    )
    terms = graphene.Field(AgreementTermsInput, description="Negotiated terms")


def flat_overrides(raw: dict[str, Any]) -> dict[str, Any]:
    """Nested GraphQL overrides -> the service's flat ``{"fact.path": value}`` (sent keys only)."""
    flat: dict[str, Any] = {}
    for key, value in dict(raw).items():
        if key == "agreement_number":
            flat[key] = value
        elif key == "contacts":
            flat[key] = (
                None
                if value is None
                else [ContactInput(c["name"], c["role"], c.get("contact")) for c in value]
            )
        elif value is not None:
            flat.update({f"{key}.{name}": v for name, v in dict(value).items()})
    return flat


class SignatoryInput(graphene.InputObjectType):
    """A person who signed"""

    name = graphene.String(required=True, description="The signatory's name")
    party = graphene.Field(
        SignatoryPartyEnum, required=True, description="The side they signed for"
    )
    title = graphene.String(description="Their title or position")


class UploadAgreementTemplateInput(graphene.InputObjectType):
    """A new version of a .docx agreement template"""

    template_id = graphene.String(required=True, description="e.g. security-agreement")
    language = graphene.String(required=True, description="zh or en")
    file = graphene.Field(Upload, required=True, description="The .docx with docxtpl tags")
    title = graphene.String(description="Defaults to the previous version's title")
    notes = graphene.String(description="What changed in this version")
    operator_id = graphene.ID(
        description="Admins only: the operator the version is for; omit to share it with all"
    )


class RecordSupervisionCheckInput(graphene.InputObjectType):
    """A supervision check of one obligation"""

    obligation_id = graphene.ID(required=True, description="The Obligation's global ID")
    result = graphene.Field(CheckResultEnum, required=True, description="Met or not met")
    checked_on = graphene.Date(description="Defaults to today in China")
    evidence = graphene.String(description="What shows the duty was (not) met")
    notes = graphene.String(description="Free-text notes")
    attachment = graphene.Field(Upload, description="PDF, image or .docx evidence")
    expected_version = graphene.Int(
        description="The obligation's version the check was made from; if the obligation has "
        "changed since, the check is refused with CONFLICT and nothing is saved"
    )
