"""One entry at a time (the console's add and remove buttons): a restriction list changes only as
a whole (:func:`update_restriction_list`, which checks every entry, audits and enqueues the
rescreen), so these read the list's current entries, under a row lock where the database has one,
and hand the whole list with one entry more or less to it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.errors import ErrorCode, InputError, NotFound
from procurement.models import Job, RestrictionEntry, RestrictionList
from procurement.permissions import Action, Principal, require
from procurement.screening.actions.restrictions import (
    RestrictionEntryInput,
    RestrictionListInput,
    update_restriction_list,
)
from procurement.screening.messages import said
from procurement.screening.rules.vendor import normalise_party_name
from procurement.screening.store.restrictions import entries_of
from procurement.texts import Text


async def _locked_list(
    session: AsyncSession, list_id: int
) -> tuple[RestrictionList, list[RestrictionEntry]]:
    # FOR UPDATE: two admins adding at once on PostgreSQL each see the other's entry.
    found = await session.scalar(
        select(RestrictionList).where(RestrictionList.id == list_id).with_for_update()
    )
    if found is None:
        raise NotFound("listId", "restriction list", list_id)
    return found, await entries_of(session, list_id)


def _as_input(entry: RestrictionEntry) -> RestrictionEntryInput:
    return RestrictionEntryInput(
        entry.supplier_name, entry.reason, entry.listed_on, entry.vendor_id
    )


async def add_restriction_entry(
    session: AsyncSession, principal: Principal, list_id: int, entry: RestrictionEntryInput
) -> tuple[RestrictionList, Job]:
    """Add ``entry`` to the list; its problems are reported as ``entry.<field>``."""
    require(principal, Action.MANAGE_SCREENING)
    found, entries = await _locked_list(session, list_id)
    data = RestrictionListInput(
        found.name,
        found.source,
        found.published_on,
        [*map(_as_input, entries), entry],
        id=found.id,
    )
    new = f"entries.{len(entries)}."
    try:
        return await update_restriction_list(session, principal, data)
    except InputError as error:
        raise InputError(
            [
                type(e)(e.field.replace(new, "entry.", 1), e.message, e.code)
                if e.field and e.field.startswith(new)
                else e
                for e in error.errors
            ]
        ) from None


async def remove_restriction_entry(
    session: AsyncSession, principal: Principal, list_id: int, supplier_name: str
) -> tuple[RestrictionList, Job]:
    """Remove the entry naming ``supplier_name`` (names are unique in a list, as the list's
    check compares them; entry ids are not kept when a list is stored). One already gone
    (someone else removed it) is a CONFLICT."""
    require(principal, Action.MANAGE_SCREENING)
    found, entries = await _locked_list(session, list_id)
    key = normalise_party_name(supplier_name)
    kept = [e for e in entries if normalise_party_name(e.supplier_name) != key]
    if len(kept) == len(entries):
        gone = Text("screening.error.entry_gone", {"name": supplier_name, "list": found.name})
        raise InputError([said("supplierName", gone, ErrorCode.CONFLICT)])
    data = RestrictionListInput(
        found.name, found.source, found.published_on, [*map(_as_input, kept)], id=found.id
    )
    return await update_restriction_list(session, principal, data)
