"""Review case work that does not move the state: assigning a reviewer, comments, and the
Art. 8 declaration attachments (reviewers and admins of the case's operator). Each is history and
an audit event in the same transaction, committed once."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.concurrency import refuse_concurrent_change
from procurement.enums import Role
from procurement.errors import ErrorCode, InputError
from procurement.models import Account, ApiToken, ReviewAttachment, ReviewCase
from procurement.permissions import Action, Principal, require
from procurement.reviews import FINAL_STATES
from procurement.reviews.declaration import DeclarationMaterial
from procurement.reviews.messages import ERRORS, said
from procurement.reviews.messages import state as case_state
from procurement.reviews.store import (
    EventKind,
    add_event,
    audit_case,
    case_snapshot,
    load_case_for_change,
)
from procurement.texts import Text
from procurement.validation import Checker

MAX_NOTE = 5000


def _eligible(role: Role, operator_id: int | None, case: ReviewCase) -> bool:
    """Admins, or reviewers of the case's operator."""
    return role is Role.ADMIN or (role is Role.REVIEWER and operator_id == case.operator_id)


async def _assignee(
    session: AsyncSession, case: ReviewCase, token_id: int | None, account_id: int | None
) -> tuple[int | None, int | None, str | None]:
    """The (token id, account id, name) the case is to be assigned to; all None unassigns.

    A person's token names its account too, so "assigned to me" finds the case whether that
    person asks through the token or signed in to the console; a machine's token (no account)
    is a token assignment only."""
    if token_id is not None and account_id is not None:
        raise InputError([said("reviewerAccountId", Text("reviews.assign.both", {}))])
    if token_id is not None:
        token = await session.get(ApiToken, token_id)
        if token is None or token.revoked_at is not None:
            token = None
        if token is None or not _eligible(token.role, token.operator_id, case):
            not_one = Text("reviews.assign.token", {"id": token_id})
            raise InputError([said("reviewerTokenId", not_one)])
        # A person's token names the person (as the console shows them), a machine's itself.
        person = None if token.account_id is None else await session.get(Account, token.account_id)
        return token.id, token.account_id, person.name if person is not None else token.name
    if account_id is not None:
        account = await session.get(Account, account_id)
        if account is None or account.disabled_at is not None:
            account = None
        if account is None or not _eligible(account.role, account.operator_id, case):
            not_one = Text("reviews.assign.account", {"id": account_id})
            raise InputError([said("reviewerAccountId", not_one)])
        return None, account.id, account.name
    return None, None, None


@refuse_concurrent_change("review case", "case_id", ReviewCase.state, ReviewCase.id)
async def assign_reviewer(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    reviewer_token_id: int | None = None,
    reviewer_account_id: int | None = None,
) -> ReviewCase:
    """Assign the case to a reviewer of its operator (or an admin), named by account or (the
    older way, for machines) by API token; neither unassigns."""
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    if case.state in FINAL_STATES:
        closed = Text("reviews.case.closed", {"state": case_state(case.state)})
        raise InputError([said(None, closed, ErrorCode.INVALID_STATE)])
    token_id, account_id, name = await _assignee(
        session, case, reviewer_token_id, reviewer_account_id
    )
    before = case_snapshot(case)
    case.assigned_token_id, case.assigned_account_id, case.assigned_name = (
        token_id,
        account_id,
        name,
    )
    await session.flush()
    add_event(
        session,
        case,
        principal,
        EventKind.ASSIGNED,
        note=f"assigned to {name}" if name else "unassigned",
        details={"token_id": token_id, "account_id": account_id, "name": name},
    )
    audit.record(
        session,
        principal,
        "review_case.assigned",
        "ReviewCase",
        case.id,
        operator_id=case.operator_id,
        before=before,
        after=case_snapshot(case),
    )
    await session.commit()
    return case


async def comment_on_review(
    session: AsyncSession, principal: Principal, case_id: int, text: str
) -> ReviewCase:
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    check = Checker()
    comment = check.text("text", text, max_len=MAX_NOTE)
    check.done()
    add_event(session, case, principal, EventKind.COMMENT, note=comment)
    audit_case(session, principal, "review_case.commented", case, comment=comment)
    await session.commit()
    return case


async def attach_declaration_material(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    material: DeclarationMaterial | str,
    file_name: str,
    content: bytes,
    *,
    max_bytes: int,
) -> ReviewAttachment:
    """Attach a file to an Art. 8 checklist item; the same file twice for one item is refused."""
    require(principal, Action.MANAGE_REVIEWS)
    case = await load_case_for_change(session, principal, case_id)
    check = Checker()
    item = check.enum("material", material, DeclarationMaterial)
    name = check.text("fileName", file_name, max_len=255)
    if not content:
        check.fail("content", Text("reviews.attachment.empty", {}), ErrorCode.REQUIRED, ERRORS)
    elif len(content) > max_bytes:
        too_large = Text("reviews.attachment.too_large", {"max": max_bytes})
        check.fail("content", too_large, ErrorCode.TOO_LARGE, ERRORS)
    if case.state in FINAL_STATES:
        closed = Text("reviews.case.closed", {"state": case_state(case.state)})
        check.fail(None, closed, ErrorCode.INVALID_STATE, ERRORS)
    digest = hashlib.sha256(content).hexdigest()
    if item is not None and await session.scalar(
        select(ReviewAttachment.id).where(
            ReviewAttachment.case_id == case.id,
            ReviewAttachment.material == item,
            ReviewAttachment.sha256 == digest,
        )
    ):
        twice = Text(
            "reviews.attachment.duplicate", {"material": Text(f"reviews.material.{item}", {})}
        )
        check.fail("content", twice, ErrorCode.DUPLICATE, ERRORS)
    check.done()
    assert item is not None and name is not None
    attachment = ReviewAttachment(
        case_id=case.id,
        material=item,
        file_name=name,
        size_bytes=len(content),
        sha256=digest,
        content=content,
        uploaded_by=principal.name,
        uploaded_by_token_id=principal.token_id,
    )
    session.add(attachment)
    await session.flush()
    details = {
        "material": item.value,
        "file_name": name,
        "sha256": digest,
        "size_bytes": len(content),
    }
    add_event(
        session, case, principal, EventKind.ATTACHMENT, note=f"{item}: {name}", details=details
    )
    audit_case(session, principal, "review_case.attachment_added", case, **details)
    await session.commit()
    return attachment
