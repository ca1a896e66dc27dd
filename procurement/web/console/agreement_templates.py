"""Legal's agreement templates: every stored version (never changed once stored, so an old
agreement can be audited against the version it was rendered from) and the upload of a new
version through the templates action, which checks the .docx before storing it."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from procurement.agreements import reads as agreement_reads
from procurement.agreements.actions import templates as template_actions
from procurement.agreements.render import MAX_TEMPLATE_BYTES
from procurement.errors import ErrorCode, InputError, PermissionDenied
from procurement.files import UploadedFile
from procurement.permissions import Action, can
from procurement.web.auth import csrf_presented_ok
from procurement.web.console.common import field_errors, not_allowed, page, person
from procurement.web.signin_routes import refused

SHOWN = 200  # versions listed; a handful per template and language in practice
FIELDS = {k: k for k in ("templateId", "language", "title", "notes", "file")}


async def _templates_page(
    request: Request,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    principal = person(request)
    if not can(principal, Action.READ_AGREEMENT_TEMPLATES):
        return not_allowed(request)
    async with request.app.state.sessions() as session:
        found = await agreement_reads.list_agreement_templates(session, principal, None, SHOWN)
    versions = sorted(found.items, key=lambda t: (t.template_id, t.language, -t.version))
    return page(
        request,
        "console/agreement_templates.html",
        {
            "versions": versions, "may_upload": can(principal, Action.MANAGE_AGREEMENT_TEMPLATES),
            "form": dict(form or {"templateId": template_actions.DEFAULT_TEMPLATE_ID,
                                  "language": "zh"}),
            "errors": errors or {}, "general": general or [],
        },
        status_code=status,
    )  # fmt: skip


async def template_versions(request: Request) -> Response:
    return await _templates_page(request)


async def upload_template(request: Request) -> Response:
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
        upload = form.get("file")
        file = None
        if upload is not None and not isinstance(upload, str) and upload.filename:
            # One byte past the limit: the check refuses it as too large.
            content = await upload.read(MAX_TEMPLATE_BYTES + 1)
            file = UploadedFile(upload.filename, upload.content_type, content)
        data = template_actions.TemplateUploadInput(
            template_id=str(form.get("templateId") or "").strip(),
            language=str(form.get("language") or ""),
            file=file,
            title=str(form.get("title") or "").strip() or None,
            notes=str(form.get("notes") or "").strip() or None,
        )
        values = {k: str(v) for k, v in form.items() if k != "csrf" and isinstance(v, str)}
        async with request.app.state.sessions() as session:
            try:
                await template_actions.upload_agreement_template(session, person(request), data)
            except PermissionDenied:
                return not_allowed(request)
            except InputError as invalid:
                placed, general = field_errors(request, invalid.errors, FIELDS)
                conflict = any(e.code is ErrorCode.CONFLICT for e in invalid.errors)
                return await _templates_page(
                    request, values, placed, general, 409 if conflict else 422
                )
    return RedirectResponse("/console/agreement-templates", status_code=303)
