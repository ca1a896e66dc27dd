"""Dated data behind the fine exposure: exchange rates and penalty schedule versions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, ExactDecimal, UTCDateTime, utcnow


class ExchangeRateRow(Base):
    """``1 <currency> = rate_to_cny CNY`` from ``valid_from`` on, with where the rate comes from."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("currency", "valid_from", name="uq_exchange_rates_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), index=True)
    rate_to_cny: Mapped[Decimal] = mapped_column(ExactDecimal())
    valid_from: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PenaltyScheduleSet(Base):
    """One version of the whole set of penalty schedules (JSON in the seed file's format).

    The newest version is in force for calculations; older ones stay for the record. With no
    row at all, the schedules shipped in procurement/exposure/seed_schedules.json apply.
    """

    __tablename__ = "penalty_schedule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    document: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
