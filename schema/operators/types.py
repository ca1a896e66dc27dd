from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.clock import today_in_china
from procurement.models import CiiSystem as CiiSystemModel
from procurement.models import Operator as OperatorModel
from procurement.models import OperatorIdentification as IdentificationModel
from schema.core.enums import SectorEnum
from schema.core.pagination import CountedConnection
from schema.operators.loaders import (
    CiiSystemByIdLoader,
    CiiSystemsByOperatorIdLoader,
    IdentificationsByOperatorIdLoader,
    OperatorByIdLoader,
)


class CiiSystem(graphene.ObjectType):
    """A critical information infrastructure system of the operator."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True, description="The system's name")
    name_zh = graphene.String(description="The name in Chinese documents; null: none recorded")
    description = graphene.String(description="Free-text description")
    business_critical = graphene.Boolean(
        required=True, description="Critical to the operator's core business (a screening input)"
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, CiiSystemModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> CiiSystemModel | None:
        return await CiiSystemByIdLoader(info).load(int(pk))


class CiiIdentification(graphene.ObjectType):
    """A period in which the operator is a CII operator (CII Regulations Arts. 10-11)."""

    identified_on = graphene.Date(
        required=True, description="Notified of its identification: the CII duties bind from it"
    )
    ended_on = graphene.Date(
        description="Notified that it no longer is a CII operator (not bound from this day); "
        "null while it lasts"
    )
    assumed = graphene.Boolean(
        required=True,
        description="The date was not recorded: 2017-06-01 (Cybersecurity Law in force) stands "
        "in for it; record the notification date with updateOperator",
    )
    reference = graphene.String(description="The identification notice, as recorded")
    end_reference = graphene.String(description="The notice that ended it, as recorded")
    current = graphene.Boolean(required=True, description="In force today (China time)")

    @staticmethod
    def resolve_current(root: IdentificationModel, _info: Any) -> bool:
        today = today_in_china()
        return root.identified_on <= today and (root.ended_on is None or today < root.ended_on)


class Operator(graphene.ObjectType):
    """A CII operator: the organisation that buys and must comply."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True, description="The operator's name")
    name_zh = graphene.String(description="The name in Chinese documents; null: none recorded")
    credit_code = graphene.String(required=True, description="Unified social credit code")
    sector = graphene.Field(SectorEnum, required=True, description="CII Regulations Art. 2 sector")
    is_cii_operator = graphene.Boolean(
        required=True, description="A CII operator today, as its identification history says"
    )
    identification_history = graphene.List(
        graphene.NonNull(CiiIdentification),
        description="Its identification periods, oldest first; internal: a vendor gets null and "
        "FORBIDDEN",
    )
    version = graphene.Int(
        required=True, description="Goes up with every change; send it as expectedVersion"
    )
    address = graphene.String(description="Registered address")
    cii_systems = graphene.List(
        graphene.NonNull(CiiSystem),
        description="The operator's CII systems; internal: a vendor gets null and FORBIDDEN",
    )
    created_at = graphene.DateTime(required=True, description="When it was registered")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, OperatorModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> OperatorModel | None:
        return await OperatorByIdLoader(info).load(int(pk))

    @staticmethod
    async def resolve_cii_systems(root: OperatorModel, info: Any) -> list[CiiSystemModel]:
        return await CiiSystemsByOperatorIdLoader(info).load(root.id)

    @staticmethod
    async def resolve_identification_history(
        root: OperatorModel, info: Any
    ) -> list[IdentificationModel]:
        return await IdentificationsByOperatorIdLoader(info).load(root.id)


class OperatorConnection(CountedConnection):
    class Meta:
        node = Operator
        description = "A page of Operator nodes, with the total count"
