"""Closed vocabularies of the domain, with the legal source of each."""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """CII Regulations Art. 2 sectors (important industries and fields)."""

    PUBLIC_TELECOM_AND_INFORMATION_SERVICES = "PUBLIC_TELECOM_AND_INFORMATION_SERVICES"
    ENERGY = "ENERGY"
    TRANSPORT = "TRANSPORT"
    WATER_CONSERVANCY = "WATER_CONSERVANCY"
    FINANCE = "FINANCE"
    PUBLIC_SERVICES = "PUBLIC_SERVICES"
    E_GOVERNMENT = "E_GOVERNMENT"
    NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY = "NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY"
    OTHER = "OTHER"


class PurchaseCategory(StrEnum):
    """Cybersecurity Review Measures (2021) Art. 21 network products and services, plus outside."""

    CORE_NETWORK_EQUIPMENT = "CORE_NETWORK_EQUIPMENT"
    IMPORTANT_TELECOM_PRODUCT = "IMPORTANT_TELECOM_PRODUCT"
    HIGH_PERFORMANCE_COMPUTER_SERVER = "HIGH_PERFORMANCE_COMPUTER_SERVER"
    MASS_STORAGE_DEVICE = "MASS_STORAGE_DEVICE"
    LARGE_DATABASE_APPLICATION_SOFTWARE = "LARGE_DATABASE_APPLICATION_SOFTWARE"
    NETWORK_SECURITY_EQUIPMENT = "NETWORK_SECURITY_EQUIPMENT"
    CLOUD_COMPUTING_SERVICE = "CLOUD_COMPUTING_SERVICE"
    OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE = "OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE"
    OUTSIDE_SCOPE = "OUTSIDE_SCOPE"

    @property
    def in_article_21(self) -> bool:
        return self is not PurchaseCategory.OUTSIDE_SCOPE


class Ownership(StrEnum):
    STATE = "STATE"
    PRIVATE = "PRIVATE"
    FOREIGN_CONTROLLED = "FOREIGN_CONTROLLED"
    JOINT_VENTURE = "JOINT_VENTURE"
    OTHER = "OTHER"


class PersonRole(StrEnum):
    """CII Regulations Art. 41: the person in charge and other directly responsible personnel."""

    PERSON_IN_CHARGE = "PERSON_IN_CHARGE"
    OTHER_RESPONSIBLE = "OTHER_RESPONSIBLE"


class PurchaseStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"


class Role(StrEnum):
    ADMIN = "admin"
    PROCUREMENT = "procurement"
    VENDOR = "vendor"
    LEGAL = "legal"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"
