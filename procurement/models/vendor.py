from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import Ownership


class Vendor(Base):
    """A provider of network products or services. Shared reference data across operators."""

    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))  # for Chinese documents (agreements)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    registration_id: Mapped[str | None] = mapped_column(String(64))
    ownership: Mapped[Ownership] = mapped_column(Enum(Ownership, native_enum=False, length=32))
    ultimate_parent_name: Mapped[str | None] = mapped_column(String(200))
    ultimate_parent_country: Mapped[str | None] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RestrictionList(Base):
    """A list of restricted suppliers, kept as data with where it comes from and when."""

    __tablename__ = "restriction_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RestrictionEntry(Base):
    """One listed supplier; matched to a vendor when known, and kept by name for SBOM suppliers."""

    __tablename__ = "restriction_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("restriction_lists.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"), index=True)
    supplier_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    listed_on: Mapped[date] = mapped_column(Date)
