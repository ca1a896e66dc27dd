"""Restriction lists of suppliers (admin): kept as data with source and dates; every change
enqueues (in its transaction) the job that rescreens all active purchases, since vendors, their
parents and SBOM component suppliers are matched against every list by name.

``entries_by_list_ids`` lives in :mod:`procurement.screening.reads`; it is re-exported here only
because schema/loaders.py (being rewritten on another branch) still fetches it from this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.errors import ErrorCode, NotFound
from procurement.models import Job, RestrictionEntry, RestrictionList, Vendor
from procurement.permissions import Action, Principal, require
from procurement.screening.jobs import enqueue_rescreen
from procurement.screening.messages import ERRORS
from procurement.screening.reads import entries_by_list_ids as entries_by_list_ids
from procurement.screening.rules.vendor import normalise_party_name
from procurement.screening.store.restrictions import entries_of
from procurement.texts import Text
from procurement.validation import Checker


@dataclass(frozen=True, slots=True)
class RestrictionEntryInput:
    supplier_name: str
    reason: str
    listed_on: date | str
    vendor_id: int | None = None


@dataclass(frozen=True, slots=True)
class RestrictionListInput:
    name: str
    source: str
    published_on: date | str
    entries: Sequence[RestrictionEntryInput] = field(default_factory=tuple)
    id: int | None = None  # None creates a new list


def _entries_snapshot(entries: Sequence[RestrictionEntry]) -> list[dict[str, Any]]:
    return [audit.snapshot(e, exclude=frozenset({"id", "list_id"})) for e in entries]


async def update_restriction_list(
    session: AsyncSession, principal: Principal, data: RestrictionListInput
) -> tuple[RestrictionList, Job]:
    """Create a list or replace one's facts and all its entries; the returned job rescreens."""
    require(principal, Action.MANAGE_SCREENING)
    existing: RestrictionList | None = None
    if data.id is not None:
        existing = await session.get(RestrictionList, data.id)
        if existing is None:
            raise NotFound("id", "restriction list", data.id)
    check = Checker()
    name = check.text("name", data.name, max_len=200)
    source = check.text("source", data.source, max_len=2000)
    published_on = check.date_value("publishedOn", data.published_on)
    rows: list[RestrictionEntry] = []
    seen: set[str] = set()
    for i, entry in enumerate(data.entries):
        supplier = check.text(f"entries.{i}.supplierName", entry.supplier_name, max_len=200)
        reason = check.text(f"entries.{i}.reason", entry.reason, max_len=2000)
        listed_on = check.date_value(f"entries.{i}.listedOn", entry.listed_on)
        if supplier is not None:
            key = normalise_party_name(supplier)
            if key in seen:
                check.fail(
                    f"entries.{i}.supplierName",
                    Text("screening.error.listed_twice", {"name": supplier}),
                    ErrorCode.DUPLICATE,
                    ERRORS,
                )
            seen.add(key)
        if supplier and reason and listed_on:
            rows.append(
                RestrictionEntry(
                    vendor_id=entry.vendor_id,
                    supplier_name=supplier,
                    reason=reason,
                    listed_on=listed_on,
                )
            )
    vendor_ids = {e.vendor_id for e in data.entries if e.vendor_id is not None}
    if vendor_ids:
        found = set(await session.scalars(select(Vendor.id).where(Vendor.id.in_(vendor_ids))))
        for i, entry in enumerate(data.entries):
            if entry.vendor_id is not None and entry.vendor_id not in found:
                check.fail(
                    f"entries.{i}.vendorId",
                    Text("screening.error.vendor_not_found", {"id": entry.vendor_id}),
                    ErrorCode.NOT_FOUND,
                    ERRORS,
                )
    if name is not None:
        clash = await session.scalar(
            select(RestrictionList.id).where(
                RestrictionList.name == name,
                RestrictionList.id != (existing.id if existing else -1),
            )
        )
        if clash is not None:
            taken = Text("screening.error.list_name_taken", {"name": name})
            check.fail("name", taken, ErrorCode.DUPLICATE, ERRORS)
    check.done()
    assert name is not None and source is not None and published_on is not None

    before = None
    if existing is not None:
        old_entries = await entries_of(session, existing.id)
        before = audit.snapshot(existing) | {"entries": _entries_snapshot(old_entries)}
        await session.execute(
            delete(RestrictionEntry).where(RestrictionEntry.list_id == existing.id)
        )
        existing.name, existing.source, existing.published_on = name, source, published_on
        target = existing
    else:
        target = RestrictionList(name=name, source=source, published_on=published_on)
        session.add(target)
    await session.flush()
    for row in rows:
        row.list_id = target.id
        session.add(row)
    await session.flush()
    audit.record(
        session,
        principal,
        "restriction_list.updated" if existing else "restriction_list.created",
        "RestrictionList",
        target.id,
        before=before,
        after=audit.snapshot(target) | {"entries": _entries_snapshot(rows)},
    )
    job = await enqueue_rescreen(session, principal, "restriction_list.updated")
    await session.commit()
    return target, job
