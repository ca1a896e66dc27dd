"""Screening: versioned rule sets, the results with their history, imported OSV advisories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import Verdict


class ScreeningRuleSetVersion(Base):
    """One version of the screening configuration (``RuleSet.to_dict()``).

    Version 1 is the built-in default and has no row; every change by an admin adds a row with the
    next version, so old results can always be explained with the rules that produced them.
    """

    __tablename__ = "screening_rule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))


class ScreeningRecord(Base):
    """One screening of a purchase. ``superseded_at`` is null for the current one; older ones stay
    as history. A new row is written only when the outcome (verdict, score, findings, rule-set
    version) differs from the current one, so the history shows changes, not re-runs."""

    __tablename__ = "screening_results"
    __table_args__ = (Index("ix_screening_results_current", "purchase_id", "superseded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchases.id"))
    verdict: Mapped[Verdict] = mapped_column(Enum(Verdict, native_enum=False, length=32))
    score: Mapped[int] = mapped_column(Integer)
    # Severity rank (INFO=0 .. CRITICAL=4) of the worst finding, for "minSeverity" filters.
    max_severity: Mapped[int] = mapped_column(Integer)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    missing_facts: Mapped[list[str]] = mapped_column(JSON)
    ruleset_version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(64))
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AdvisoryRecord(Base):
    """An imported OSV advisory, kept as the JSON the admin supplied (re-import replaces it)."""

    __tablename__ = "advisories"

    id: Mapped[int] = mapped_column(primary_key=True)
    osv_id: Mapped[str] = mapped_column(String(200), unique=True)
    summary: Mapped[str | None] = mapped_column(Text)
    modified: Mapped[str | None] = mapped_column(String(64))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(120))
    # Set when the record was added or changed and the stored SBOM components have not yet been
    # matched against it; cleared by the re-match that follows every import. A pending flag in
    # the row (not in memory) lets an interrupted import be completed by simply running again.
    rematch_pending: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    # The record as the screening last saw it, kept while a re-match is pending so the re-match
    # can tell which purchases' matches changed; None for a record that is new.
    matched_data: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class AdvisoryPackage(Base):
    """A package an advisory names, by normalised purl identity: lets screening pick the few
    advisories that can concern a purchase's components without parsing all of them."""

    __tablename__ = "advisory_packages"
    __table_args__ = (Index("ix_advisory_packages_identity", "purl_type", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    advisory_id: Mapped[int] = mapped_column(
        ForeignKey("advisories.id", ondelete="CASCADE"), index=True
    )
    purl_type: Mapped[str] = mapped_column(String(64))
    namespace: Mapped[str] = mapped_column(Text)  # "" when the ecosystem has none
    name: Mapped[str] = mapped_column(Text)
