"""Loading screening facts for many purchases with a fixed number of batched queries.

Per batch of purchases: purchases with operator, vendor and CII system (1 query), restriction
entries (1), current SBOM versions (1), their components (1) and embedded vulnerabilities (1),
advisory identities (1) and the advisories that can match (1). Never one query per purchase.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import PurchaseStatus
from procurement.exposure.currency import ExchangeRate, MissingExchangeRate, convert_to_cny
from procurement.exposure.store import as_rates, exchange_rates_unscoped
from procurement.models import (
    AdvisoryPackage,
    AdvisoryRecord,
    CiiSystem,
    Operator,
    Purchase,
    RestrictionEntry,
    RestrictionList,
    Sbom,
    SbomComponent,
    SbomVersion,
    SbomVulnerability,
    Vendor,
)
from procurement.screening import (
    Advisory,
    AnalysisState,
    ComponentRef,
    PurchaseFacts,
    SbomFacts,
    ScreeningFacts,
    Severity,
    VendorFacts,
    VulnerabilityFact,
    parse_osv,
)
from procurement.screening import RestrictionEntry as Listing
from procurement.screening.ecosystems import IdentityKey, identity_keys

# CycloneDX rating severities; "none" and "unknown" leave the vulnerability unrated.
_CDX_SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
}


@dataclass(frozen=True, slots=True)
class LoadedFacts:
    facts: ScreeningFacts
    value_cny: Decimal | None
    operator_id: int
    vendor_id: int


def value_in_cny(
    amount: Decimal, currency: str, contract_date: date, rates: Sequence[ExchangeRate]
) -> tuple[Decimal | None, str | None]:
    """(CNY value, None), or (None, why): the same conversion as the exposure (the rate in force
    on the contract date), so screening and fines never disagree on what a purchase is worth."""
    try:
        return convert_to_cny(amount, currency, contract_date, rates), None
    except MissingExchangeRate as missing:
        return None, missing.errors[0].message


# A stored component as screening reads it: (bom-ref, supplier, purl type, namespace, name,
# version), the columns of sbom_components.
ComponentColumns = tuple[str | None, str | None, str | None, str | None, str | None, str | None]
_ComponentItem = tuple[str | None, str | None, ComponentRef | None]


async def load_facts(
    session: AsyncSession,
    purchase_ids: Sequence[int],
    known_components: Mapping[int, VersionComponents] | None = None,
) -> dict[int, LoadedFacts]:
    """Facts of the given ACTIVE purchases (cancelled ones are not screened), keyed by id.

    ``known_components``: what screening reads of the components of SBOM versions the caller
    has just written (:func:`version_components` of their rows in position order), by version
    id; taken from there instead of read back (a 10,000-component upload rescreens its purchase
    without reading its components again, and builds this in a worker thread)."""
    rows = (
        await session.execute(
            select(
                Purchase.id,
                Purchase.title,
                Purchase.operator_id,
                Purchase.category,
                Purchase.contract_value,
                Purchase.currency,
                Purchase.contract_date,
                Purchase.handles_core_data,
                Purchase.handles_important_data,
                Purchase.handles_personal_information,
                Purchase.personal_information_subjects,
                Purchase.vendor_remote_maintenance,
                Purchase.vendor_update_channel,
                Purchase.single_source,
                Purchase.certification_reference,
                Operator.is_cii_operator,
                CiiSystem.business_critical,
                Vendor,
            )
            .join(Operator, Operator.id == Purchase.operator_id)
            .join(Vendor, Vendor.id == Purchase.vendor_id)
            .outerjoin(CiiSystem, CiiSystem.id == Purchase.cii_system_id)
            .where(Purchase.id.in_(purchase_ids), Purchase.status == PurchaseStatus.ACTIVE)
        )
    ).all()
    if not rows:
        return {}
    rates = as_rates(await exchange_rates_unscoped(session))
    listings, by_vendor = await _restrictions(session)
    sboms, vulns = await _sbom_facts(session, [r.id for r in rows], known_components or {})
    advisories = await _advisories_for(session, sboms)
    out: dict[int, LoadedFacts] = {}
    for r in rows:
        vendor: Vendor = r.Vendor
        value_cny, unconverted = value_in_cny(r.contract_value, r.currency, r.contract_date, rates)
        purchase = PurchaseFacts(
            id=str(r.id),
            category=r.category,
            value_cny=value_cny,
            handles_core_data=r.handles_core_data,
            handles_important_data=r.handles_important_data,
            handles_personal_information=r.handles_personal_information,
            personal_information_subjects=r.personal_information_subjects,
            vendor_remote_maintenance=r.vendor_remote_maintenance,
            vendor_update_channel=r.vendor_update_channel,
            single_source=r.single_source,
            business_critical_cii_system=r.business_critical,
            operator_is_cii=r.is_cii_operator,
            name=r.title,
            value_cny_missing_reason=unconverted,
            certification_reference=r.certification_reference,
        )
        vendor_facts = VendorFacts(
            id=str(vendor.id),
            name=vendor.name,
            country=vendor.country,
            ownership=vendor.ownership,
            # Not recorded = unknown: the rule asks the reviewer to record it.
            ultimate_parent_country=vendor.ultimate_parent_country,
            ultimate_parent_name=vendor.ultimate_parent_name,
            restrictions=by_vendor.get(vendor.id, ()),
        )
        purchase_sboms = sboms.get(r.id, ())
        out[r.id] = LoadedFacts(
            ScreeningFacts(
                purchase=purchase,
                vendor=vendor_facts,
                sboms=tuple(s for s, _ in purchase_sboms),
                vulnerabilities=vulns.get(r.id, ()),
                advisories=_relevant(advisories, purchase_sboms),
                # One shared tuple for the batch: the rule engine caches its name index on it.
                restriction_list=listings,
            ),
            value_cny,
            r.operator_id,
            vendor.id,
        )
    return out


async def _restrictions(
    session: AsyncSession,
) -> tuple[tuple[Listing, ...], dict[int, tuple[Listing, ...]]]:
    result = await session.execute(
        select(
            RestrictionEntry.vendor_id,
            RestrictionEntry.supplier_name,
            RestrictionEntry.reason,
            RestrictionEntry.listed_on,
            RestrictionList.name,
            RestrictionList.source,
        )
        .join(RestrictionList, RestrictionList.id == RestrictionEntry.list_id)
        .order_by(RestrictionEntry.id)
    )
    listings: list[Listing] = []
    by_vendor: dict[int, list[Listing]] = defaultdict(list)
    for vendor_id, supplier, reason, listed_on, list_name, source in result:
        listing = Listing(
            subject=supplier, list_name=list_name, source=source, listed_on=listed_on, reason=reason
        )
        listings.append(listing)
        if vendor_id is not None:
            by_vendor[vendor_id].append(listing)
    return tuple(listings), {k: tuple(v) for k, v in by_vendor.items()}


def _json_list(text: str | None) -> list[Any]:
    if not text:
        return []
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def _rated(ratings_json: str) -> Severity | None:
    """The worst CycloneDX rating severity, or None when unrated.

    Stored ratings are ``[source, score, severity, method, vector]`` rows
    (procurement.sboms.rows)."""
    severities = [r[2] for r in _json_list(ratings_json) if isinstance(r, list) and len(r) == 5]
    found = [
        _CDX_SEVERITY[s.lower()]
        for s in severities
        if isinstance(s, str) and s.lower() in _CDX_SEVERITY
    ]
    return max(found, key=lambda s: s.rank) if found else None


def _analysis(state: str | None) -> AnalysisState | None:
    try:
        return AnalysisState(state) if state else None
    except ValueError:
        return None


def _affected(ref: str, components: Mapping[str, ComponentRef]) -> ComponentRef | None:
    """The component a CycloneDX ``affects[].ref`` names: its bom-ref, or failing that a purl."""
    if ref in components:
        return components[ref]
    try:
        return ComponentRef.from_purl(ref)
    except ValueError:
        return None


SbomEntry = tuple[SbomFacts, frozenset[IdentityKey]]


def _component_item(
    bom_ref: str | None,
    supplier: str | None,
    purl_type: str | None,
    namespace: str | None,
    name: str | None,
    version: str | None,
) -> _ComponentItem:
    supplier = supplier.strip() if supplier and supplier.strip() else None
    ref = (
        ComponentRef(purl_type, namespace, name, version, supplier) if purl_type and name else None
    )
    return bom_ref, supplier, ref


@dataclass(frozen=True, slots=True)
class VersionComponents:
    """What screening reads of one SBOM version's components."""

    refs: tuple[ComponentRef, ...]  # of the components with a purl type and name, in order
    by_ref: dict[str, ComponentRef]  # those of them with a bom-ref, by it
    without_supplier: int
    suppliers: tuple[str, ...]  # sorted, distinct
    identities: frozenset[IdentityKey]  # of refs


