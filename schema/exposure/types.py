"""GraphQL types of the fine exposure. Amounts are exact CNY decimals, rounded to the fen."""

from __future__ import annotations

from typing import Any

import graphene

from procurement.exposure import ExposureItem, PurchaseExposure, Range, to_fen
from procurement.exposure.results import PersonExposure
from schema.core.scalars import Decimal


class CnyRange(graphene.ObjectType):
    """A CNY interval, rounded to the fen for presentation."""

    min = graphene.Field(Decimal, required=True, description="Lowest amount, CNY Decimal string")
    max = graphene.Field(Decimal, required=True, description="Highest amount, CNY Decimal string")

    @staticmethod
    def resolve_min(root: Range, _info: Any) -> Any:
        return to_fen(root.min)

    @staticmethod
    def resolve_max(root: Range, _info: Any) -> Any:
        return to_fen(root.max)


class PersonFine(graphene.ObjectType):
    """A fine on one directly responsible person"""

    name = graphene.String(required=True, description="The person's name")
    role = graphene.String(required=True, description="PERSON_IN_CHARGE or OTHER_RESPONSIBLE")
    min = graphene.Field(Decimal, required=True, description="Lowest fine, CNY Decimal string")
    max = graphene.Field(Decimal, required=True, description="Highest fine, CNY Decimal string")

    @staticmethod
    def resolve_role(root: PersonExposure, _info: Any) -> str:
        return root.role.value

    @staticmethod
    def resolve_min(root: PersonExposure, _info: Any) -> Any:
        return to_fen(root.range.min)

    @staticmethod
    def resolve_max(root: PersonExposure, _info: Any) -> Any:
        return to_fen(root.range.max)


class ExposureItemType(graphene.ObjectType):
    """One tier of one legal provision applied to one act of the purchase."""

    class Meta:
        name = "ExposureItem"

    article = graphene.String(required=True, description="e.g. 41, 39(9), 61")
    law = graphene.String(required=True, description="The law, e.g. CII Regulations")
    act_kind = graphene.String(required=True, description="The kind of act the provision punishes")
    act_date = graphene.Date(required=True, description="The day of the act")
    condition = graphene.String(required=True, description="IMMEDIATE, IF_REFUSES_... ")
    counted = graphene.Boolean(
        required=True,
        description="False when another norm covers the same act (APL Art. 29), a later "
        "lighter rule applies (Art. 37), or the act is time-barred (Art. 36)",
    )
    time_barred = graphene.Boolean(
        required=True,
        description="The act ended longer ago than the limitation period and, as recorded, was "
        "not discovered (Administrative Penalty Law Art. 36): shown, never counted",
    )
    limitation = graphene.String(
        description="Where the act stands under Administrative Penalty Law Art. 36, with the "
        "reason (continuing, within the period, time-barred, under investigation)"
    )
    entity = graphene.Field(CnyRange, required=True, description="Fine on the operator")
    persons = graphene.List(
        graphene.NonNull(PersonFine),
        required=True,
        description="Fines on the directly responsible persons",
    )
    consequences = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Other consequences, e.g. a warning or an order to rectify",
    )
    basis = graphene.String(required=True, description="The provision and how it applies")
    notes = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Explanations"
    )
    verified = graphene.Boolean(required=True, description="False: figure from a secondary source")

    @staticmethod
    def resolve_law(root: ExposureItem, _info: Any) -> str:
        return root.law.value

    @staticmethod
    def resolve_act_kind(root: ExposureItem, _info: Any) -> str:
        return root.act_kind.value

    @staticmethod
    def resolve_condition(root: ExposureItem, _info: Any) -> str:
        return root.condition.value

    @staticmethod
    def resolve_consequences(root: ExposureItem, _info: Any) -> list[str]:
        return [c.value for c in root.consequences]


class Exposure(graphene.ObjectType):
    """Fine exposure of one purchase: ``total`` arises at once, ``conditionalMax`` is the worst
    case if every condition (refusal to rectify, harm) occurs."""

    total = graphene.Field(
        CnyRange,
        required=True,
        description="Fines that can be imposed at once, operator and persons (CNY)",
    )
    conditional_max = graphene.Field(
        Decimal,
        required=True,
        description="Worst case if every condition occurs (CNY Decimal string)",
    )
    amount_cny = graphene.Field(Decimal, required=True, description="The purchase amount in CNY")
    items = graphene.List(
        graphene.NonNull(ExposureItemType),
        required=True,
        description="Each tier of each provision applied to each act",
    )
    notes = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Explanations, e.g. why a provision does not apply",
    )

    @staticmethod
    def resolve_conditional_max(root: PurchaseExposure, _info: Any) -> Any:
        return to_fen(root.conditional_max)

    @staticmethod
    def resolve_amount_cny(root: PurchaseExposure, _info: Any) -> Any:
        return to_fen(root.amount_cny)
