"""Dated data behind the fine exposure: exchange rates and penalty schedule versions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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


class ExposureSnapshot(Base):
    """A cached digest of one purchase's exposure on ``as_of`` (actual and what-if), so the
    portfolio summary over thousands of purchases does not recompute every one.

    A cache only: any change to what the exposure depends on deletes the purchase's row in the
    same transaction (procurement.exposure.invalidation), and a missing row is recomputed.
    """

    __tablename__ = "exposure_snapshots"

    purchase_id: Mapped[int] = mapped_column(
        ForeignKey("purchases.id", ondelete="CASCADE"), primary_key=True
    )
    as_of: Mapped[date] = mapped_column(Date)  # the day it was computed for
    # It holds on every day from valid_from up to valid_until exclusive (None: every later
    # day), see procurement.exposure.validity; None in valid_from: not usable.
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # Bit set of the act kinds whose penalty schedules it consulted (validity.KIND_BITS): a
    # schedule change drops only the digests of the kinds it changes.
    act_kinds: Mapped[int | None] = mapped_column(Integer)
    vendor: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64))
    # Exact decimal strings (no float on any backend): immediate total and worst case, as the
    # purchase stands and as if its reviews passed and agreements were signed (what-if).
    total_min: Mapped[str] = mapped_column(String(48))
    total_max: Mapped[str] = mapped_column(String(48))
    worst: Mapped[str] = mapped_column(String(48))
    what_if_total_min: Mapped[str] = mapped_column(String(48))
    what_if_total_max: Mapped[str] = mapped_column(String(48))
    what_if_worst: Mapped[str] = mapped_column(String(48))
    # JSON [[label, min, max, worst], ...] per counted article, for grouping by article
    articles: Mapped[str] = mapped_column(Text)
    what_if_articles: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExposureSlice(Base):
    """One slice of a cached digest as integers SQL can add exactly (procurement.exposure.parts):
    position 0 the whole purchase (no label), then one per counted article, for the actual
    figures and the what-if. Written and dropped with its digest (the foreign key cascades)."""

    __tablename__ = "exposure_slices"

    purchase_id: Mapped[int] = mapped_column(
        ForeignKey("exposure_snapshots.purchase_id", ondelete="CASCADE"), primary_key=True
    )
    what_if: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str | None] = mapped_column(Text)
    min_whole: Mapped[int] = mapped_column(BigInteger)
    min_frac: Mapped[int] = mapped_column(BigInteger)
    min_exp: Mapped[int] = mapped_column(Integer)
    max_whole: Mapped[int] = mapped_column(BigInteger)
    max_frac: Mapped[int] = mapped_column(BigInteger)
    max_exp: Mapped[int] = mapped_column(Integer)
    worst_whole: Mapped[int] = mapped_column(BigInteger)
    worst_frac: Mapped[int] = mapped_column(BigInteger)
    worst_exp: Mapped[int] = mapped_column(Integer)
