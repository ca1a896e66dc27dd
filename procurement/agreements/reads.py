"""Agreement read paths: batched look-ups for the DataLoaders, downloads, template versions, the
obligations due (Art. 20 supervision) and the purchases that have no signed agreement (the
Art. 39(9) exposure's input).

Every read is scoped by :mod:`procurement.permissions`; vendors see their purchases' agreements
once sent, and none of the internal rows (obligations, checks, templates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements.lifecycle import AgreementState, CheckResult
from procurement.agreements.supervision import CheckFact, DueState, due_state
from procurement.clock import today_in_china
from procurement.enums import PurchaseStatus
from procurement.files import DOCX_TYPE
from procurement.models import (
    Agreement,
    AgreementObligation,
    AgreementTemplate,
    Purchase,
    SupervisionCheck,
)
from procurement.paging import Page, keyset_page
from procurement.permissions import (
    Action,
    Principal,
    require,
    scope_agreement_templates,
    scope_agreements,
    scope_purchases,
)


def pair_root(agreement: Agreement) -> int:
    """The id shared by the language versions of one agreement (the version generated first)."""
    return agreement.language_version_of_id or agreement.id


@dataclass(frozen=True, slots=True)
class StoredFile:
    data: bytes
    file_name: str
    content_type: str
    sha256: str


def has_signed_agreement() -> ColumnElement[bool]:
    """SQL condition "this purchase has a SIGNED agreement", for use in any purchase query."""
    return exists().where(
        Agreement.purchase_id == Purchase.id, Agreement.state == AgreementState.SIGNED
    )


async def purchases_without_agreement(
    session: AsyncSession,
    principal: Principal,
    operator_id: int | None,
    after_id: int | None,
    limit: int,
) -> Page[Purchase]:
    """Active purchases with no SIGNED agreement (drafts, sent, terminated or none at all)."""
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = scope_purchases(select(Purchase), principal).where(
        Purchase.status == PurchaseStatus.ACTIVE, ~has_signed_agreement()
    )
    if operator_id is not None:
        stmt = stmt.where(Purchase.operator_id == operator_id)
    return await keyset_page(session, stmt, Purchase.id, after_id, limit)


# --- batched look-ups for DataLoaders: one IN query per batch, scoped, keyed by id ---


async def agreements_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, Agreement]:
    require(principal, Action.READ_AGREEMENTS)
    stmt = scope_agreements(select(Agreement).where(Agreement.id.in_(ids)), principal)
    return {row.id: row for row in await session.scalars(stmt)}


async def agreements_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int]
) -> dict[int, list[Agreement]]:
    require(principal, Action.READ_AGREEMENTS)
    stmt = scope_agreements(
        select(Agreement).where(Agreement.purchase_id.in_(purchase_ids)), principal
    ).order_by(Agreement.id)
    out: dict[int, list[Agreement]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.purchase_id, []).append(row)
    return out


def _visible_agreement_ids(principal: Principal) -> Any:
    return scope_agreements(select(Agreement.id), principal)


async def obligations_by_agreement_ids(
    session: AsyncSession, principal: Principal, agreement_ids: Sequence[int]
) -> dict[int, list[AgreementObligation]]:
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = (
        select(AgreementObligation)
        .where(
            AgreementObligation.agreement_id.in_(agreement_ids),
            AgreementObligation.agreement_id.in_(_visible_agreement_ids(principal)),
        )
        .order_by(AgreementObligation.agreement_id, AgreementObligation.position)
    )
    out: dict[int, list[AgreementObligation]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.agreement_id, []).append(row)
    return out


async def obligations_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, AgreementObligation]:
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = select(AgreementObligation).where(
        AgreementObligation.id.in_(ids),
        AgreementObligation.agreement_id.in_(_visible_agreement_ids(principal)),
    )
    return {row.id: row for row in await session.scalars(stmt)}


def _visible_obligation_ids(principal: Principal) -> Any:
    return select(AgreementObligation.id).where(
        AgreementObligation.agreement_id.in_(_visible_agreement_ids(principal))
    )


async def checks_by_obligation_ids(
    session: AsyncSession, principal: Principal, obligation_ids: Sequence[int]
) -> dict[int, list[SupervisionCheck]]:
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = (
        select(SupervisionCheck)
        .where(
            SupervisionCheck.obligation_id.in_(obligation_ids),
            SupervisionCheck.obligation_id.in_(_visible_obligation_ids(principal)),
        )
        .order_by(SupervisionCheck.checked_on, SupervisionCheck.id)
    )
    out: dict[int, list[SupervisionCheck]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.obligation_id, []).append(row)
    return out


async def checks_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, SupervisionCheck]:
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = select(SupervisionCheck).where(
        SupervisionCheck.id.in_(ids),
        SupervisionCheck.obligation_id.in_(_visible_obligation_ids(principal)),
    )
    return {row.id: row for row in await session.scalars(stmt)}


async def templates_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, AgreementTemplate]:
    require(principal, Action.READ_AGREEMENT_TEMPLATES)
    stmt = scope_agreement_templates(
        select(AgreementTemplate).where(AgreementTemplate.id.in_(ids)), principal
    )
    return {row.id: row for row in await session.scalars(stmt)}


# --- downloads ---

FileKind = Literal["document", "signed-copy"]


async def agreement_file(
    session: AsyncSession, principal: Principal, agreement_id: int, kind: FileKind
) -> StoredFile | None:
    """The generated document or the signed copy; None when missing or not the caller's."""
    require(principal, Action.READ_AGREEMENTS)
    if kind == "document":
        columns: tuple[Any, ...] = (
            Agreement.document,
            Agreement.document_file_name,
            Agreement.document_sha256,
        )
    else:
        columns = (
            Agreement.signed_copy,
            Agreement.signed_copy_file_name,
            Agreement.signed_copy_sha256,
            Agreement.signed_copy_content_type,
        )
    stmt = scope_agreements(select(*columns).where(Agreement.id == agreement_id), principal)
    row = (await session.execute(stmt)).first()
    if row is None or row[0] is None:
        return None
    content_type = DOCX_TYPE if kind == "document" else row[3]
    return StoredFile(data=row[0], file_name=row[1], content_type=content_type, sha256=row[2])


