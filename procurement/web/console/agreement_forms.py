"""The agreements page's forms, each through one of the agreements ``actions`` (permission,
validation, lifecycle, audit, one commit): generate, record sent, record signed with the signed
copy, and record a supervision check. A refused form shows the page again with each error next
to its field, what was typed kept, and nothing changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from procurement.agreements import reads as agreement_reads
from procurement.agreements.actions import generate, signing, supervision
from procurement.agreements.actions.templates import DEFAULT_TEMPLATE_ID
from procurement.errors import ErrorCode, InputError, PermissionDenied
from procurement.files import MAX_EVIDENCE_BYTES, UploadedFile
from procurement.permissions import Principal
from procurement.web.auth import csrf_presented_ok
from procurement.web.console.agreements import agreements_context
from procurement.web.console.common import (
    field_errors,
    not_allowed,
    not_found,
    number_param,
    page,
    person,
)
from procurement.web.console.labels import agreement_overrides
from procurement.web.signin_routes import refused

SIGNATORY_ROWS = ("OPERATOR", "PROVIDER")  # one row per party on the form


def _text(form: FormData, name: str) -> str | None:
    text = str(form.get(name) or "").strip()
    return text or None


def _camel(path: str) -> str:
    """``vendor.registration_id`` as the actions name it in errors (``vendor.registrationId``)."""
    return ".".join(
        head + "".join(p.title() for p in rest)
        for head, *rest in (segment.split("_") for segment in path.split("."))
    )


async def _file(form: FormData, name: str) -> UploadedFile | None:
    """The uploaded file, read up to one byte past the evidence limit (enough for the action to
    refuse it as too large without holding a huge upload in memory)."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return UploadedFile(
        upload.filename, upload.content_type, await upload.read(MAX_EVIDENCE_BYTES + 1)
    )


async def _refusal(
    request: Request,
    purchase_id: int,
    which: str,
    form: FormData,
    invalid: InputError,
    fields: Mapping[str, str],
) -> Response:
    context = await agreements_context(request, purchase_id)
    if context is None:
        return not_found(request)
    placed, general = field_errors(request, invalid.errors, fields)
    values = {k: str(v) for k, v in form.items() if k != "csrf" and isinstance(v, str)}
    context |= {"errors": placed, "problems": general, "failed_form": which, "form": values}
    conflict = any(e.code in (ErrorCode.CONFLICT, ErrorCode.INVALID_STATE) for e in invalid.errors)
    return page(request, "console/agreements.html", context, status_code=409 if conflict else 422)


def _not_found(invalid: InputError) -> bool:
    return any(
        e.code is ErrorCode.NOT_FOUND and e.field in ("id", "purchaseId", "obligationId")
        for e in invalid.errors
    )


async def generate_agreement(request: Request) -> Response:
    purchase_id = number_param(request.path_params["purchase_id"])
    if purchase_id is None:
        return not_found(request)
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
        paths = agreement_overrides(lambda text: text)
        given = {path: _text(form, path) for path in paths}
        template, _, version = str(form.get("template") or "").partition("@")
        data = generate.GenerateInput(
            purchase_id=purchase_id,
            language=str(form.get("language") or ""),
            template_id=template or DEFAULT_TEMPLATE_ID,
            template_version=number_param(version),
            # All empty: reuse the overrides of the purchase's previous agreement.
            overrides={k: v for k, v in given.items() if v} if any(given.values()) else None,
        )
        fields = {f"overrides.{_camel(p)}": p for p in paths} | {
            "templateId": "template", "language": "language",
        }  # fmt: skip
        async with request.app.state.sessions() as session:
            try:
                agreement = await generate.generate_agreement(session, person(request), data)
            except PermissionDenied:
                return not_allowed(request)
            except InputError as invalid:
                if _not_found(invalid):
                    return not_found(request)
                return await _refusal(request, purchase_id, "generate", form, invalid, fields)
    return _back(purchase_id, agreement.id)


def _back(purchase_id: int, agreement_id: int) -> Response:
    return RedirectResponse(
        f"/console/purchases/{purchase_id}/agreements#agreement-{agreement_id}", status_code=303
    )


async def _agreement_step(request: Request, which: str) -> Response:
    agreement_id = number_param(request.path_params["agreement_id"])
    if agreement_id is None:
        return not_found(request)
    principal = person(request)
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
        async with request.app.state.sessions() as session:
            found = await agreement_reads.agreements_by_ids(session, principal, [agreement_id])
            if agreement_id not in found:
                return not_found(request)
            purchase_id = found[agreement_id].purchase_id
            try:
                if which == "sent":
                    await signing.record_agreement_sent(
                        session, principal, agreement_id, _text(form, "sentOn")
                    )
                else:
                    await _sign(session, principal, agreement_id, form)
            except PermissionDenied:
                return not_allowed(request)
            except InputError as invalid:
                await session.rollback()
                if _not_found(invalid):
                    return not_found(request)
                fields = {"sentOn": "sentOn", "signedOn": "signedOn", "signedCopy": "signedCopy",
                          "signatories": "signatories"}  # fmt: skip
                for row in range(len(SIGNATORY_ROWS)):
                    fields[f"signatories.{row}.name"] = f"signatories.{row}.name"
                return await _refusal(
                    request, purchase_id, f"{which}-{agreement_id}", form, invalid, fields
                )
    return _back(purchase_id, agreement_id)


async def _sign(
    session: AsyncSession, principal: Principal, agreement_id: int, form: FormData
) -> Any:
    people = [
        signing.SignatoryInput(
            str(form.get(f"signatories.{row}.name") or ""), party,
            _text(form, f"signatories.{row}.title"),
        )
        for row, party in enumerate(SIGNATORY_ROWS)
        if _text(form, f"signatories.{row}.name") or _text(form, f"signatories.{row}.title")
    ]  # fmt: skip
    return await signing.record_agreement_signed(
        session, principal, agreement_id, _text(form, "signedOn"), people,
        await _file(form, "signedCopy"),
    )  # fmt: skip


async def record_sent(request: Request) -> Response:
    return await _agreement_step(request, "sent")


async def record_signed(request: Request) -> Response:
    return await _agreement_step(request, "signed")


async def record_check(request: Request) -> Response:
    obligation_id = number_param(request.path_params["obligation_id"])
    if obligation_id is None:
        return not_found(request)
    principal = person(request)
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
        async with request.app.state.sessions() as session:
            try:
                obligations = await agreement_reads.obligations_by_ids(
                    session, principal, [obligation_id]
                )
                if obligation_id not in obligations:
                    return not_found(request)
                agreement_id = obligations[obligation_id].agreement_id
                agreement = (
                    await agreement_reads.agreements_by_ids(session, principal, [agreement_id])
                )[agreement_id]
                purchase_id = agreement.purchase_id  # read now: a rollback expires the row
                data = supervision.SupervisionCheckInput(
                    obligation_id=obligation_id, result=str(form.get("result") or ""),
                    checked_on=_text(form, "checkedOn"), evidence=_text(form, "evidence"),
                    notes=_text(form, "notes"), attachment=await _file(form, "attachment"),
                    expected_version=number_param(_text(form, "version")),
                )  # fmt: skip
                await supervision.record_supervision_check(session, principal, data)
            except PermissionDenied:
                return not_allowed(request)
            except InputError as invalid:
                await session.rollback()
                if _not_found(invalid):
                    return not_found(request)
                fields = {k: k for k in ("result", "checkedOn", "evidence", "notes", "attachment")}
                return await _refusal(
                    request, purchase_id, f"check-{obligation_id}", form, invalid, fields
                )
    return _back(purchase_id, agreement_id)
