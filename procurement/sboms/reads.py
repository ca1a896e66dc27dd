"""Reading stored SBOMs: scoped look-ups, component pages, diffs (where-used: usages.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseCategory, PurchaseStatus
from procurement.errors import NotFound
from procurement.models import (
    Purchase,
    Sbom,
    SbomComponent,
    SbomDependency,
    SbomService,
    SbomVersion,
    SbomVulnerability,
)
from procurement.paging import Page, keyset_page
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.validation import contains_pattern
from sbom.diff import ComponentDiff, diff_components


def _visible_versions(principal: Principal) -> Select[Any]:
    """Ids of the SBOM versions whose purchase this principal may see."""
    visible = scope_purchases(select(Purchase.id), principal)
    return (
        select(SbomVersion.id)
        .join(Sbom, Sbom.id == SbomVersion.sbom_id)
        .where(Sbom.purchase_id.in_(visible.scalar_subquery()))
    )


async def versions_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, SbomVersion]:
    require(principal, Action.READ_SBOMS)
    stmt = select(SbomVersion).where(
        SbomVersion.id.in_(ids), SbomVersion.id.in_(_visible_versions(principal).scalar_subquery())
    )
    return {row.id: row for row in await session.scalars(stmt)}


async def series_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, Sbom]:
    require(principal, Action.READ_SBOMS)
    visible = scope_purchases(select(Purchase.id), principal).scalar_subquery()
    stmt = select(Sbom).where(Sbom.id.in_(ids), Sbom.purchase_id.in_(visible))
    return {row.id: row for row in await session.scalars(stmt)}


async def current_versions_by_purchase_ids(
    session: AsyncSession, principal: Principal, purchase_ids: Sequence[int]
) -> dict[int, list[SbomVersion]]:
    """The current version of each SBOM of each purchase, oldest SBOM first."""
    require(principal, Action.READ_SBOMS)
    visible = scope_purchases(select(Purchase.id).where(Purchase.id.in_(purchase_ids)), principal)
    stmt = (
        select(Sbom.purchase_id, SbomVersion)
        .join(SbomVersion, SbomVersion.sbom_id == Sbom.id)
        .where(Sbom.purchase_id.in_(visible.scalar_subquery()), SbomVersion.superseded_at.is_(None))
        .order_by(Sbom.id)
    )
    out: dict[int, list[SbomVersion]] = {}
    for purchase_id, version in await session.execute(stmt):
        out.setdefault(purchase_id, []).append(version)
    return out


async def history_by_series_ids(
    session: AsyncSession, principal: Principal, series_ids: Sequence[int]
) -> dict[int, list[SbomVersion]]:
    """Every version of each SBOM, newest first."""
    require(principal, Action.READ_SBOMS)
    stmt = (
        select(SbomVersion)
        .where(
            SbomVersion.sbom_id.in_(series_ids),
            SbomVersion.id.in_(_visible_versions(principal).scalar_subquery()),
        )
        .order_by(SbomVersion.number.desc())
    )
    out: dict[int, list[SbomVersion]] = {}
    for row in await session.scalars(stmt):
        out.setdefault(row.sbom_id, []).append(row)
    return out


async def visible_version(
    session: AsyncSession, principal: Principal, version_id: int, field: str = "id"
) -> SbomVersion:
    found = await versions_by_ids(session, principal, [version_id])
    if version_id not in found:
        raise NotFound(field, "SBOM", version_id)
    return found[version_id]


@dataclass(frozen=True, slots=True)
class ComponentFilter:
    search: str | None = None  # part of name or group
    purl_type: str | None = None
    has_purl: bool | None = None
    has_supplier: bool | None = None


async def list_components(
    session: AsyncSession,
    principal: Principal,
    version_id: int,
    filter: ComponentFilter,
    after_position: int | None,
    limit: int,
) -> Page[SbomComponent]:
    await visible_version(session, principal, version_id)
    stmt = select(SbomComponent).where(SbomComponent.version_id == version_id)
    if filter.search:
        pattern = contains_pattern("filter.search", filter.search, lower=True)
        stmt = stmt.where(
            func.lower(SbomComponent.name).like(pattern, escape="\\")
            | func.lower(func.coalesce(SbomComponent.group, "")).like(pattern, escape="\\")
        )
    if filter.purl_type:
        stmt = stmt.where(SbomComponent.purl_type == filter.purl_type.lower())
    if filter.has_purl is not None:
        stmt = stmt.where(
            SbomComponent.purl.is_not(None) if filter.has_purl else SbomComponent.purl.is_(None)
        )
    if filter.has_supplier is not None:
        column = SbomComponent.supplier
        stmt = stmt.where(column.is_not(None) if filter.has_supplier else column.is_(None))
    return await keyset_page(session, stmt, SbomComponent.position, after_position, limit)


async def list_dependencies(
    session: AsyncSession, principal: Principal, version_id: int, after_id: int | None, limit: int
) -> Page[SbomDependency]:
    await visible_version(session, principal, version_id)
    stmt = select(SbomDependency).where(SbomDependency.version_id == version_id)
    return await keyset_page(session, stmt, SbomDependency.id, after_id, limit)


async def list_vulnerabilities(
    session: AsyncSession, principal: Principal, version_id: int, after_id: int | None, limit: int
) -> Page[SbomVulnerability]:
    await visible_version(session, principal, version_id)
    stmt = select(SbomVulnerability).where(SbomVulnerability.version_id == version_id)
    return await keyset_page(session, stmt, SbomVulnerability.id, after_id, limit)


async def list_services(
    session: AsyncSession, principal: Principal, version_id: int
) -> list[SbomService]:
    await visible_version(session, principal, version_id)
    stmt = (
        select(SbomService)
        .where(SbomService.version_id == version_id)
        .order_by(SbomService.position)
    )
    return list(await session.scalars(stmt))


async def diff_versions(
    session: AsyncSession, principal: Principal, from_id: int, to_id: int
) -> ComponentDiff[Any]:
    """Rows in, rows out: the GraphQL layer shows the stored components themselves."""
    await visible_version(session, principal, from_id, "fromId")
    await visible_version(session, principal, to_id, "toId")

    async def components(version_id: int) -> list[SbomComponent]:
        stmt = select(SbomComponent).where(SbomComponent.version_id == version_id)
        return list(await session.scalars(stmt.order_by(SbomComponent.position)))

    # ORM rows have the key fields diff_components reads; mypy cannot see Mapped[] as properties.
    old, new = cast(list[Any], await components(from_id)), cast(list[Any], await components(to_id))
    return diff_components(old, new)


# --- what a vendor or a buyer still owes: purchases with no SBOM at all ---


async def purchases_awaiting_sbom(
    session: AsyncSession, principal: Principal, limit: int
) -> Page[Purchase]:
    """Active purchases of network products or services the principal sees that have no SBOM
    yet, oldest first (a vendor sees its own)."""
    require(principal, Action.READ_SBOMS)
    has_sbom = exists().where(Sbom.purchase_id == Purchase.id)
    stmt = scope_purchases(select(Purchase), principal).where(
        Purchase.status == PurchaseStatus.ACTIVE,
        Purchase.category != PurchaseCategory.NOT_NETWORK_PRODUCT,
        ~has_sbom,
    )
    return await keyset_page(session, stmt, Purchase.id, None, limit)