def version_components(rows: Iterable[ComponentColumns]) -> VersionComponents:
    """Pure and CPU-bound (tens of milliseconds at 10,000 components): an upload runs it in a
    worker thread, off the event loop."""
    items = [_component_item(*row) for row in rows]
    refs = tuple(c for _, _, c in items if c is not None)
    return VersionComponents(
        refs=refs,
        by_ref={bom_ref: c for bom_ref, _, c in items if bom_ref and c is not None},
        without_supplier=sum(1 for _, supplier, _ in items if supplier is None),
        suppliers=tuple(sorted({s for _, s, _ in items if s is not None})),
        identities=identity_keys([(c.purl_type, c.namespace, c.name) for c in refs]),
    )


async def _sbom_facts(
    session: AsyncSession,
    purchase_ids: Sequence[int],
    known: Mapping[int, VersionComponents],
) -> tuple[dict[int, tuple[SbomEntry, ...]], dict[int, tuple[VulnerabilityFact, ...]]]:
    versions = (
        await session.execute(
            select(
                SbomVersion.id,
                Sbom.purchase_id,
                Sbom.name,
                SbomVersion.number,
                SbomVersion.quality_score,
                SbomVersion.component_count,
            )
            .join(Sbom, Sbom.id == SbomVersion.sbom_id)
            .where(Sbom.purchase_id.in_(purchase_ids), SbomVersion.superseded_at.is_(None))
            .order_by(Sbom.id)
        )
    ).all()
    if not versions:
        return {}, {}
    version_ids = [v.id for v in versions]
    read: dict[int, list[ComponentColumns]] = {}
    unknown = [v for v in version_ids if v not in known]
    for row in (
        await session.execute(
            select(
                SbomComponent.version_id,
                SbomComponent.bom_ref,
                SbomComponent.supplier,
                SbomComponent.purl_type,
                SbomComponent.purl_namespace,
                SbomComponent.purl_name,
                SbomComponent.purl_version,
            ).where(SbomComponent.version_id.in_(unknown))
        )
        if unknown
        else ()
    ):
        read.setdefault(row[0], []).append(row[1:])

    sboms: dict[int, list[SbomEntry]] = defaultdict(list)
    by_ref: dict[int, dict[str, ComponentRef]] = {}
    for v in versions:
        parts = known.get(v.id)
        if parts is None:
            parts = version_components(read.get(v.id, ()))
        by_ref[v.id] = parts.by_ref
        facts = SbomFacts(
            label=f"{v.name} (version {v.number})",
            quality_score=max(0, min(100, round(v.quality_score))),
            component_count=v.component_count,
            components_without_supplier=parts.without_supplier,
            component_suppliers=parts.suppliers,
            components=parts.refs,
        )
        sboms[v.purchase_id].append((facts, parts.identities))

    purchase_of = {v.id: v.purchase_id for v in versions}
    vulns: dict[int, list[VulnerabilityFact]] = defaultdict(list)
    for vrow in await session.execute(
        select(
            SbomVulnerability.version_id,
            SbomVulnerability.position,
            SbomVulnerability.vuln_id,
            SbomVulnerability.ratings_json,
            SbomVulnerability.affects_json,
            SbomVulnerability.analysis_state,
        )
        .where(SbomVulnerability.version_id.in_(version_ids))
        .order_by(SbomVulnerability.version_id, SbomVulnerability.position)
    ):
        vuln_id = vrow.vuln_id or f"unnamed vulnerability #{vrow.position}"
        for affects in _json_list(vrow.affects_json):
            ref = affects.get("ref") if isinstance(affects, dict) else affects
            component = _affected(ref, by_ref[vrow.version_id]) if isinstance(ref, str) else None
            if component is None:
                continue
            vulns[purchase_of[vrow.version_id]].append(
                VulnerabilityFact(
                    id=vuln_id,
                    severity=_rated(vrow.ratings_json),
                    affected_purl=component.identity,
                    affected_version=component.version,
                    analysis_state=_analysis(vrow.analysis_state),
                    source="VEX",
                )
            )
    return (
        {k: tuple(v) for k, v in sboms.items()},
        {k: tuple(v) for k, v in vulns.items()},
    )


