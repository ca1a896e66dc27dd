from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import graphene

from procurement.registry.actions import investigation
from procurement.registry.actions import purchases as service
from schema.context import context_of
from schema.core.enums import PersonRoleEnum, PurchaseCategoryEnum
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run
from schema.core.scalars import Decimal
from schema.purchases.types import Purchase


class MoneyInput(graphene.InputObjectType):
    """An amount of money in a currency"""

    amount = graphene.InputField(
        Decimal, required=True, description="The amount, as a Decimal string"
    )
    currency = graphene.String(required=True, description="ISO 4217, e.g. CNY")


class DataHandledInput(graphene.InputObjectType):
    """The data the product or service will handle once in use"""

    core_data = graphene.Boolean(
        required=True, default_value=False, description="Will handle core data"
    )
    important_data = graphene.Boolean(
        required=True, default_value=False, description="Will handle important data"
    )
    personal_information = graphene.Boolean(
        required=True, default_value=False, description="Will handle personal information"
    )
    personal_information_subjects = graphene.Int(
        description="How many people's personal information (approximate volume)"
    )


class PersonInput(graphene.InputObjectType):
    """A directly responsible person (CII Regulations Art. 41)"""

    name = graphene.String(required=True, description="The person's name")
    role = graphene.InputField(
        PersonRoleEnum,
        required=True,
        description="Person in charge or other directly responsible person",
    )
    position = graphene.String(description="The person's position or job title")


class RegisterPurchaseInput(graphene.InputObjectType):
    """A purchase to register"""

    operator_id = graphene.ID(description="Defaults to the caller's operator")
    vendor_id = graphene.ID(required=True, description="The Vendor's global ID")
    cii_system_id = graphene.ID(description="The CiiSystem's global ID, if known")
    title = graphene.String(required=True, description="The purchase's title")
    title_zh = graphene.String(description="The title in Chinese documents (the Chinese agreement)")
    description = graphene.String(description="Free-text description")
    category = graphene.InputField(
        PurchaseCategoryEnum, required=True, description="Review Measures Art. 21 category"
    )
    contract_value = graphene.InputField(
        MoneyInput, required=True, description="The contract's value"
    )
    tax_included = graphene.Boolean(required=True, description="Whether contractValue includes tax")
    contract_date = graphene.Date(
        required=True,
        description="The contract date (China time); may be in the future for a planned purchase",
    )
    data_handled = graphene.InputField(DataHandledInput, description="The data it will handle")
    vendor_remote_maintenance = graphene.Boolean(
        required=True, default_value=False, description="The vendor maintains it remotely"
    )
    vendor_update_channel = graphene.Boolean(
        required=True, default_value=False, description="The vendor can push updates to it"
    )
    single_source = graphene.Boolean(
        required=True, default_value=False, description="Bought from a single source"
    )
    certification_reference = graphene.String(
        description="Certificate or test report of critical network equipment or a dedicated "
        "cybersecurity product (CSL Art. 23), e.g. the certificate number"
    )
    harm_to_life_or_finance = graphene.Boolean(
        description="Citizens' life and health safety or financial security is involved and "
        "harm resulted: the limitation period is five years instead of two (Administrative "
        "Penalty Law Art. 36)",
        required=True,
        default_value=False,
    )
    persons = graphene.List(
        graphene.NonNull(PersonInput),
        required=True,
        description="Directly responsible persons; must include the person in charge",
    )


class UpdatePurchaseInput(graphene.InputObjectType):
    """Only the fields given change; ``persons``, when given, replaces the whole list."""

    cii_system_id = graphene.ID(description="The CiiSystem's global ID; null clears it")
    title = graphene.String(description="The purchase's title")
    title_zh = graphene.String(description="The title in Chinese documents (the Chinese agreement)")
    description = graphene.String(description="Free-text description")
    category = graphene.InputField(
        PurchaseCategoryEnum, description="Review Measures Art. 21 category"
    )
    contract_value = graphene.InputField(MoneyInput, description="The contract's value")
    tax_included = graphene.Boolean(description="Whether contractValue includes tax")
    contract_date = graphene.Date(description="The contract date (China time)")
    data_handled = graphene.InputField(
        DataHandledInput, description="The data it will handle (only the keys given change)"
    )
    vendor_remote_maintenance = graphene.Boolean(description="The vendor maintains it remotely")
    vendor_update_channel = graphene.Boolean(description="The vendor can push updates to it")
    single_source = graphene.Boolean(description="Bought from a single source")
    certification_reference = graphene.String(
        description="Certificate or test report of critical network equipment or a dedicated "
        "cybersecurity product (CSL Art. 23), e.g. the certificate number"
    )
    harm_to_life_or_finance = graphene.Boolean(
        description="Citizens' life and health safety or financial security is involved and "
        "harm resulted: the limitation period is five years instead of two (Administrative "
        "Penalty Law Art. 36)"
    )
    persons = graphene.List(
        graphene.NonNull(PersonInput),
        description="Directly responsible persons; replaces the whole list",
    )
    expected_version = graphene.Int(
        description="The purchase's version the edit was made from; if the purchase has "
        "changed since, the edit is refused with CONFLICT and nothing is saved"
    )


