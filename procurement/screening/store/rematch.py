"""Matching stored SBOM components again after advisories changed, and rescreening only the
purchases whose matched vulnerabilities changed (CII Regulations Art. 19).

For every advisory marked ``rematch_pending``, the components of current SBOM versions of active
purchases whose package identity the advisory names (before or after the change) are matched
against the version the screening last saw (``matched_data``; nothing for a new record) and
against the stored one. A purchase is rescreened when the two sets of matches differ: another
component version, severity or alias (a withdrawn record matches nothing). A purchase none of
whose components is touched is not screened at all. Never commits, never checks permission.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseStatus
from procurement.models import (
    AdvisoryPackage,
    AdvisoryRecord,
    Purchase,
    Sbom,
    SbomComponent,
    SbomVersion,
)
from procurement.permissions import Principal
from procurement.screening import Advisory, ComponentRef, parse_osv
from procurement.screening.ecosystems import IdentityKey, identity_key
from procurement.screening.store.rescreen import RescreenSummary, rescreen_purchases
from procurement.screening.vulnerabilities import match_advisories

CHUNK = 500  # ids per IN list
_SEPARATORS = re.compile(r"[-_.]+")
MAX_NAMES_IN_SQL = 2000


@dataclass
class RematchSummary:
    advisories: int = 0  # changed advisories re-matched
    components: int = 0  # stored components (purchase, component) matched again
    purchases: int = 0  # purchases whose matched vulnerabilities changed
    rescreen: RescreenSummary = field(default_factory=RescreenSummary)


def _identities(advisory: Advisory | None) -> set[IdentityKey]:
    if advisory is None:
        return set()
    return {p.identity for p in advisory.affected if p.identity is not None}


async def _pending_ids(session: AsyncSession) -> list[int]:
    stmt = select(AdvisoryRecord.id).where(AdvisoryRecord.rematch_pending.is_(True))
    return sorted(await session.scalars(stmt))


async def has_pending(session: AsyncSession) -> bool:
    """Whether some advisory waits to be matched again (changed since its last match)."""
    stmt = select(AdvisoryRecord.id).where(AdvisoryRecord.rematch_pending.is_(True)).limit(1)
    return await session.scalar(stmt) is not None


async def _touched(
    session: AsyncSession, pending: Sequence[int]
) -> tuple[dict[int, set[IdentityKey]], dict[int, Advisory]]:
    """Identities each pending advisory names now (stored packages) or named before (parsed from
    ``matched_data``), and the parsed earlier versions."""
    names: dict[int, set[IdentityKey]] = defaultdict(set)
    before: dict[int, Advisory] = {}
    for start in range(0, len(pending), CHUNK):
        chunk = list(pending[start : start + CHUNK])
        for adv_id, ptype, ns, name in await session.execute(
            select(
                AdvisoryPackage.advisory_id,
                AdvisoryPackage.purl_type,
                AdvisoryPackage.namespace,
                AdvisoryPackage.name,
            ).where(AdvisoryPackage.advisory_id.in_(chunk))
        ):
            names[adv_id].add((ptype, ns, name))
        for adv_id, data in await session.execute(
            select(AdvisoryRecord.id, AdvisoryRecord.matched_data).where(
                AdvisoryRecord.id.in_(chunk), AdvisoryRecord.matched_data.is_not(None)
            )
        ):
            before[adv_id] = parse_osv(data)  # validated when it was imported
            names[adv_id] |= _identities(before[adv_id])
    return names, before


def _fold(name: str) -> str:
    """Case and separators folded: equal for every spelling identity_key maps to one name."""
    return _SEPARATORS.sub("-", name.lower())


def _name_filters(folded: set[str]) -> list[ColumnElement[bool] | None]:
    """SQL conditions that together select every stored name whose fold is in ``folded``
    (and a few more): case and single separators folded in SQL, names with runs of separators
    ("a__b") always let through. A long list is not worth it: one pass over all rows instead.
    SQLite's lower() folds ASCII only; package names of the ecosystems mapped here are ASCII."""
    if len(folded) > MAX_NAMES_IN_SQL:
        return [None]
    expression = func.replace(func.replace(func.lower(SbomComponent.purl_name), "_", "-"), ".", "-")
    names = sorted(folded)
    return [
        or_(expression.in_(names[start : start + CHUNK]), expression.like("%--%"))
        for start in range(0, len(names), CHUNK)
    ]


