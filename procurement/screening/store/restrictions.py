"""Session helpers for restriction lists: never commit, never check permission."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import RestrictionEntry


async def entries_of(session: AsyncSession, list_id: int) -> list[RestrictionEntry]:
    """Every entry of one list, in the order stored (unscoped: restriction lists are global)."""
    return list(
        await session.scalars(
            select(RestrictionEntry)
            .where(RestrictionEntry.list_id == list_id)
            .order_by(RestrictionEntry.id)
        )
    )
