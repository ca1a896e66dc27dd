from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, Money, UTCDateTime, utcnow
from procurement.enums import PersonRole, PurchaseCategory, PurchaseStatus


class Purchase(Base):
    """A purchase of a network product or service by an operator from a vendor."""

    __tablename__ = "purchases"
    __table_args__ = (
        CheckConstraint("contract_value > 0", name="contract_value_positive"),
        CheckConstraint(
            "personal_information_subjects IS NULL OR personal_information_subjects >= 0",
            name="pi_subjects_not_negative",
        ),
    )

    # Optimistic version: every UPDATE checks the version its request read, so of two edits
    # made at once only one is saved (the other gets CONFLICT); clients may send the version
    # they edited (expectedVersion) to refuse an edit of a stale copy.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    cii_system_id: Mapped[int | None] = mapped_column(ForeignKey("cii_systems.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_zh: Mapped[str | None] = mapped_column(String(300))  # for Chinese documents (agreements)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[PurchaseCategory] = mapped_column(
        Enum(PurchaseCategory, native_enum=False, length=64), index=True
    )
    # Money: exact decimal with its ISO 4217 currency; "purchase amount" basis is explicit.
    contract_value: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    tax_included: Mapped[bool] = mapped_column(Boolean)
    contract_date: Mapped[date] = mapped_column(Date)
    in_use_date: Mapped[date | None] = mapped_column(Date)
    handles_core_data: Mapped[bool] = mapped_column(Boolean, default=False)
    handles_important_data: Mapped[bool] = mapped_column(Boolean, default=False)
    handles_personal_information: Mapped[bool] = mapped_column(Boolean, default=False)
    personal_information_subjects: Mapped[int | None] = mapped_column(BigInteger)
    vendor_remote_maintenance: Mapped[bool] = mapped_column(Boolean, default=False)
    vendor_update_channel: Mapped[bool] = mapped_column(Boolean, default=False)
    single_source: Mapped[bool] = mapped_column(Boolean, default=False)
    # Certificate number or test report of critical network equipment and dedicated cybersecurity
    # products (CSL Art. 23), as the vendor gave it; None: not recorded.
    certification_reference: Mapped[str | None] = mapped_column(String(300))
    # Administrative Penalty Law Art. 36: the five-year period instead of two applies when
    # citizens' life and health safety or financial security is involved and harm resulted.
    harm_to_life_or_finance: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The day the authority took the purchase up (discovery stops the time bar); None: assumed
    # not discovered.
    under_investigation_since: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PurchaseStatus] = mapped_column(
        Enum(PurchaseStatus, native_enum=False, length=16), default=PurchaseStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ResponsiblePerson(Base):
    """A directly responsible person for a purchase (Art. 41 fines each of them)."""

    __tablename__ = "responsible_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(
        ForeignKey("purchases.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[PersonRole] = mapped_column(Enum(PersonRole, native_enum=False, length=32))
    position: Mapped[str | None] = mapped_column(String(120))
