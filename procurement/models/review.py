"""Review cases (Review Measures Arts. 5-15): the case, its history, pauses and attachments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, Money, UTCDateTime, utcnow
from procurement.enums import CaseState, DeclarationMaterial

_STATE = Enum(CaseState, native_enum=False, length=32)


class ReviewCase(Base):
    """The security review of one purchase, from triage to the office's outcome.

    ``operator_id``/``vendor_id`` repeat the purchase's (both are fixed once a purchase is
    registered) and ``risk_score``/``max_severity``/``value_cny``/``deadline_due`` are kept up to
    date by screening and transitions, so the pending-reviews list filters and sorts on this one
    table. ``open_purchase_id`` equals ``purchase_id`` while the case is open and is null once it
    is closed: its unique constraint allows one open case per purchase on every backend.
    """

    __tablename__ = "review_cases"

    # Optimistic version: every UPDATE of the row checks the version it read, so two requests
    # that change the same row at once cannot both win (the loser gets a CONFLICT error).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchases.id"), index=True)
    open_purchase_id: Mapped[int | None] = mapped_column(ForeignKey("purchases.id"), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    state: Mapped[CaseState] = mapped_column(_STATE, index=True)
    complex: Mapped[bool] = mapped_column(Boolean, default=False)
    # The date the current state began: the clock of DECLARED/UNDER_REVIEW/SPECIAL_REVIEW runs
    # from it (filing date, the office's notice, the start of the special review).
    state_since: Mapped[date] = mapped_column(Date)
    declared_on: Mapped[date | None] = mapped_column(Date)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    assigned_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    assigned_name: Mapped[str | None] = mapped_column(String(120))
    # The person the case is assigned to (issue 10). No foreign key (migration 0022 explains
    # why); a token assignment of a person's token names that person's account here too.
    assigned_account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The screening the case was last based on (frozen once the case is closed).
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screening_results.id"))
    risk_score: Mapped[int] = mapped_column(Integer, default=0)
    max_severity: Mapped[int] = mapped_column(Integer, default=0)
    value_cny: Mapped[Decimal | None] = mapped_column(Money())
    deadline_due: Mapped[date | None] = mapped_column(Date, index=True)
    # The due date was counted through a year with no holiday schedule (Monday-Friday): it may
    # still move. Stored with the date so every list shows it without recounting.
    deadline_provisional: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewEvent(Base):
    """One entry of a case's history: opening, transitions, assignments, comments, pauses."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[CaseState | None] = mapped_column(_STATE)
    to_state: Mapped[CaseState | None] = mapped_column(_STATE)
    on_date: Mapped[date | None] = mapped_column(Date)  # the legal date, when there is one
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actor_name: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(32))
    actor_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewPause(Base):
    """A period waiting for supplementary materials the office asked for (Art. 15): not counted."""

    __tablename__ = "review_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewAttachment(Base):
    """A file for an Art. 8 declaration checklist item, stored with its SHA-256."""

    __tablename__ = "review_attachments"
    __table_args__ = (
        UniqueConstraint("case_id", "material", "sha256", name="uq_review_attachments_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id"), index=True)
    material: Mapped[DeclarationMaterial] = mapped_column(
        Enum(DeclarationMaterial, native_enum=False, length=40)
    )
    file_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HolidayCalendarYear(Base):
    """A year's holiday schedule loaded by an admin from the State Council's notice; it overrides
    the ``chinese_calendar`` package for that year. Dates are stored as ISO strings."""

    __tablename__ = "holiday_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    days_off: Mapped[list[str]] = mapped_column(JSON)
    working_weekends: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    loaded_by: Mapped[str] = mapped_column(String(120))
    loaded_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
