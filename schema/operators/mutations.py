from __future__ import annotations

from typing import Any

import graphene

from procurement.registry.actions import operators as service
from schema.context import context_of
from schema.core.enums import SectorEnum
from schema.core.payload import errors_field, run
from schema.operators.types import Operator


class CiiSystemInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    description = graphene.String()
    business_critical = graphene.Boolean(required=True, default_value=True)


class RegisterOperatorInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    credit_code = graphene.String(required=True)
    sector = graphene.InputField(SectorEnum, required=True)
    is_cii_operator = graphene.Boolean(required=True)
    address = graphene.String()
    cii_systems = graphene.List(graphene.NonNull(CiiSystemInput))


class RegisterOperatorPayload(graphene.ObjectType):
    operator = graphene.Field(Operator)
    errors = errors_field()


class RegisterOperator(graphene.Mutation):
    """Register an operator and its CII systems (admin)."""

    class Arguments:
        input = RegisterOperatorInput(required=True)

    Output = RegisterOperatorPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        data = service.OperatorInput(
            name=input["name"],
            credit_code=input["credit_code"],
            sector=input["sector"],
            is_cii_operator=input["is_cii_operator"],
            address=input.get("address"),
            name_zh=input.get("name_zh"),
            cii_systems=[
                service.CiiSystemInput(
                    name=s["name"],
                    name_zh=s.get("name_zh"),
                    description=s.get("description"),
                    business_critical=s.get("business_critical", True),
                )
                for s in input.get("cii_systems") or []
            ],
        )
        ctx = context_of(info)
        return await run(
            RegisterOperatorPayload,
            "operator",
            lambda: ctx.call(service.register_operator, data),
        )


class OperatorMutations(graphene.ObjectType):
    register_operator = RegisterOperator.Field()