@dataclass(frozen=True, slots=True)
class _AdvisoryIndex:
    by_identity: Mapping[IdentityKey, tuple[Advisory, ...]]


async def _advisories_for(
    session: AsyncSession, sboms: Mapping[int, Iterable[SbomEntry]]
) -> _AdvisoryIndex:
    wanted = {key for entries in sboms.values() for _, keys in entries for key in keys}
    if not wanted:
        return _AdvisoryIndex({})
    ids_by_identity: dict[IdentityKey, set[int]] = defaultdict(set)
    types = sorted({t for t, _, _ in wanted})
    for advisory_id, ptype, namespace, name in await session.execute(
        select(
            AdvisoryPackage.advisory_id,
            AdvisoryPackage.purl_type,
            AdvisoryPackage.namespace,
            AdvisoryPackage.name,
        ).where(AdvisoryPackage.purl_type.in_(types))
    ):
        if (ptype, namespace, name) in wanted:
            ids_by_identity[(ptype, namespace, name)].add(advisory_id)
    needed = sorted({i for ids in ids_by_identity.values() for i in ids})
    if not needed:
        return _AdvisoryIndex({})
    parsed: dict[int, Advisory] = {}
    for record_id, data in await session.execute(
        select(AdvisoryRecord.id, AdvisoryRecord.data).where(AdvisoryRecord.id.in_(needed))
    ):
        parsed[record_id] = parse_osv(data)  # validated on import, so it parses
    return _AdvisoryIndex(
        {
            key: tuple(parsed[i] for i in sorted(ids) if i in parsed)
            for key, ids in ids_by_identity.items()
        }
    )


def _relevant(index: _AdvisoryIndex, entries: Iterable[SbomEntry]) -> tuple[Advisory, ...]:
    seen: dict[str, Advisory] = {}
    for _, keys in entries:
        for key in keys:
            for advisory in index.by_identity.get(key, ()):
                seen.setdefault(advisory.id, advisory)
    return tuple(seen[k] for k in sorted(seen))
