from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import Sector


class Operator(Base):
    """A CII operator (or an organisation that may become one): the tenant of this service."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))  # for Chinese documents (agreements)
    # Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, check digit last.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    sector: Mapped[Sector] = mapped_column(Enum(Sector, native_enum=False, length=64))
    is_cii_operator: Mapped[bool] = mapped_column(Boolean)
    address: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CiiSystem(Base):
    """One critical information infrastructure system of an operator (what a purchase goes into)."""

    __tablename__ = "cii_systems"
    __table_args__ = (UniqueConstraint("operator_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    business_critical: Mapped[bool] = mapped_column(Boolean, default=True)