async def _components(
    session: AsyncSession, wanted: set[IdentityKey]
) -> dict[IdentityKey, list[tuple[int, ComponentRef]]]:
    """Components of current SBOM versions of active purchases with one of these identities."""
    found: dict[IdentityKey, list[tuple[int, ComponentRef]]] = defaultdict(list)
    types = sorted({t for t, _, _ in wanted})
    folded = {_fold(name) for _, _, name in wanted}
    seen: set[tuple[int, str, str | None, str, str | None]] = set()
    # Stored names are not all normalised the way identities are (PyPI's "." and "_"), so the
    # query narrows by type and folded name, and the identity is compared here.
    for name_filter in _name_filters(folded):
        stmt = (
            select(
                Sbom.purchase_id,
                SbomComponent.purl_type,
                SbomComponent.purl_namespace,
                SbomComponent.purl_name,
                SbomComponent.purl_version,
            )
            .join(SbomVersion, SbomVersion.id == SbomComponent.version_id)
            .join(Sbom, Sbom.id == SbomVersion.sbom_id)
            .join(Purchase, Purchase.id == Sbom.purchase_id)
            .where(
                SbomVersion.superseded_at.is_(None),
                Purchase.status == PurchaseStatus.ACTIVE,
                SbomComponent.purl_type.in_(types),
                SbomComponent.purl_name.is_not(None),
                SbomComponent.purl_version.is_not(None),
            )
        )
        if name_filter is not None:
            stmt = stmt.where(name_filter)
        for purchase_id, ptype, ns, name, version in await session.execute(stmt):
            # A cheap superset test first: computing every component's identity is the cost.
            if not ptype or not name or _fold(name) not in folded:
                continue
            if (purchase_id, ptype, ns, name, version) in seen:
                continue  # a name with a run of separators passes more than one chunk
            seen.add((purchase_id, ptype, ns, name, version))
            key = identity_key(ptype, ns, name)
            if key in wanted:
                found[key].append((purchase_id, ComponentRef(ptype, ns, name, version)))
    return found


async def rematch_pending(
    session: AsyncSession, trigger: str, *, actor: Principal | None = None
) -> RematchSummary:
    """Re-match every pending advisory, rescreen the purchases whose matches changed, and clear
    the pending marks, in the caller's transaction."""
    summary = RematchSummary()
    pending = await _pending_ids(session)
    if not pending:
        return summary
    summary.advisories = len(pending)
    components: dict[IdentityKey, list[tuple[int, ComponentRef]]] = {}
    names: dict[int, set[IdentityKey]] = {}
    before: dict[int, Advisory] = {}
    if await session.scalar(select(SbomComponent.id).limit(1)) is not None:
        names, before = await _touched(session, pending)
        components = await _components(session, {k for keys in names.values() for k in keys})
    relevant = sorted(i for i in pending if any(k in components for k in names.get(i, ())))
    changed: set[int] = set()
    seen: set[tuple[int, IdentityKey, str | None]] = set()
    for start in range(0, len(relevant), CHUNK):
        chunk = relevant[start : start + CHUNK]
        for adv_id, data in await session.execute(
            select(AdvisoryRecord.id, AdvisoryRecord.data).where(AdvisoryRecord.id.in_(chunk))
        ):
            now, old = parse_osv(data), before.get(adv_id)
            by_purchase: dict[int, list[ComponentRef]] = defaultdict(list)
            for key in names[adv_id]:
                for purchase_id, ref in components.get(key, ()):
                    by_purchase[purchase_id].append(ref)
                    seen.add((purchase_id, key, ref.version))
            for purchase_id, refs in by_purchase.items():
                if purchase_id in changed:
                    continue
                was = set(match_advisories(refs, [old])) if old is not None else set()
                if was != set(match_advisories(refs, [now])):
                    changed.add(purchase_id)
    summary.components = len(seen)
    summary.purchases = len(changed)
    if changed:
        summary.rescreen = await rescreen_purchases(session, sorted(changed), trigger, actor=actor)
    for start in range(0, len(pending), CHUNK):
        await session.execute(
            update(AdvisoryRecord)
            .where(AdvisoryRecord.id.in_(pending[start : start + CHUNK]))
            .values(rematch_pending=False, matched_data=None)
        )
    return summary
