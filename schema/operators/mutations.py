from __future__ import annotations

from typing import Any

import graphene

from procurement.registry.actions import operators as service
from schema.context import context_of
from schema.core.enums import SectorEnum
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run
from schema.operators.types import Operator


class CiiSystemInput(graphene.InputObjectType):
    """A CII system of an operator"""

    name = graphene.String(required=True, description="The system's name")
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    description = graphene.String(description="Free-text description")
    business_critical = graphene.Boolean(
        required=True, default_value=True, description="Critical to the operator's core business"
    )


class RegisterOperatorInput(graphene.InputObjectType):
    """An operator to register"""

    name = graphene.String(required=True, description="The operator's name")
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    credit_code = graphene.String(required=True, description="Unified social credit code")
    sector = graphene.InputField(
        SectorEnum, required=True, description="CII Regulations Art. 2 sector"
    )
    is_cii_operator = graphene.Boolean(required=True, description="Identified as a CII operator")
    address = graphene.String(description="Registered address")
    cii_systems = graphene.List(graphene.NonNull(CiiSystemInput), description="Its CII systems")
    cii_identified_on = graphene.Date(
        description="Day it was notified of its identification as a CII operator (CII "
        "Regulations Art. 10); without it a CII operator is assumed bound from 2017-06-01"
    )
    identification_reference = graphene.String(description="The identification notice")


class RegisterOperatorPayload(graphene.ObjectType):
    """The result of registerOperator"""

    operator = graphene.Field(Operator, description="The operator; null when errors is not empty")
    errors = errors_field()


class RegisterOperator(graphene.Mutation):
    """Register an operator and its CII systems (admin)."""

    class Arguments:
        input = RegisterOperatorInput(required=True, description="The operator to register")

    Output = RegisterOperatorPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        data = service.OperatorInput(
            name=input["name"],
            credit_code=input["credit_code"],
            sector=input["sector"],
            is_cii_operator=input["is_cii_operator"],
            address=input.get("address"),
            cii_identified_on=input.get("cii_identified_on"),
            identification_reference=input.get("identification_reference"),
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


class UpdateOperatorInput(graphene.InputObjectType):
    """Only the fields given change. The identification dates are notification dates (never in
    the future) and build the history; isCiiOperator follows it."""

    name = graphene.String(description="The operator's name")
    name_zh = graphene.String(description="The name in Chinese, used in Chinese agreements")
    address = graphene.String(description="Registered address")
    cii_identified_on = graphene.Date(
        description="Notified of its identification as a CII operator: opens a period (or "
        "replaces the assumed start of the open one)"
    )
    cii_ended_on = graphene.Date(
        description="Notified that it no longer is a CII operator (Art. 11): closes the period"
    )
    identification_reference = graphene.String(description="The notice, e.g. its number")
    expected_version = graphene.Int(
        description="The operator's version the edit was made from; if it has changed since, "
        "the edit is refused with CONFLICT and nothing is saved"
    )


class UpdateOperatorPayload(graphene.ObjectType):
    """The result of updateOperator"""

    operator = graphene.Field(Operator, description="The operator; null when errors is not empty")
    errors = errors_field()


class UpdateOperator(graphene.Mutation):
    """Change an operator and record its identification as a CII operator (admin)."""

    class Arguments:
        id = graphene.ID(required=True, description="The Operator's global ID")
        input = UpdateOperatorInput(
            required=True, description="The changes (only the fields given change)"
        )

    Output = UpdateOperatorPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(id, "Operator", "id")
            change = service.OperatorChange(
                name=input.get("name"),
                name_zh=input.get("name_zh"),
                address=input.get("address"),
                cii_identified_on=input.get("cii_identified_on"),
                cii_ended_on=input.get("cii_ended_on"),
                identification_reference=input.get("identification_reference"),
            )
            return await ctx.call(
                service.update_operator,
                pk,
                change,
                expected_version=input.get("expected_version"),
            )

        return await run(UpdateOperatorPayload, "operator", action)


class OperatorMutations(graphene.ObjectType):
    register_operator = RegisterOperator.Field()
    update_operator = UpdateOperator.Field()
