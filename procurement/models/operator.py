from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import Sector


class Operator(Base):
    """A CII operator (or an organisation that may become one): the tenant of this service."""

    __tablename__ = "operators"

    # Optimistic version (as purchases): of two identification changes at once only one is
    # saved; clients may send the version they read (expectedVersion).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))  # for Chinese documents (agreements)
    # Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, check digit last.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    sector: Mapped[Sector] = mapped_column(Enum(Sector, native_enum=False, length=64))
    # As of today, derived from the identification history (operator_identifications) by the
    # actions that change it; a row without any history (older data) keeps its own value.
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


class OperatorIdentification(Base):
    """One period in which the operator is a CII operator (CII Regulations Arts. 10-11): from the
    day it was notified of its identification to the day it was notified it no longer is one
    (exclusive; None while it lasts). ``assumed``: the start was not known and is the earliest
    possible (see procurement.identification)."""

    __tablename__ = "operator_identifications"
    __table_args__ = (
        CheckConstraint(
            "ended_on IS NULL OR ended_on > identified_on", name="identification_ends_after_start"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("operators.id", ondelete="CASCADE"), index=True
    )
    identified_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    assumed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The notice it rests on (number, issuing department), as the operator recorded it.
    reference: Mapped[str | None] = mapped_column(String(300))
    end_reference: Mapped[str | None] = mapped_column(String(300))  # the notice that ended it
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
