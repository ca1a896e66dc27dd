from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.models import RestrictionEntry, RestrictionList
from procurement.models import Vendor as VendorModel
from schema.core.enums import OwnershipEnum
from schema.core.pagination import CountedConnection
from schema.vendors.loaders import RestrictionsByVendorIdLoader, VendorByIdLoader


class Party(graphene.ObjectType):
    """A company named on a vendor's record"""

    name = graphene.String(description="The company's name")
    country = graphene.String(description="ISO 3166-1 alpha-2")


class Contact(graphene.ObjectType):
    """How to reach someone"""

    name = graphene.String(description="The person's name")
    email = graphene.String(description="E-mail address")
    phone = graphene.String(description="Telephone number")


class RestrictionListing(graphene.ObjectType):
    """An entry naming this vendor on a restriction list, with the list's source and date."""

    list_name = graphene.String(required=True, description="The restriction list's name")
    source = graphene.String(required=True, description="Who published the list")
    published_on = graphene.Date(required=True, description="The list's publication day")
    listed_on = graphene.Date(required=True, description="The day the vendor was listed")
    reason = graphene.String(required=True, description="Why it was listed")


def _listing(pair: tuple[RestrictionEntry, RestrictionList]) -> RestrictionListing:
    entry, lst = pair
    return RestrictionListing(
        list_name=lst.name,
        source=lst.source,
        published_on=lst.published_on,
        listed_on=entry.listed_on,
        reason=entry.reason,
    )


class Vendor(graphene.ObjectType):
    """A provider of network products or services."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True, description="The vendor's name")
    name_zh = graphene.String(description="The name in Chinese documents; null: none recorded")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2")
    registration_id = graphene.String(description="Business registration number")
    ownership = graphene.Field(OwnershipEnum, required=True, description="Who owns or controls it")
    ultimate_parent = graphene.Field(Party, description="Its ultimate parent company, if any")
    address = graphene.String(description="Registered address")
    contact = graphene.Field(Contact, required=True, description="Contact person")
    restricted = graphene.Boolean(
        description="Listed on any restriction list (internal: not shown to vendors)"
    )
    restriction_listings = graphene.List(
        graphene.NonNull(RestrictionListing), description="internal: not shown to vendors"
    )
    created_at = graphene.DateTime(required=True, description="When it was registered")
    updated_at = graphene.DateTime(required=True, description="When it last changed")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, VendorModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> VendorModel | None:
        return await VendorByIdLoader(info).load(int(pk))

    @staticmethod
    def resolve_ultimate_parent(root: VendorModel, _info: Any) -> Party | None:
        if root.ultimate_parent_name is None and root.ultimate_parent_country is None:
            return None
        return Party(name=root.ultimate_parent_name, country=root.ultimate_parent_country)

    @staticmethod
    def resolve_contact(root: VendorModel, _info: Any) -> Contact:
        return Contact(name=root.contact_name, email=root.contact_email, phone=root.contact_phone)

    @staticmethod
    async def resolve_restriction_listings(
        root: VendorModel, info: Any
    ) -> list[RestrictionListing]:
        pairs = await RestrictionsByVendorIdLoader(info).load(root.id)
        return [_listing(pair) for pair in pairs]

    @staticmethod
    async def resolve_restricted(root: VendorModel, info: Any) -> bool:
        return bool(await RestrictionsByVendorIdLoader(info).load(root.id))


class VendorConnection(CountedConnection):
    class Meta:
        node = Vendor
        description = "A page of Vendor nodes, with the total count"
