"""GraphQL enums generated from the domain's enums, so the two cannot drift."""

from __future__ import annotations

import graphene

from procurement.enums import Ownership, PersonRole, PurchaseCategory, PurchaseStatus, Role, Sector
from schema.core.describe import enum_description

SectorEnum = graphene.Enum.from_enum(
    Sector,
    name="Sector",
    description=enum_description(
        "CII Regulations Art. 2 sectors (important industries and fields).",
        PUBLIC_TELECOM_AND_INFORMATION_SERVICES="Public telecom and information services",
        ENERGY="Energy",
        TRANSPORT="Transport",
        WATER_CONSERVANCY="Water conservancy",
        FINANCE="Finance",
        PUBLIC_SERVICES="Public services",
        E_GOVERNMENT="E-government services",
        NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY="Defence science and industry",
        OTHER="Another important industry or field",
    ),
)

PurchaseCategoryEnum = graphene.Enum.from_enum(
    PurchaseCategory,
    name="PurchaseCategory",
    description=enum_description(
        PurchaseCategory.__doc__ or "",
        CORE_NETWORK_EQUIPMENT="Core network equipment",
        IMPORTANT_TELECOM_PRODUCT="Important telecommunications products",
        HIGH_PERFORMANCE_COMPUTER_SERVER="High-performance computers and servers",
        MASS_STORAGE_DEVICE="Mass storage devices",
        LARGE_DATABASE_APPLICATION_SOFTWARE="Large databases and application software",
        NETWORK_SECURITY_EQUIPMENT="Network security equipment",
        CLOUD_COMPUTING_SERVICE="Cloud computing services",
        OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE="Other important network products and services",
        OUTSIDE_SCOPE="A network product or service outside the Art. 21 list",
        NOT_NETWORK_PRODUCT="Not a network product or service",
    ),
)

OwnershipEnum = graphene.Enum.from_enum(
    Ownership,
    name="Ownership",
    description=enum_description(
        "Who owns or controls a vendor.",
        STATE="State-owned",
        PRIVATE="Privately owned",
        FOREIGN_CONTROLLED="Controlled by foreign investors",
        JOINT_VENTURE="Joint venture",
        OTHER="Another form of ownership",
    ),
)

PersonRoleEnum = graphene.Enum.from_enum(
    PersonRole,
    name="PersonRole",
    description=enum_description(
        "CII Regulations Art. 41: the person in charge and other directly responsible personnel.",
        PERSON_IN_CHARGE="The directly responsible person in charge",
        OTHER_RESPONSIBLE="Other directly responsible personnel",
    ),
)

PurchaseStatusEnum = graphene.Enum.from_enum(
    PurchaseStatus,
    name="PurchaseStatus",
    description=enum_description(
        "Whether a purchase is still going ahead.",
        ACTIVE="Going ahead",
        CANCELLED="Cancelled",
    ),
)

RoleEnum = graphene.Enum.from_enum(
    Role,
    name="Role",
    description=enum_description(
        "What an account may do.",
        ADMIN="Everything, including accounts, operators, screening rules and holiday calendars",
        PROCUREMENT="Registers vendors and purchases; uploads SBOMs",
        VENDOR="A vendor's user: uploads SBOMs; never sees internal fields, screening or reviews",
        LEGAL="Manages agreements and their templates; records supervision checks",
        REVIEWER="Manages review cases; records supervision checks",
        AUDITOR="Reads internal data and the audit log",
    ),
)
