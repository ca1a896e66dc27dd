"""Agreement read paths: batched look-ups for the DataLoaders, downloads, and the purchases that
have no signed agreement (the Art. 39(9) exposure's input).

Every read is scoped by :mod:`procurement.permissions`; vendors see their purchases' agreements
once sent, and none of the internal rows (obligations, checks, templates).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements.lifecycle import AgreementState
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


async def signed_agreement_purchase_ids(
    session: AsyncSession, purchase_ids: Iterable[int]
) -> set[int]:
    """Which of these purchases have a signed agreement in force. Unscoped: for domain code
    (the exposure calculator) that has already scoped the purchases it asks about."""
    ids = sorted(set(purchase_ids))
    if not ids:
        return set()
    rows = await session.scalars(
        select(Agreement.purchase_id)
        .where(Agreement.purchase_id.in_(ids), Agreement.state == AgreementState.SIGNED)
        .distinct()
    )
    return set(rows)


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
