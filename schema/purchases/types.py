from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.clock import today_in_china
from procurement.models import Purchase as PurchaseModel
from procurement.models import ResponsiblePerson as PersonModel
from procurement.permissions import Action, require
from schema.agreements.loaders import AgreementsByPurchaseIdLoader
from schema.context import context_of
from schema.core.enums import PersonRoleEnum, PurchaseCategoryEnum, PurchaseStatusEnum
from schema.core.pagination import CountedConnection
from schema.core.scalars import Decimal
from schema.operators.loaders import CiiSystemByIdLoader, OperatorByIdLoader
from schema.operators.types import CiiSystem, Operator
from schema.purchases.loaders import PersonsByPurchaseIdLoader, PurchaseByIdLoader
from schema.reviews.loaders import ReviewCaseByPurchaseIdLoader
from schema.reviews.types import CaseView, ReviewCase, UsageFlagType, flag_of
from schema.sboms.loaders import SbomsByPurchaseIdLoader
from schema.screening.loaders import ScreeningByPurchaseIdLoader, ScreeningHistoryByPurchaseIdLoader
from schema.screening.types import Screening
from schema.vendors.loaders import VendorByIdLoader
from schema.vendors.types import Vendor


def internal(info: Any) -> None:
    """Refuse a field vendors may not read (a top-level FORBIDDEN error for that field)."""
    require(context_of(info).principal, Action.READ_INTERNAL_FIELDS)


class Money(graphene.ObjectType):
    """An amount of money in a currency"""

    amount = graphene.Field(Decimal, required=True, description="The amount, as a Decimal string")
    currency = graphene.String(required=True, description="ISO 4217")


class DataHandled(graphene.ObjectType):
    """The data the product or service will handle once in use."""

    core_data = graphene.Boolean(
        required=True, description="Will handle core data (Data Security Law)"
    )
    important_data = graphene.Boolean(required=True, description="Will handle important data")
    personal_information = graphene.Boolean(
        required=True, description="Will handle personal information"
    )
    personal_information_subjects = graphene.Int(
        description="How many people's personal information (approximate volume)"
    )


class ResponsiblePerson(graphene.ObjectType):
    """A directly responsible person for a purchase (CII Regulations Art. 41)"""

    name = graphene.String(required=True, description="The person's name")
    role = graphene.Field(
        PersonRoleEnum,
        required=True,
        description="Person in charge or other directly responsible person",
    )
    position = graphene.String(description="The person's position or job title")


