"""Uploading agreement template versions (legal teams, admins).

A version is never changed or deleted once stored: agreements point at the version they were
rendered from, so an old agreement can always be re-rendered or audited against its template.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.agreements.documents import clause_ids
from procurement.agreements.formatting import LANGUAGES
from procurement.agreements.messages import TEMPLATES as MESSAGES
from procurement.agreements.messages import said
from procurement.agreements.render import check_template, template_fields
from procurement.agreements.store.templates import (
    ensure_shipped_templates,
    find_template_version,
    template_snapshot,
)
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.files import UploadedFile, safe_file_name, sha256_hex
from procurement.models import AgreementTemplate, Operator
from procurement.permissions import Action, Principal, require
from procurement.texts import Text
from procurement.validation import Checker

_TEMPLATE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
DEFAULT_TEMPLATE_ID = "security-agreement"


@dataclass(frozen=True, slots=True)
class TemplateUploadInput:
    template_id: str
    language: str
    file: UploadedFile | None
    title: str | None = None
    notes: str | None = None
    operator_id: int | None = None  # admins only; None = shared by every operator


async def _owner(
    session: AsyncSession, principal: Principal, operator_id: int | None, check: Checker
) -> int | None:
    """Which operator a new version belongs to: the caller's, or the admin's choice."""
    if not principal.is_admin:
        if operator_id is not None and operator_id != principal.operator_id:
            check.fail(
                "operatorId", _operator_not_found(operator_id), ErrorCode.NOT_FOUND, MESSAGES
            )
        return principal.operator_id
    if operator_id is not None and await session.get(Operator, operator_id) is None:
        check.fail("operatorId", _operator_not_found(operator_id), ErrorCode.NOT_FOUND, MESSAGES)
    return operator_id


def _operator_not_found(operator_id: int) -> Text:
    return Text("agreements.error.operator_not_found", {"id": operator_id})


async def upload_agreement_template(
    session: AsyncSession, principal: Principal, data: TemplateUploadInput
) -> AgreementTemplate:
    """Store a new version after :func:`check_template` accepts it (legal, admin)."""
    require(principal, Action.MANAGE_AGREEMENT_TEMPLATES)
    check = Checker()
    template_id = check.text("templateId", data.template_id, max_len=64)
    if template_id is not None and not _TEMPLATE_ID.match(template_id):
        check.fail("templateId", Text("agreements.error.template_id", {}), templates=MESSAGES)
        template_id = None
    language = data.language if data.language in LANGUAGES else None
    if language is None:
        check.fail("language", Text("input.enum", {"value": data.language,
                                                     "allowed": ", ".join(LANGUAGES)}))  # fmt: skip
    title = check.text("title", data.title, max_len=300, required=False)
    notes = check.text("notes", data.notes, max_len=2000, required=False)
    owner = await _owner(session, principal, data.operator_id, check)
    if data.file is None:
        check.fail("file", Text("agreements.error.template_file", {}), ErrorCode.REQUIRED, MESSAGES)
    check.done()
    assert template_id is not None and language is not None and data.file is not None

    content = data.file.data
    problems = await asyncio.to_thread(check_template, content, language=language)
    if problems:
        raise InputError([FieldError("file", p.message, p.code, p.text) for p in problems])
    await ensure_shipped_templates(session, principal)
    latest = await find_template_version(session, principal, template_id, language)
    digest = sha256_hex(content)
    if latest is not None and latest.sha256 == digest:
        same = Text("agreements.error.template_identical", {"version": latest.version})
        raise InputError([FieldError.said("file", same, ErrorCode.DUPLICATE, MESSAGES)])
    if title is None and latest is None:
        raise InputError([said("title", "agreements.error.template_title", ErrorCode.REQUIRED)])
    top = await session.scalar(
        select(func.max(AgreementTemplate.version)).where(
            AgreementTemplate.template_id == template_id, AgreementTemplate.language == language
        )
    )
    fields = await asyncio.to_thread(template_fields, content)
    row = AgreementTemplate(
        template_id=template_id,
        language=language,
        version=(top or 0) + 1,
        title=title or (latest.title if latest else ""),
        operator_id=owner,
        shipped=False,
        file_name=safe_file_name(data.file.filename, template_id, ".docx"),
        content=content,
        sha256=digest,
        size_bytes=len(content),
        fields=sorted(fields),
        clauses=list(clause_ids(content)),
        notes=notes,
        uploaded_by=principal.name,
        uploaded_by_token_id=principal.token_id,
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise InputError(
            [said("file", "agreements.error.template_race", ErrorCode.CONFLICT)]
        ) from None
    audit.record(
        session,
        principal,
        "agreement_template.uploaded",
        "AgreementTemplate",
        row.id,
        operator_id=owner,
        after=template_snapshot(row),
    )
    await session.commit()
    return row