async def check_attachment(
    session: AsyncSession, principal: Principal, check_id: int
) -> StoredFile | None:
    require(principal, Action.READ_INTERNAL_FIELDS)
    stmt = select(
        SupervisionCheck.attachment,
        SupervisionCheck.attachment_file_name,
        SupervisionCheck.attachment_sha256,
        SupervisionCheck.attachment_content_type,
    ).where(
        SupervisionCheck.id == check_id,
        SupervisionCheck.obligation_id.in_(_visible_obligation_ids(principal)),
    )
    row = (await session.execute(stmt)).first()
    if row is None or row[0] is None:
        return None
    return StoredFile(
        data=row[0], file_name=str(row[1]), content_type=str(row[3]), sha256=str(row[2])
    )


# --- lists ---


async def list_agreement_templates(
    session: AsyncSession,
    principal: Principal,
    after_id: int | None,
    limit: int,
    template_id: str | None = None,
    language: str | None = None,
) -> Page[AgreementTemplate]:
    require(principal, Action.READ_AGREEMENT_TEMPLATES)
    stmt = scope_agreement_templates(select(AgreementTemplate), principal)
    if template_id is not None:
        stmt = stmt.where(AgreementTemplate.template_id == template_id)
    if language is not None:
        stmt = stmt.where(AgreementTemplate.language == language)
    return await keyset_page(session, stmt, AgreementTemplate.id, after_id, limit)


@dataclass(frozen=True, slots=True)
class ObligationsDueFilter:
    as_of: date | None = None  # today (in China) when not given
    operator_id: int | None = None
    purchase_id: int | None = None
    overdue: bool | None = None  # only overdue (True) or only not overdue (False)
    failed: bool | None = None


@dataclass(frozen=True, slots=True)
class ObligationDue:
    """An obligation that is overdue or failed on ``as_of``, and why."""

    id: int  # the obligation's id (also the page cursor)
    obligation: AgreementObligation
    as_of: date
    state: DueState


async def obligations_due(
    session: AsyncSession,
    principal: Principal,
    filter: ObligationsDueFilter,
    after_id: int | None,
    limit: int,
) -> Page[ObligationDue]:
    """Obligations of agreements in force that are overdue or failed on ``as_of``."""
    require(principal, Action.READ_INTERNAL_FIELDS)
    as_of = filter.as_of or today_in_china()
    not_met = exists().where(
        SupervisionCheck.obligation_id == AgreementObligation.id,
        SupervisionCheck.result == CheckResult.NOT_MET,
        SupervisionCheck.checked_on <= as_of,
    )
    stmt = scope_agreements(
        select(AgreementObligation)
        .join(Agreement, Agreement.id == AgreementObligation.agreement_id)
        .join(Purchase, Purchase.id == Agreement.purchase_id)
        .where(
            Agreement.state == AgreementState.SIGNED,
            # A cheap superset in SQL; due_state() decides exactly below.
            or_(
                and_(AgreementObligation.due_on.is_not(None), AgreementObligation.due_on < as_of),
                not_met,
            ),
        ),
        principal,
    )
    if filter.operator_id is not None:
        stmt = stmt.where(Purchase.operator_id == filter.operator_id)
    if filter.purchase_id is not None:
        stmt = stmt.where(Agreement.purchase_id == filter.purchase_id)
    candidates = list(await session.scalars(stmt.order_by(AgreementObligation.id)))
    checks: dict[int, list[CheckFact]] = {}
    if candidates:
        rows = await session.execute(
            select(
                SupervisionCheck.id,
                SupervisionCheck.obligation_id,
                SupervisionCheck.checked_on,
                SupervisionCheck.result,
            ).where(
                SupervisionCheck.obligation_id.in_([o.id for o in candidates]),
                SupervisionCheck.checked_on <= as_of,
            )
        )
        for check_id, obligation_id, checked_on, result in rows:
            checks.setdefault(obligation_id, []).append(
                CheckFact(check_id, checked_on, result is CheckResult.MET)
            )
    due: list[ObligationDue] = []
    for ob in candidates:
        state = due_state(ob.recurrence, ob.due_on, ob.until_on, checks.get(ob.id, []), as_of)
        if state is None:
            continue
        if filter.overdue is not None and state.overdue != filter.overdue:
            continue
        if filter.failed is not None and state.failed != filter.failed:
            continue
        due.append(ObligationDue(ob.id, ob, as_of, state))
    start = [d for d in due if after_id is None or d.id > after_id]
    return Page(items=start[:limit], has_next=len(start) > limit, total_count=len(due))


async def agreements_to_sign(
    session: AsyncSession, principal: Principal, limit: int
) -> list[Agreement]:
    """Agreements sent for signature and not yet signed, oldest sending first (a vendor sees
    the ones sent to it)."""
    require(principal, Action.READ_AGREEMENTS)
    stmt = scope_agreements(select(Agreement), principal).where(
        Agreement.state == AgreementState.SENT
    )
    return list(await session.scalars(stmt.order_by(Agreement.sent_on, Agreement.id).limit(limit)))