class Purchase(graphene.ObjectType):
    """A purchase of a network product or service."""

    class Meta:
        interfaces = (relay.Node,)

    operator = graphene.Field(
        Operator, required=True, description="The CII operator making the purchase"
    )
    vendor = graphene.Field(
        Vendor, required=True, description="The vendor (provider) of the product or service"
    )
    cii_system = graphene.Field(
        CiiSystem, description="The CII system it is for; null: none recorded"
    )
    title = graphene.String(required=True, description="The purchase's title")
    title_zh = graphene.String(description="The title in Chinese documents; null: none recorded")
    description = graphene.String(description="Free-text description; null: none recorded")
    category = graphene.Field(
        PurchaseCategoryEnum, required=True, description="Review Measures Art. 21 category"
    )
    contract_value = graphene.Field(Money, required=True, description="The contract's value")
    tax_included = graphene.Boolean(required=True, description="Whether contractValue includes tax")
    contract_date = graphene.Date(required=True, description="The contract date (China time)")
    contract_planned = graphene.Boolean(
        required=True,
        description="True while the contract date is after today (China time): a planned "
        "purchase, screened before it is bought; no fine can arise before the contract date",
    )
    in_use_date = graphene.Date(
        description="The day it was put into use; null: not recorded as in use"
    )
    data_handled = graphene.Field(DataHandled, required=True, description="The data it will handle")
    vendor_remote_maintenance = graphene.Boolean(
        required=True, description="The vendor maintains it remotely"
    )
    vendor_update_channel = graphene.Boolean(
        required=True, description="The vendor can push updates to it"
    )
    single_source = graphene.Boolean(required=True, description="Bought from a single source")
    certification_reference = graphene.String(
        description="Certificate or test report recorded for CSL Art. 23; null: none recorded"
    )
    status = graphene.Field(PurchaseStatusEnum, required=True, description="Active or cancelled")
    harm_to_life_or_finance = graphene.Boolean(
        description="Five-year limitation period (Administrative Penalty Law Art. 36) "
        "(internal: null and FORBIDDEN for vendors)"
    )
    under_investigation_since = graphene.Date(
        description="The day the authority took it up; null: assumed undiscovered (internal)"
    )
    persons = graphene.List(
        graphene.NonNull(ResponsiblePerson),
        description="Directly responsible persons (internal: not shown to vendors)",
    )
    sboms = graphene.List(
        graphene.NonNull("schema.sboms.types.Sbom"),
        required=True,
        description="The current version of each SBOM of this purchase",
    )
    created_at = graphene.DateTime(required=True, description="When it was registered")
    updated_at = graphene.DateTime(required=True, description="When it last changed")
    version = graphene.Int(
        required=True, description="Goes up with every change; send it as expectedVersion"
    )
    screening = graphene.Field(
        Screening, description="Current Art. 19 screening (internal: not shown to vendors)"
    )
    screening_history = graphene.List(
        graphene.NonNull(Screening),
        description="The newest 20 screening results, newest first (internal)",
    )
    review_case = graphene.Field(
        ReviewCase, description="The open review case, else the latest one (internal)"
    )
    usage_flag = graphene.Field(
        UsageFlagType, description="In use while the review is open or failed (internal)"
    )
    exposure = graphene.Field(
        "schema.exposure.types.Exposure",
        as_of=graphene.Date(description="Default: today in China"),
        description="Fine exposure under Arts. 41 / 39(9) and the CSL (internal: not for "
        "vendors). Null, with an error saying why, for a cancelled purchase or a day before the "
        "contract date",
    )
    agreements = graphene.List(
        graphene.NonNull("schema.agreements.types.Agreement"),
        required=True,
        description="Article 20 agreements, oldest first (vendors: only those sent to them)",
    )
    current_agreement = graphene.Field(
        "schema.agreements.types.Agreement",
        description="The agreement in force (SIGNED), else the newest draft or sent one",
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, PurchaseModel)

    @staticmethod
    def resolve_harm_to_life_or_finance(root: PurchaseModel, info: Any) -> bool:
        internal(info)
        return root.harm_to_life_or_finance

    @staticmethod
    def resolve_under_investigation_since(root: PurchaseModel, info: Any) -> Any:
        internal(info)
        return root.under_investigation_since

    @staticmethod
    async def resolve_sboms(root: PurchaseModel, info: Any) -> Any:
        return await SbomsByPurchaseIdLoader(info).load(root.id)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> PurchaseModel | None:
        return await PurchaseByIdLoader(info).load(int(pk))

    @staticmethod
    def resolve_operator(root: PurchaseModel, info: Any) -> Any:
        return OperatorByIdLoader(info).get(root.operator_id)

    @staticmethod
    def resolve_vendor(root: PurchaseModel, info: Any) -> Any:
        return VendorByIdLoader(info).get(root.vendor_id)

    @staticmethod
    def resolve_cii_system(root: PurchaseModel, info: Any) -> Any:
        if root.cii_system_id is None:
            return None
        return CiiSystemByIdLoader(info).get(root.cii_system_id)

    @staticmethod
    def resolve_contract_value(root: PurchaseModel, _info: Any) -> Money:
        return Money(amount=root.contract_value, currency=root.currency)

    @staticmethod
    def resolve_data_handled(root: PurchaseModel, _info: Any) -> DataHandled:
        return DataHandled(
            core_data=root.handles_core_data,
            important_data=root.handles_important_data,
            personal_information=root.handles_personal_information,
            personal_information_subjects=root.personal_information_subjects,
        )

    @staticmethod
    async def resolve_persons(root: PurchaseModel, info: Any) -> list[PersonModel]:
        return await PersonsByPurchaseIdLoader(info).load(root.id)

    @staticmethod
    def resolve_screening(root: PurchaseModel, info: Any) -> Any:
        return ScreeningByPurchaseIdLoader(info).get(root.id)

    @staticmethod
    async def resolve_screening_history(root: PurchaseModel, info: Any) -> Any:
        return await ScreeningHistoryByPurchaseIdLoader(info).load(root.id)

    @staticmethod
    async def resolve_review_case(root: PurchaseModel, info: Any) -> CaseView | None:
        case = await ReviewCaseByPurchaseIdLoader(info).load(root.id)
        return None if case is None else CaseView(case)

    @staticmethod
    def resolve_contract_planned(root: PurchaseModel, _info: Any) -> bool:
        return root.contract_date > today_in_china()

    @staticmethod
    async def resolve_exposure(root: PurchaseModel, info: Any, as_of: Any = None) -> Any:
        from schema.exposure.loaders import ExposureByPurchaseIdLoader

        return await ExposureByPurchaseIdLoader(info).load((root.id, as_of or today_in_china()))

    @staticmethod
    async def resolve_usage_flag(root: PurchaseModel, info: Any) -> Any:
        case = await ReviewCaseByPurchaseIdLoader(info).load(root.id)
        return flag_of(case, root.in_use_date is not None)

    async def resolve_agreements(root: PurchaseModel, info: Any) -> Any:
        return await AgreementsByPurchaseIdLoader(info).load(root.id)

    @staticmethod
    async def resolve_current_agreement(root: PurchaseModel, info: Any) -> Any:
        from schema.agreements.types import current_agreement

        return current_agreement(await AgreementsByPurchaseIdLoader(info).load(root.id))


class PurchaseConnection(CountedConnection):
    class Meta:
        node = Purchase
        description = "A page of Purchase nodes, with the total count"
