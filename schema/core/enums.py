"""GraphQL enums generated from the domain's enums, so the two cannot drift."""

from __future__ import annotations

import graphene

from procurement.enums import Ownership, PersonRole, PurchaseCategory, PurchaseStatus, Role, Sector

SectorEnum = graphene.Enum.from_enum(Sector, name="Sector")
PurchaseCategoryEnum = graphene.Enum.from_enum(PurchaseCategory, name="PurchaseCategory")
OwnershipEnum = graphene.Enum.from_enum(Ownership, name="Ownership")
PersonRoleEnum = graphene.Enum.from_enum(PersonRole, name="PersonRole")
PurchaseStatusEnum = graphene.Enum.from_enum(PurchaseStatus, name="PurchaseStatus")
RoleEnum = graphene.Enum.from_enum(Role, name="Role")
