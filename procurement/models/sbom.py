"""Stored SBOMs: a purchase has SBOMs (one per part), each SBOM has versions, each version keeps the
original document (gzip) and the records extracted from it.

Record columns holding lists (licences, hashes, references, ...) are JSON text written with orjson
in the ingest worker: 100,000 components are inserted as plain tuples, with no per-row encoding
on the event loop.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import SbomStandard


class Sbom(Base):
    """One SBOM of a purchase (a product made of parts has one per part), across its versions."""

    __tablename__ = "sboms"
    __table_args__ = (UniqueConstraint("purchase_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchases.id"), index=True)
    # What makes two uploads versions of the same SBOM: the described component (type, group,
    # name without version), else the serial number, else "default"; or the name the uploader gave.
    key: Mapped[str] = mapped_column(String(500))
    name: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SbomVersion(Base):
    """One uploaded document of an SBOM. ``superseded_at`` is null for the current version."""

    __tablename__ = "sbom_versions"
    __table_args__ = (
        UniqueConstraint("sbom_id", "number", name="uq_sbom_versions_number"),
        UniqueConstraint("sbom_id", "sha256", name="uq_sbom_versions_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sbom_id: Mapped[int] = mapped_column(ForeignKey("sboms.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(8))
    standard: Mapped[SbomStandard] = mapped_column(Enum(SbomStandard, native_enum=False, length=16))
    spec_version: Mapped[str] = mapped_column(String(8))
    # CycloneDX serialNumber or SPDX documentNamespace (a URI of any length)
    serial_number: Mapped[str | None] = mapped_column(Text)
    bom_version: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    document_gzip: Mapped[bytes] = mapped_column(LargeBinary)
    metadata_json: Mapped[str] = mapped_column(Text)
    quality_score: Mapped[float] = mapped_column(Float)
    quality_json: Mapped[str] = mapped_column(Text)
    component_count: Mapped[int] = mapped_column(Integer)
    raw_component_count: Mapped[int] = mapped_column(Integer)
    dependency_count: Mapped[int] = mapped_column(Integer)
    service_count: Mapped[int] = mapped_column(Integer)
    vulnerability_count: Mapped[int] = mapped_column(Integer)
    warnings_json: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SbomComponent(Base):
    __tablename__ = "sbom_components"
    __table_args__ = (
        # Where-used: the purl identity, then the sortable version key for range scans; on
        # PostgreSQL it also carries what ordering and counting a page need (index-only scan).
        Index(
            "ix_sbom_components_purl_version_key",
            "purl_type",
            "purl_namespace",
            "purl_name",
            "version_key",
            postgresql_include=["version_id", "position", "id"],
        ),
        Index("ix_sbom_components_version_position", "version_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("sbom_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # document pre-order, nested ones included
    path: Mapped[str] = mapped_column(String(200))  # "3.0" = components[3].components[0]
    type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    bom_ref: Mapped[str | None] = mapped_column(Text)
    parent_ref: Mapped[str | None] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(String(20))
    supplier: Mapped[str | None] = mapped_column(Text)
    purl: Mapped[str | None] = mapped_column(Text)  # canonical, qualifiers and subpath kept
    purl_raw: Mapped[str | None] = mapped_column(Text)  # as written, when it differs or is invalid
    purl_type: Mapped[str | None] = mapped_column(String(64))
    purl_namespace: Mapped[str | None] = mapped_column(Text)
    purl_name: Mapped[str | None] = mapped_column(Text)
    purl_version: Mapped[str | None] = mapped_column(Text)
    # sbom.version_key of purl_version: sorts bytewise as the ecosystem orders versions
    version_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    cpe: Mapped[str | None] = mapped_column(Text)
    swid_tag_id: Mapped[str | None] = mapped_column(Text)
    licenses_json: Mapped[str | None] = mapped_column(Text)
    hashes_json: Mapped[str | None] = mapped_column(Text)
    external_references_json: Mapped[str | None] = mapped_column(Text)


class SbomDependency(Base):
    __tablename__ = "sbom_dependencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("sbom_versions.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(Text)
    depends_on_json: Mapped[str] = mapped_column(Text)
    provides_json: Mapped[str | None] = mapped_column(Text)


class SbomService(Base):
    __tablename__ = "sbom_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("sbom_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(Text)
    bom_ref: Mapped[str | None] = mapped_column(Text)
    parent_ref: Mapped[str | None] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(Text)
    endpoints_json: Mapped[str | None] = mapped_column(Text)
    authenticated: Mapped[bool | None] = mapped_column(Boolean)
    trust_boundary: Mapped[bool | None] = mapped_column(Boolean)
    data_flows_json: Mapped[str | None] = mapped_column(Text)


class SbomVulnerability(Base):
    """An embedded vulnerability or VEX statement of one SBOM version."""

    __tablename__ = "sbom_vulnerabilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("sbom_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    vuln_id: Mapped[str | None] = mapped_column(String(200), index=True)
    bom_ref: Mapped[str | None] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    ratings_json: Mapped[str] = mapped_column(Text)
    cwes_json: Mapped[str] = mapped_column(Text)
    affects_json: Mapped[str] = mapped_column(Text)
    analysis_state: Mapped[str | None] = mapped_column(String(40))
    analysis_justification: Mapped[str | None] = mapped_column(String(80))
    analysis_response_json: Mapped[str] = mapped_column(Text)
    analysis_detail: Mapped[str | None] = mapped_column(Text)
