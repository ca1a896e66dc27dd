from __future__ import annotations

from typing import Any

import graphene

from procurement.registry.actions import vendors as service
from schema.context import context_of
from schema.core.enums import OwnershipEnum
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run
from schema.vendors.types import Vendor


class RegisterVendorInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2")
    ownership = graphene.InputField(OwnershipEnum, required=True)
    registration_id = graphene.String()
    ultimate_parent_name = graphene.String()
    ultimate_parent_country = graphene.String()
    address = graphene.String()
    contact_name = graphene.String()
    contact_email = graphene.String()
    contact_phone = graphene.String()


class UpdateVendorInput(graphene.InputObjectType):
    """Only the fields given are changed; an explicit null clears an optional field."""

    name = graphene.String()
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    country = graphene.String()
    ownership = graphene.InputField(OwnershipEnum)
    registration_id = graphene.String()
    ultimate_parent_name = graphene.String()
    ultimate_parent_country = graphene.String()
    address = graphene.String()
    contact_name = graphene.String()
    contact_email = graphene.String()
    contact_phone = graphene.String()


class VendorPayload(graphene.ObjectType):
    vendor = graphene.Field(Vendor)
    errors = errors_field()


class RegisterVendor(graphene.Mutation):
    """Register a vendor (procurement, admin)."""

    class Arguments:
        input = RegisterVendorInput(required=True)

    Output = VendorPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        data = service.VendorInput(**dict(input))
        ctx = context_of(info)
        return await run(VendorPayload, "vendor", lambda: ctx.call(service.register_vendor, data))


class UpdateVendor(graphene.Mutation):
    """Change a vendor's facts (procurement, admin); all its purchases are screened again."""

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateVendorInput(required=True)

    Output = VendorPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            vendor_id = parse_global_id(id, "Vendor", "id")
            return await ctx.call(service.update_vendor, vendor_id, dict(input))

        return await run(VendorPayload, "vendor", action)


class VendorMutations(graphene.ObjectType):
    register_vendor = RegisterVendor.Field()
    update_vendor = UpdateVendor.Field()
