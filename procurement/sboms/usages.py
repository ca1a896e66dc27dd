"""Where-used: which purchases contain package X in versions Y, paged in the database.

Over millions of stored components the answer must come from an index, not from Python:
components are indexed on (purl type, namespace, name, version key), and a `vers:` range whose
bounds have keys (procurement.sboms.version_ranges) becomes a condition on the key. Versions
without a key (pre-releases, qualifiers, ecosystems without keys) are still checked by univers,
row by row, as before; only their id and version string are read for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packageurl import PackageURL
from sqlalchemy import (
    ColumnElement,
    Join,
    and_,
    distinct,
    false,
    func,
    join,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from univers.version_range import RANGE_CLASS_BY_SCHEMES, VersionRange

from procurement.errors import InputError
from procurement.models import Purchase, Sbom, SbomComponent, SbomVersion
from procurement.permissions import Action, Principal, require, scope_purchases
from procurement.sboms.messages import said
from procurement.sboms.version_ranges import KeyRange, key_range
from procurement.texts import Text

# Unkeyed versions that univers found in the range are added to the SQL condition by id, up to
# this many (bound parameters are limited); past it the whole answer is filtered in Python.
MAX_IDS_IN_CONDITION = 1000
_LOAD_CHUNK = 1000  # ids per statement when a window is loaded by id


@dataclass(frozen=True, slots=True)
class ComponentUsage:
    """A component row with its document version, SBOM series and purchase, all loaded by the
    read itself (scoped as it is), so that a page needs no further statement per row."""

    component: SbomComponent
    version: SbomVersion
    series: Sbom
    purchase: Purchase

    @property
    def purchase_id(self) -> int:
        return self.purchase.id


@dataclass(frozen=True, slots=True)
class UsagePage:
    usages: list[ComponentUsage]  # the requested window, in answer order
    total_count: int  # in all pages
    purchase_count: int  # distinct purchases in all pages


def parse_usage_query(
    purl: str, version_range: str | None
) -> tuple[PackageURL, VersionRange | None]:
    try:
        package = PackageURL.from_string(purl)
    except ValueError as exc:
        bad = Text("sboms.error.not_purl", {"purl": purl, "detail": str(exc)})
        raise InputError([said("purl", bad)]) from None
    if version_range is None:
        return package, None
    try:
        parsed = VersionRange.from_string(version_range)  # type: ignore[no-untyped-call]
    except Exception as exc:  # univers raises assorted types for malformed ranges
        bad = Text("sboms.error.not_vers", {"range": version_range, "detail": str(exc)})
        raise InputError([said("versionRange", bad)]) from None
    if parsed.scheme != package.type and package.type in RANGE_CLASS_BY_SCHEMES:
        mismatch = Text(
            "sboms.error.range_scheme", {"scheme": str(parsed.scheme), "type": str(package.type)}
        )
        raise InputError([said("versionRange", mismatch)])
    return package, parsed


def in_range(version: str | None, version_range: VersionRange) -> bool:
    """The row-by-row check: univers reads the version in the range's scheme."""
    version_class = version_range.version_class
    if version is None or version_class is None:
        return False
    try:
        return bool(version_class(version) in version_range)
    except Exception:  # a version the ecosystem's scheme cannot read is not "in" the range
        return False


def _key_condition(keys: KeyRange) -> ColumnElement[bool]:
    column = SbomComponent.version_key
    options: list[ColumnElement[bool]] = [column.in_(keys.equal)] if keys.equal else []
    for interval in keys.intervals:
        bounds: list[ColumnElement[bool]] = []
        if interval.lower is not None:
            lower = interval.lower
            bounds.append(column >= lower if interval.lower_inclusive else column > lower)
        if interval.upper is not None:
            upper = interval.upper
            bounds.append(column <= upper if interval.upper_inclusive else column < upper)
        options.append(and_(*bounds) if bounds else true())
    condition = or_(*options) if options else false()
    if keys.excluded:
        condition = and_(column.not_in(keys.excluded), condition)
    return and_(column.is_not(None), condition)


def _where(
    principal: Principal, package: PackageURL, include_superseded: bool
) -> list[ColumnElement[bool]]:
    """The package identity (as stored purls were normalised), scope and currency."""
    canonical = PackageURL.from_string(package.to_string())
    conditions = [
        SbomComponent.purl_type == canonical.type,
        SbomComponent.purl_namespace == canonical.namespace
        if canonical.namespace
        else SbomComponent.purl_namespace.is_(None),
        SbomComponent.purl_name == canonical.name,
    ]
    visible = scope_purchases(select(Purchase.id), principal)
    if visible.whereclause is not None:  # a scope that hides nothing costs no look-up per row
        conditions.append(Sbom.purchase_id.in_(visible.scalar_subquery()))
    if canonical.version:
        conditions.append(SbomComponent.purl_version == canonical.version)
    if not include_superseded:
        conditions.append(SbomVersion.superseded_at.is_(None))
    return conditions


def _components_in_sboms() -> Join:
    """Components with their version and SBOM (for the purchase), to select from."""
    return join(SbomComponent, SbomVersion, SbomVersion.id == SbomComponent.version_id).join(
        Sbom, Sbom.id == SbomVersion.sbom_id
    )


_ORDER = (Sbom.purchase_id, SbomVersion.id, SbomComponent.position)


