"""Helpers for screening and review tests: case look-ups, SBOM rows inserted directly (the SBOM
upload service lives elsewhere), and GraphQL documents for the review mutations."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import SbomStandard
from procurement.models import (
    ReviewCase,
    Sbom,
    SbomComponent,
    SbomVersion,
    SbomVulnerability,
    ScreeningRecord,
)
from schema.core.ids import to_global_id
from tests.support.world import gql


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


async def open_case_id(session: AsyncSession, purchase_id: int) -> int:
    case_id = await session.scalar(
        select(ReviewCase.id).where(ReviewCase.open_purchase_id == purchase_id)
    )
    assert case_id is not None, f"purchase {purchase_id} has no open case"
    return case_id


async def cases_of(session: AsyncSession, purchase_id: int) -> list[ReviewCase]:
    return list(
        await session.scalars(
            select(ReviewCase).where(ReviewCase.purchase_id == purchase_id).order_by(ReviewCase.id)
        )
    )


async def screenings_of(session: AsyncSession, purchase_id: int) -> list[ScreeningRecord]:
    """Every stored result of the purchase, oldest first."""
    return list(
        await session.scalars(
            select(ScreeningRecord)
            .where(ScreeningRecord.purchase_id == purchase_id)
            .order_by(ScreeningRecord.id)
        )
    )


async def current_screening(session: AsyncSession, purchase_id: int) -> ScreeningRecord:
    rows = [r for r in await screenings_of(session, purchase_id) if r.superseded_at is None]
    assert len(rows) == 1, rows
    return rows[0]


@dataclass
class Component:
    name: str
    purl_type: str
    version: str
    namespace: str | None = None
    supplier: str | None = "Example Supplier"
    bom_ref: str | None = None


@dataclass
class Vex:
    vuln_id: str
    ref: str
    severity: str | None = "high"
    state: str | None = None


@dataclass
class SbomSpec:
    name: str = "router-firmware"
    quality: float = 85.0
    components: Sequence[Component] = ()
    vulnerabilities: Sequence[Vex] = ()
    extra: dict[str, Any] = field(default_factory=dict)


async def insert_sbom(session: AsyncSession, purchase_id: int, spec: SbomSpec) -> int:
    """Store an SBOM version with its components the way the ingest does (JSON as text)."""
    sbom = Sbom(purchase_id=purchase_id, key=spec.name, name=spec.name)
    session.add(sbom)
    await session.flush()
    version = SbomVersion(
        sbom_id=sbom.id,
        number=1,
        sha256=f"{purchase_id:064d}",
        format="json",
        standard=SbomStandard.CYCLONEDX,
        spec_version="1.6",
        bom_version=1,
        size_bytes=100,
        document_gzip=b"",
        metadata_json="{}",
        quality_score=spec.quality,
        quality_json="{}",
        component_count=len(spec.components),
        raw_component_count=len(spec.components),
        dependency_count=0,
        service_count=0,
        vulnerability_count=len(spec.vulnerabilities),
        warnings_json="[]",
        uploaded_by="test",
        uploaded_at=datetime(2025, 5, 1, tzinfo=UTC),
    )
    session.add(version)
    await session.flush()
    for i, c in enumerate(spec.components):
        purl = f"pkg:{c.purl_type}/{c.namespace + '/' if c.namespace else ''}{c.name}@{c.version}"
        session.add(
            SbomComponent(
                version_id=version.id,
                position=i,
                path=str(i),
                type="library",
                name=c.name,
                bom_ref=c.bom_ref or purl,
                group=c.namespace,
                version=c.version,
                supplier=c.supplier,
                purl=purl,
                purl_type=c.purl_type,
                purl_namespace=c.namespace,
                purl_name=c.name,
                purl_version=c.version,
            )
        )
    for i, v in enumerate(spec.vulnerabilities):
        session.add(
            SbomVulnerability(
                version_id=version.id,
                position=i,
                vuln_id=v.vuln_id,
                # stored as [source, score, severity, method, vector] (sbom_rows)
                ratings_json=orjson.dumps(
                    [[None, None, v.severity, None, None]] if v.severity else []
                ).decode(),
                cwes_json="[]",
                affects_json=orjson.dumps([{"ref": v.ref}]).decode(),
                analysis_state=v.state,
                analysis_response_json="[]",
            )
        )
    await session.flush()
    return version.id


CASE_FIELDS = "id state stateSince complex deadline overdue declaredOn outcomeOn outcomeNote"
PAYLOAD = f"reviewCase {{ {CASE_FIELDS} }} errors {{ field message code }}"


def mutation(name: str, input_type: str) -> str:
    return f"mutation M($input: {input_type}!) {{ {name}(input: $input) {{ {PAYLOAD} }} }}"


TRIAGE = mutation("triageReview", "TriageReviewInput")
DECLARE = mutation("recordDeclaration", "RecordDeclarationInput")
OFFICE = mutation("recordOfficeDecision", "RecordOfficeDecisionInput")
REQUEST = mutation("requestSupplementaryMaterials", "RequestSupplementaryMaterialsInput")
RECEIVED = mutation(
    "recordSupplementaryMaterialsReceived", "RecordSupplementaryMaterialsReceivedInput"
)
OUTCOME = mutation("recordReviewOutcome", "RecordReviewOutcomeInput")
ASSIGN = mutation("assignReviewer", "AssignReviewerInput")
COMMENT = mutation("commentOnReview", "CommentOnReviewInput")
ATTACH = """mutation M($input: AttachDeclarationMaterialInput!) {
  attachDeclarationMaterial(input: $input) { attachment { fileName sha256 sizeBytes }
    errors { field message code } } }"""
FILING_MATERIALS = ("DECLARATION_FORM", "IMPACT_ANALYSIS_REPORT", "PROCUREMENT_DOCUMENTS")


async def call(
    client: httpx.AsyncClient, secret: str, document: str, **input: Any
) -> dict[str, Any]:
    """Run a mutation; returns its payload (asserting no top-level errors)."""
    status, body = await gql(client, secret, document, {"input": input})
    assert status == 200 and "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


async def attach_filing_materials(client: httpx.AsyncClient, secret: str, case: str) -> None:
    for material in FILING_MATERIALS:
        payload = await call(
            client,
            secret,
            ATTACH,
            caseId=case,
            material=material,
            fileName=f"{material.lower()}.pdf",
            contentBase64=base64.b64encode(f"%PDF {material}".encode()).decode(),
        )
        assert payload["errors"] == [], payload


async def declare(
    client: httpx.AsyncClient, secret: str, case: str, triaged_on: str, filed_on: str
) -> dict[str, Any]:
    """PENDING_TRIAGE -> DECLARATION_PREPARED -> DECLARED, with the Art. 8 materials."""
    payload = await call(
        client, secret, TRIAGE, caseId=case, decision="DECLARATION_REQUIRED", on=triaged_on
    )
    assert payload["errors"] == [], payload
    await attach_filing_materials(client, secret, case)
    payload = await call(client, secret, DECLARE, caseId=case, filedOn=filed_on)
    assert payload["errors"] == [], payload
    return payload