def _persons(raw: list[dict[str, Any]] | None) -> list[service.PersonInput] | None:
    if raw is None:
        return None
    return [service.PersonInput(p["name"], p["role"], p.get("position")) for p in raw]


def _flat_changes(raw: dict[str, Any]) -> dict[str, Any]:
    """GraphQL input shape -> the service's flat field names (only keys the client sent)."""
    changes: dict[str, Any] = {}
    for key, value in dict(raw).items():
        if key == "contract_value":
            if value is None:
                changes["contract_value"] = None
            else:
                changes["contract_value"] = value["amount"]
                changes["currency"] = value["currency"]
        elif key == "data_handled":
            value = dict(value or {})
            mapping = {
                "core_data": "handles_core_data",
                "important_data": "handles_important_data",
                "personal_information": "handles_personal_information",
                "personal_information_subjects": "personal_information_subjects",
            }
            for name, target in mapping.items():
                if name in value:
                    changes[target] = value[name]
        elif key == "cii_system_id":
            changes[key] = (
                None if value is None else parse_global_id(value, "CiiSystem", "ciiSystemId")
            )
        elif key == "persons":
            changes[key] = _persons(value)
        else:
            changes[key] = value
    return changes


_IDS = ("operator_id", "vendor_id")


class PurchasePayload(graphene.ObjectType):
    """The result of a purchase mutation"""

    purchase = graphene.Field(Purchase, description="The purchase; null when errors is not empty")
    errors = errors_field()


def _run(info: Any, action: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
    return run(PurchasePayload, "purchase", action)


class RegisterPurchase(graphene.Mutation):
    """Register a purchase (procurement, admin); persons must include the person in charge."""

    class Arguments:
        input = RegisterPurchaseInput(required=True, description="The purchase to register")

    Output = PurchasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            raw = dict(input)
            flat = _flat_changes({k: v for k, v in raw.items() if k not in _IDS})
            data = service.PurchaseInput(
                operator_id=parse_global_id(raw["operator_id"], "Operator", "operatorId")
                if raw.get("operator_id") is not None
                else None,
                vendor_id=parse_global_id(raw["vendor_id"], "Vendor", "vendorId"),
                persons=flat.pop("persons"),
                **flat,
            )
            return await ctx.call(service.register_purchase, data)

        return await _run(info, action)


class UpdatePurchase(graphene.Mutation):
    """Change a purchase's facts (procurement, admin of its operator)."""

    class Arguments:
        id = graphene.ID(required=True, description="The Purchase's global ID")
        input = UpdatePurchaseInput(required=True, description="The changes")

    Output = PurchasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(id, "Purchase", "id")
            raw = dict(input)
            expected = raw.pop("expected_version", None)
            return await ctx.call(
                service.update_purchase, pk, _flat_changes(raw), expected_version=expected
            )

        return await _run(info, action)


class RecordPurchaseInUse(graphene.Mutation):
    """Record the date the product or service was put into use."""

    class Arguments:
        id = graphene.ID(required=True, description="The Purchase's global ID")
        in_use_date = graphene.Date(
            required=True, description="The day it was put into use (China time)"
        )

    Output = PurchasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, in_use_date: Any) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(id, "Purchase", "id")
            return await ctx.call(service.record_purchase_in_use, pk, in_use_date)

        return await _run(info, action)


class CancelPurchaseInput(graphene.InputObjectType):
    """A purchase to cancel"""

    id = graphene.ID(required=True, description="The Purchase's global ID")
    reason = graphene.String(required=True, description="Why it is cancelled")
    on = graphene.Date(description="Default: today in China")


class CancelPurchase(graphene.Mutation):
    """Cancel a purchase (procurement, admin); its open review case is withdrawn."""

    class Arguments:
        input = CancelPurchaseInput(required=True, description="The purchase to cancel and why")

    Output = PurchasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(input["id"], "Purchase", "id")
            return await ctx.call(service.cancel_purchase, pk, input["reason"], input.get("on"))

        return await _run(info, action)


class MarkPurchaseUnderInvestigationInput(graphene.InputObjectType):
    """A purchase the authority has taken up"""

    id = graphene.ID(required=True, description="The Purchase's global ID")
    since = graphene.Date(
        description="The day the authority took the purchase up (not in the future); null "
        "clears a mark made in error"
    )
    expected_version = graphene.Int(description="As in updatePurchase")


class MarkPurchaseUnderInvestigation(graphene.Mutation):
    """Record that the authority has discovered the purchase's acts: from that day the limitation
    period (Administrative Penalty Law Art. 36) no longer bars them (procurement, legal, admin)."""

    class Arguments:
        input = MarkPurchaseUnderInvestigationInput(
            required=True, description="The purchase and the day it was taken up"
        )

    Output = PurchasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(input["id"], "Purchase", "id")
            return await ctx.call(
                investigation.mark_under_investigation,
                pk,
                input.get("since"),
                expected_version=input.get("expected_version"),
            )

        return await _run(info, action)


class PurchaseMutations(graphene.ObjectType):
    register_purchase = RegisterPurchase.Field()
    update_purchase = UpdatePurchase.Field()
    record_purchase_in_use = RecordPurchaseInUse.Field()
    cancel_purchase = CancelPurchase.Field()
    mark_purchase_under_investigation = MarkPurchaseUnderInvestigation.Field()
