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
    """A vendor to register"""

    name = graphene.String(required=True, description="The vendor's name")
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2")
    ownership = graphene.InputField(
        OwnershipEnum, required=True, description="Who owns or controls it"
    )
    registration_id = graphene.String(description="Business registration number")
    ultimate_parent_name = graphene.String(description="Its ultimate parent company's name")
    ultimate_parent_country = graphene.String(
        description="Its ultimate parent's country, ISO 3166-1 alpha-2"
    )
    address = graphene.String(description="Registered address")
    contact_name = graphene.String(description="Contact person's name")
    contact_email = graphene.String(description="Contact person's e-mail address")
    contact_phone = graphene.String(description="Contact person's telephone number")


class UpdateVendorInput(graphene.InputObjectType):
    """Only the fields given are changed; an explicit null clears an optional field."""

    name = graphene.String(description="The vendor's name")
    name_zh = graphene.String(description="The name in Chinese documents (the Chinese agreement)")
    country = graphene.String(description="ISO 3166-1 alpha-2")
    ownership = graphene.InputField(OwnershipEnum, description="Who owns or controls it")
    registration_id = graphene.String(description="Business registration number")
    ultimate_parent_name = graphene.String(description="Its ultimate parent company's name")
    ultimate_parent_country = graphene.String(
        description="Its ultimate parent's country, ISO 3166-1 alpha-2"
    )
    address = graphene.String(description="Registered address")
    contact_name = graphene.String(description="Contact person's name")
    contact_email = graphene.String(description="Contact person's e-mail address")
    contact_phone = graphene.String(description="Contact person's telephone number")


class VendorPayload(graphene.ObjectType):
    """The result of a vendor mutation"""

    vendor = graphene.Field(Vendor, description="The vendor; null when errors is not empty")
    errors = errors_field()


class RegisterVendor(graphene.Mutation):
    """Register a vendor (procurement, admin)."""

    class Arguments:
        input = RegisterVendorInput(required=True, description="The vendor to register")

    Output = VendorPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        data = service.VendorInput(**dict(input))
        ctx = context_of(info)
        return await run(VendorPayload, "vendor", lambda: ctx.call(service.register_vendor, data))


class UpdateVendor(graphene.Mutation):
    """Change a vendor's facts (procurement, admin); all its purchases are screened again."""

    class Arguments:
        id = graphene.ID(required=True, description="The Vendor's global ID")
        input = UpdateVendorInput(
            required=True, description="The changes (only the fields given change)"
        )

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
