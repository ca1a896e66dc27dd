"""Helpers the agreement actions share: scoped loads, audit views, and unscoped look-ups for
domain code that has scoped its purchases already. They never commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.agreements.lifecycle import AgreementState
from procurement.errors import NotFound
from procurement.models import Agreement, Purchase
from procurement.permissions import Principal, scope_agreements, scope_purchases

# Documents are too large for an audit event; the row version is bookkeeping, not a fact.
_BLOBS = frozenset({"document", "signed_copy", "context_snapshot", "version"})


async def purchase_for_update(
    session: AsyncSession, principal: Principal, purchase_id: int, field: str
) -> Purchase:
    """The purchase, locked until commit (PostgreSQL) so two agreement changes for one purchase
    run one after the other; NotFound when missing or not the caller's."""
    stmt = scope_purchases(select(Purchase).where(Purchase.id == purchase_id), principal)
    purchase: Purchase | None = await session.scalar(stmt.with_for_update())
    if purchase is None:
        raise NotFound(field, "purchase", purchase_id)
    return purchase


async def operator_of(session: AsyncSession, purchase_id: int) -> int | None:
    """The operator a purchase belongs to: the scope of an agreement's audit events."""
    operator_id: int | None = await session.scalar(
        select(Purchase.operator_id).where(Purchase.id == purchase_id)
    )
    return operator_id


async def agreement_for_change(
    session: AsyncSession, principal: Principal, agreement_id: int
) -> Agreement:
    """The agreement (its purchase locked first), or NotFound when the caller may not see it."""
    stmt = scope_agreements(
        select(Agreement.purchase_id).where(Agreement.id == agreement_id), principal
    )
    purchase_id = await session.scalar(stmt)
    if purchase_id is None:
        raise NotFound("id", "agreement", agreement_id)
    await purchase_for_update(session, principal, purchase_id, "id")
    agreement = await session.get(Agreement, agreement_id, populate_existing=True)
    assert agreement is not None
    return agreement


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    """Audit view: every column but the documents (their digests identify them)."""
    return audit.snapshot(agreement, exclude=_BLOBS)


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
