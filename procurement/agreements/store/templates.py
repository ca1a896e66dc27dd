"""Session helpers for agreement templates: registering the shipped versions, finding the
version to render. They never commit and never check the role (the calling action has)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from contract_templates import load_manifest, template_bytes
from procurement import audit
from procurement.files import sha256_hex
from procurement.models import AgreementTemplate
from procurement.permissions import Principal, scope_agreement_templates


async def ensure_shipped_templates(session: AsyncSession, principal: Principal) -> None:
    """Register manifest entries not stored yet (a newer shipped version); never commits.

    Migration 0004 seeds the versions shipped with it, so this usually finds nothing to do. The
    audit event names the principal whose request noticed the new version.
    """
    stored = set(
        await session.execute(
            select(
                AgreementTemplate.template_id, AgreementTemplate.language, AgreementTemplate.version
            ).where(AgreementTemplate.shipped.is_(True))
        )
    )
    missing = [t for t in load_manifest() if (t.id, t.language, t.version) not in stored]
    for info in missing:
        data = template_bytes(info)
        row = AgreementTemplate(
            template_id=info.id,
            language=info.language,
            version=info.version,
            title=info.title,
            shipped=True,
            file_name=info.file,
            content=data,
            sha256=sha256_hex(data),
            size_bytes=len(data),
            fields=list(info.fields),
            clauses=list(info.clauses),
            uploaded_by="shipped with the service",
        )
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
                audit.record(
                    session,
                    principal,
                    "agreement_template.registered",
                    "AgreementTemplate",
                    row.id,
                    after=template_snapshot(row),
                )
        except IntegrityError:
            pass  # another worker registered it first, or an upload took that number


async def find_template_version(
    session: AsyncSession,
    principal: Principal,
    template_id: str,
    language: str,
    version: int | None = None,
) -> AgreementTemplate | None:
    """The given version (or the newest) the principal may use, with its content loaded."""
    stmt = scope_agreement_templates(
        select(AgreementTemplate)
        .options(undefer(AgreementTemplate.content))
        .where(
            AgreementTemplate.template_id == template_id, AgreementTemplate.language == language
        ),
        principal,
    )
    if version is not None:
        stmt = stmt.where(AgreementTemplate.version == version)
    row: AgreementTemplate | None = await session.scalar(
        stmt.order_by(AgreementTemplate.version.desc()).limit(1)
    )
    return row


def template_snapshot(row: AgreementTemplate) -> dict[str, object]:
    """Audit view of a version: everything but the bytes (their digest identifies them)."""
    return audit.snapshot(row, exclude=frozenset({"content"}))