async def _rowwise_ids(
    session: AsyncSession, where: Sequence[ColumnElement[bool]], version_range: VersionRange
) -> list[tuple[int, int]]:
    """(component id, purchase id) of the rows univers puts in the range, in answer order."""
    stmt = select(SbomComponent.id, SbomComponent.purl_version, Sbom.purchase_id)
    stmt = stmt.select_from(_components_in_sboms()).where(*where).order_by(*_ORDER)
    rows = await session.execute(stmt)
    return [(id_, purchase) for id_, version, purchase in rows if in_range(version, version_range)]


_ENTITIES = (SbomComponent, SbomVersion, Sbom, Purchase)
# A page of usages never needs the stored documents (megabytes each).
_NO_DOCUMENT = defer(SbomVersion.document_gzip, raiseload=True)


async def _load(
    session: AsyncSession, where: Sequence[ColumnElement[bool]]
) -> list[ComponentUsage]:
    from_ = _components_in_sboms().join(Purchase, Purchase.id == Sbom.purchase_id)
    stmt = select(*_ENTITIES).select_from(from_).where(*where).order_by(*_ORDER)
    rows = await session.execute(stmt.options(_NO_DOCUMENT))
    return [ComponentUsage(*row) for row in rows]


async def _load_page(
    session: AsyncSession, where: Sequence[ColumnElement[bool]], offset: int, limit: int | None
) -> UsagePage:
    """The window and the counts over all pages, in one statement.

    The matching rows are found, counted and ordered on narrow columns (on PostgreSQL from the
    covering where-used index alone, without reading the table); only the window's rows are then
    read in full, by primary key. The counts row is always there, the window may be empty."""
    matched = (
        select(
            SbomComponent.id.label("component_id"),
            SbomComponent.version_id.label("version_id"),
            SbomComponent.position.label("position"),
            Sbom.purchase_id.label("purchase_id"),
        )
        .select_from(_components_in_sboms())
        .where(*where)
        .cte("matched")
    )
    window = select(matched).order_by(
        matched.c.purchase_id, matched.c.version_id, matched.c.position
    )
    if offset:
        window = window.offset(offset)
    if limit is not None:
        window = window.limit(limit)
    page = window.subquery("page")
    counts = select(
        func.count().label("total"), func.count(distinct(matched.c.purchase_id)).label("purchases")
    ).subquery("counts")
    rows_in_page = (
        join(page, SbomComponent, SbomComponent.id == page.c.component_id)
        .join(SbomVersion, SbomVersion.id == page.c.version_id)
        .join(Sbom, Sbom.id == SbomVersion.sbom_id)
        .join(Purchase, Purchase.id == page.c.purchase_id)
    )
    stmt = (
        select(*_ENTITIES, counts.c.total, counts.c.purchases)
        .select_from(counts.outerjoin(rows_in_page, true()))
        .order_by(page.c.purchase_id, page.c.version_id, page.c.position)
        .options(_NO_DOCUMENT)
    )
    rows = (await session.execute(stmt)).all()
    usages = [ComponentUsage(*row[:4]) for row in rows if row[0] is not None]
    return UsagePage(usages, int(rows[0].total), int(rows[0].purchases))


async def component_usages_page(
    session: AsyncSession,
    principal: Principal,
    purl: str,
    version_range: str | None,
    *,
    include_superseded: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> UsagePage:
    """One window of the usages (``limit`` None: all of them), with the counts of all pages."""
    require(principal, Action.READ_SBOMS)
    package, parsed_range = parse_usage_query(purl, version_range)
    where = _where(principal, package, include_superseded)
    if parsed_range is not None:
        keys = key_range(package.type, parsed_range)
        if keys is None:
            return await _rowwise_page(session, where, parsed_range, offset, limit)
        unkeyed = await _rowwise_ids(
            session, [*where, SbomComponent.version_key.is_(None)], parsed_range
        )
        if len(unkeyed) > MAX_IDS_IN_CONDITION:
            return await _rowwise_page(session, where, parsed_range, offset, limit)
        condition = _key_condition(keys)
        if unkeyed:
            condition = or_(condition, SbomComponent.id.in_([id_ for id_, _p in unkeyed]))
        where.append(condition)
    return await _load_page(session, where, offset, limit)


async def _rowwise_page(
    session: AsyncSession,
    where: list[ColumnElement[bool]],
    version_range: VersionRange,
    offset: int,
    limit: int | None,
) -> UsagePage:
    """Every candidate checked by univers (light rows), then the window loaded by id."""
    matched = await _rowwise_ids(session, where, version_range)
    window = matched[offset:] if limit is None else matched[offset : offset + limit]
    ids = [id_ for id_, _p in window]
    usages: list[ComponentUsage] = []
    for start in range(0, len(ids), _LOAD_CHUNK):
        chunk = ids[start : start + _LOAD_CHUNK]
        usages += await _load(session, [*where, SbomComponent.id.in_(chunk)])
    order = {id_: index for index, id_ in enumerate(ids)}
    usages.sort(key=lambda u: order[u.component.id])
    return UsagePage(usages, len(matched), len({p for _id, p in matched}))


async def component_usages(
    session: AsyncSession,
    principal: Principal,
    purl: str,
    version_range: str | None,
    *,
    include_superseded: bool = False,
) -> list[ComponentUsage]:
    """Every usage (for callers that want them all, e.g. reports and tests)."""
    page = await component_usages_page(
        session, principal, purl, version_range, include_superseded=include_superseded
    )
    return page.usages
