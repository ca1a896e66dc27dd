"""Article 20 agreements: template versions, generated agreements, the provider's obligations and
the operator's supervision checks of them.

Document bytes are ``deferred(raiseload=True)``: lists and loaders never drag megabytes along, and
code that forgets to ask for them explicitly fails loudly instead of issuing a query per row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import AgreementState, CheckResult, ObligationStatus, Recurrence


class AgreementTemplate(Base):
    """One version of a .docx agreement template in one language; versions are never changed.

    ``operator_id`` is null for templates every operator may use (the shipped ones, or uploaded by
    an admin for everyone); otherwise only that operator's staff see and use the version.
    """

    __tablename__ = "agreement_templates"
    __table_args__ = (
        UniqueConstraint(
            "template_id", "language", "version", name="uq_agreement_templates_version"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    shipped: Mapped[bool] = mapped_column(default=False)
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False), raiseload=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # Dotted context paths the template reads (what missing_facts checks), and its clause ids.
    fields: Mapped[list[str]] = mapped_column(JSON)
    clauses: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Agreement(Base):
    """A security confidentiality agreement generated for one purchase from one template version."""

    __tablename__ = "agreements"

    # Optimistic version: every UPDATE of the row checks the version it read, so two requests
    # that change the same row at once cannot both win (the loser gets a CONFLICT error).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchases.id"), index=True)
    template_version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_templates.id"), index=True
    )
    # Copied from the template version so listings need no join.
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(64))
    state: Mapped[AgreementState] = mapped_column(
        Enum(AgreementState, native_enum=False, length=16), index=True
    )
    document: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False), raiseload=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    document_size: Mapped[int] = mapped_column(Integer)
    document_file_name: Mapped[str] = mapped_column(String(255))
    # The frozen facts the document was rendered from, and the caller's overrides, as JSON.
    context_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON)
    generated_by: Mapped[str] = mapped_column(String(120))
    generated_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_on: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    signatories: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    signed_copy: Mapped[bytes | None] = deferred(mapped_column(LargeBinary), raiseload=True)
    signed_copy_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_copy_size: Mapped[int | None] = mapped_column(Integer)
    signed_copy_file_name: Mapped[str | None] = mapped_column(String(255))
    signed_copy_content_type: Mapped[str | None] = mapped_column(String(100))
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    # The other language version of the same agreement (zh and en; clause 16.4: the Chinese text
    # prevails): set on the version generated second. The pair shares one number and one
    # lifecycle; the obligations are tracked on the first version only. An agreement id without
    # a foreign key (migration 0018 says why); agreements are never deleted.
    language_version_of_id: Mapped[int | None] = mapped_column(Integer, index=True)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AgreementObligation(Base):
    """One duty of the provider under an agreement, derived from its clauses and terms."""

    __tablename__ = "agreement_obligations"
    __table_args__ = (
        UniqueConstraint("agreement_id", "code", name="uq_agreement_obligations_code"),
    )

    # Optimistic version, bumped by every check recorded on the obligation: two checks at once
    # cannot both set its status, and a check made from a stale view can be refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the agreement's schedule
    code: Mapped[str] = mapped_column(String(40))
    clause_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    recurrence: Mapped[Recurrence] = mapped_column(
        Enum(
            Recurrence,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    until_on: Mapped[date | None] = mapped_column(Date)
    window_hours: Mapped[int] = mapped_column(Integer, default=0)
    window_days: Mapped[int] = mapped_column(Integer, default=0)
    # When it falls due, in words, while the agreement is unsigned ("30 days after signing").
    due_rule: Mapped[str] = mapped_column(String(200), default="", server_default="")
    status: Mapped[ObligationStatus] = mapped_column(
        Enum(ObligationStatus, native_enum=False, length=16), default=ObligationStatus.OPEN
    )
    last_checked_on: Mapped[date | None] = mapped_column(Date)


class SupervisionCheck(Base):
    """The operator's check of how the provider performed one obligation (Art. 20 "supervise")."""

    __tablename__ = "supervision_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("agreement_obligations.id"), index=True)
    result: Mapped[CheckResult] = mapped_column(Enum(CheckResult, native_enum=False, length=16))
    checked_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    attachment: Mapped[bytes | None] = deferred(mapped_column(LargeBinary), raiseload=True)
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    attachment_size: Mapped[int | None] = mapped_column(Integer)
    attachment_file_name: Mapped[str | None] = mapped_column(String(255))
    attachment_content_type: Mapped[str | None] = mapped_column(String(100))
    checked_by: Mapped[str] = mapped_column(String(120))
    checked_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
