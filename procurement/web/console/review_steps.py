"""A review case's next steps, posted from its page: each form goes to one of the reviews
``actions`` (permission, validation, the state machine, history and audit, one commit). The
form carries the case version it was made from, so a step taken on a stale page is refused as
a conflict; a step the case's state does not allow is refused by the state machine. Either way
the case page is shown again with the message, and nothing changed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from procurement.concurrency import check_expected_version
from procurement.errors import ErrorCode, InputError, PermissionDenied
from procurement.permissions import Principal
from procurement.reviews import reads as review_reads
from procurement.reviews.actions import cases, notes
from procurement.reviews.decisions import OfficeDecision, ReviewOutcome, TriageDecision
from procurement.web.auth import csrf_presented_ok
from procurement.web.console.common import (
    field_errors,
    gettext,
    not_allowed,
    not_found,
    number_param,
    page,
    person,
)
from procurement.web.console.reviews import case_context
from procurement.web.signin_routes import refused

Step = Callable[[AsyncSession, Principal, int, FormData, Request], Awaitable[Any]]


def _text(form: FormData, name: str) -> str | None:
    text = str(form.get(name) or "").strip()
    return text or None


def _account(form: FormData) -> int | None:
    """The chosen reviewer's account; "Nobody" (empty) unassigns. A value that is no id is
    passed on as 0, which names no account, so the action refuses it as not a reviewer."""
    text = _text(form, "account")
    return None if text is None else (number_param(text) or 0)


async def _attach(s: AsyncSession, p: Principal, case_id: int, f: FormData, r: Request) -> Any:
    limit: int = r.app.state.settings.max_upload_bytes
    upload = f.get("file")
    # One byte past the limit is enough for the action to refuse the file as too large.
    content = await upload.read(limit + 1) if isinstance(upload, UploadFile) else b""
    name = upload.filename if isinstance(upload, UploadFile) and upload.filename else ""
    return await notes.attach_declaration_material(
        s, p, case_id, str(f.get("material") or ""), name, content, max_bytes=limit
    )


def _office(decision: OfficeDecision) -> Step:
    async def step(s: AsyncSession, p: Principal, case_id: int, f: FormData, _r: Request) -> Any:
        complex = (f.get("complex") == "on") if decision is OfficeDecision.REVIEW_STARTED else None
        return await cases.record_office_decision(
            s, p, case_id, decision, _text(f, "on"), complex, _text(f, "note")
        )

    return step


def _outcome(outcome: ReviewOutcome) -> Step:
    async def step(s: AsyncSession, p: Principal, case_id: int, f: FormData, _r: Request) -> Any:
        return await cases.record_review_outcome(
            s, p, case_id, outcome, _text(f, "on"), _text(f, "note")
        )

    return step


def _triage(decision: TriageDecision) -> Step:
    async def step(s: AsyncSession, p: Principal, case_id: int, f: FormData, _r: Request) -> Any:
        return await cases.triage_review(
            s, p, case_id, decision, _text(f, "justification"), _text(f, "on")
        )

    return step


STEPS: dict[str, Step] = {
    "not-required": _triage(TriageDecision.NOT_REQUIRED),
    "prepare": _triage(TriageDecision.DECLARATION_REQUIRED),
    "attach": _attach,
    "declare": lambda s, p, c, f, _r: cases.record_declaration(s, p, c, _text(f, "on")),
    "no-review": _office(OfficeDecision.NO_REVIEW_NEEDED),
    "start-review": _office(OfficeDecision.REVIEW_STARTED),
    "complex": _office(OfficeDecision.MARKED_COMPLEX),
    "special-review": _office(OfficeDecision.SPECIAL_REVIEW_STARTED),
    "materials-requested": lambda s, p, c, f, _r: cases.request_supplementary_materials(
        s, p, c, _text(f, "on"), _text(f, "note")
    ),
    "materials-received": lambda s, p, c, f, _r: cases.record_supplementary_materials_received(
        s, p, c, _text(f, "on"), _text(f, "note")
    ),
    "passed": _outcome(ReviewOutcome.PASSED),
    "failed": _outcome(ReviewOutcome.FAILED),
    "comment": lambda s, p, c, f, _r: notes.comment_on_review(s, p, c, str(f.get("text") or "")),
    # Assignment names the person's account (a person signed in has no API token).
    "assign-me": lambda s, p, c, _f, _r: notes.assign_reviewer(
        s, p, c, reviewer_account_id=p.account_id
    ),
    "assign": lambda s, p, c, f, _r: notes.assign_reviewer(
        s, p, c, reviewer_account_id=_account(f)
    ),
}


async def _refusal(
    request: Request, case_id: int, step: str, form: FormData, errors: InputError
) -> Response:
    """The case page again, with what was refused and why, and what was typed kept."""
    context = await case_context(request, case_id)
    if context is None:
        return not_found(request)
    _ = gettext(request)
    _placed, problems = field_errors(request, errors.errors, {})
    conflict = any(e.code in (ErrorCode.CONFLICT, ErrorCode.INVALID_STATE) for e in errors.errors)
    if conflict:
        problems.insert(
            0,
            _(
                "This step is no longer possible: the case changed after you opened it, or the "
                "step does not fit its state. Nothing was saved."
            ),
        )
    values = {k: str(v) for k, v in form.items() if k not in ("csrf", "file")}
    context |= {"problems": problems, "form": values, "failed_step": step}
    return page(request, "console/review_case.html", context, status_code=409 if conflict else 422)


async def take_step(request: Request) -> Response:
    case_id = number_param(request.path_params["case_id"])
    step = STEPS.get(request.path_params["step"])
    if case_id is None or step is None:
        return not_found(request)
    async with request.form() as form:  # closes an uploaded file's spool when done
        return await _take_step(request, case_id, step, form)


async def _take_step(request: Request, case_id: int, step: Step, form: FormData) -> Response:
    if not csrf_presented_ok(request, str(form.get("csrf") or "")):
        return refused(request)
    principal = person(request)
    async with request.app.state.sessions() as session:
        try:
            shown = (await review_reads.cases_by_ids(session, principal, [case_id])).get(case_id)
            if shown is None:
                return not_found(request)
            check_expected_version(
                "review case", shown.version, number_param(_text(form, "version")), "version"
            )
            await step(session, principal, case_id, form, request)
        except PermissionDenied:
            return not_allowed(request)
        except InputError as invalid:
            await session.rollback()
            if any(e.field == "id" for e in invalid.errors):
                return not_found(request)
            return await _refusal(request, case_id, request.path_params["step"], form, invalid)
    return RedirectResponse(f"/console/reviews/{case_id}#timeline", status_code=303)
