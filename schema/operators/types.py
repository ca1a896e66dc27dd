from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.models import CiiSystem as CiiSystemModel
from procurement.models import Operator as OperatorModel
from schema.core.enums import SectorEnum
from schema.core.pagination import CountedConnection
from schema.operators.loaders import (
    CiiSystemByIdLoader,
    CiiSystemsByOperatorIdLoader,
    OperatorByIdLoader,
)


class CiiSystem(graphene.ObjectType):
    """A critical information infrastructure system of the operator."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True)
    name_zh = graphene.String(description="The name in Chinese documents; null: none recorded")
    description = graphene.String()
    business_critical = graphene.Boolean(required=True)

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, CiiSystemModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> CiiSystemModel | None:
        return await CiiSystemByIdLoader(info).load(int(pk))


class Operator(graphene.ObjectType):
    """A CII operator: the organisation that buys and must comply."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True)
    name_zh = graphene.String(description="The name in Chinese documents; null: none recorded")
    credit_code = graphene.String(required=True, description="Unified social credit code")
    sector = graphene.Field(SectorEnum, required=True, description="CII Regulations Art. 2 sector")
    is_cii_operator = graphene.Boolean(required=True)
    address = graphene.String()
    cii_systems = graphene.List(
        graphene.NonNull(CiiSystem),
        description="The operator's CII systems; internal: a vendor gets null and FORBIDDEN",
    )
    created_at = graphene.DateTime(required=True)

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, OperatorModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> OperatorModel | None:
        return await OperatorByIdLoader(info).load(int(pk))

    @staticmethod
    async def resolve_cii_systems(root: OperatorModel, info: Any) -> list[CiiSystemModel]:
        return await CiiSystemsByOperatorIdLoader(info).load(root.id)


class OperatorConnection(CountedConnection):
    class Meta:
        node = Operator
