"""Inputs of the screening: plain frozen values, built by the service from stored records.

``None`` on a fact means *unknown*, never *no*: the engine turns unknowns into "missing
information" findings so that a reviewer is asked for them instead of the rule silently passing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from packageurl import PackageURL

from procurement.errors import ErrorCode, InputError
from procurement.screening.advisories import Advisory
from procurement.screening.ecosystems import identity_key
from procurement.screening.messages import said
from procurement.screening.model import Category, Ownership, Severity
from procurement.texts import Text

_COUNTRY = re.compile(r"^[A-Z]{2}$")


class AnalysisState(StrEnum):
    """CycloneDX ``vulnerability.analysis.state`` values."""

    RESOLVED = "resolved"
    RESOLVED_WITH_PEDIGREE = "resolved_with_pedigree"
    EXPLOITABLE = "exploitable"
    IN_TRIAGE = "in_triage"
    FALSE_POSITIVE = "false_positive"
    NOT_AFFECTED = "not_affected"


# States meaning "no open risk"; resolved_with_pedigree is resolved with the proof attached.
CLOSED_ANALYSIS_STATES = frozenset(
    {
        AnalysisState.NOT_AFFECTED,
        AnalysisState.FALSE_POSITIVE,
        AnalysisState.RESOLVED,
        AnalysisState.RESOLVED_WITH_PEDIGREE,
    }
)


@dataclass(frozen=True, slots=True)
class RestrictionEntry:
    """One listing of a party on a restriction list (kept as data with its source and date)."""

    subject: str
    list_name: str
    source: str
    listed_on: date | None
    reason: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PurchaseFacts:
    id: str
    category: Category
    value_cny: Decimal | None  # None: no CNY amount (e.g. no exchange rate for the currency)
    handles_core_data: bool | None
    handles_important_data: bool | None
    handles_personal_information: bool | None
    personal_information_subjects: int | None
    vendor_remote_maintenance: bool | None  # any vendor remote access, maintenance included
    vendor_update_channel: bool | None  # vendor pushes updates/firmware into the CII system
    single_source: bool | None  # single source or no alternative supplier
    business_critical_cii_system: bool | None
    operator_is_cii: bool | None  # operator formally identified as a CII operator
    name: str = ""
    # Why value_cny is None (e.g. "no exchange rate from USD to CNY in force on 2025-03-01; add
    # a USD rate..."): the finding repeats it, so users record what is really missing.
    value_cny_missing_reason: str | None = None
    certification_reference: str | None = None  # CSL Art. 23 certificate or test report


@dataclass(frozen=True, slots=True)
class VendorFacts:
    id: str
    name: str
    country: str | None  # ISO 3166-1 alpha-2; HK, MO, TW are outside mainland China
    ownership: Ownership | None
    # None = unknown; a vendor without a parent repeats its own country.
    ultimate_parent_country: str | None
    ultimate_parent_name: str | None = None
    restrictions: tuple[RestrictionEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class ComponentRef:
    """An SBOM component by purl identity (type/namespace/name) and version."""

    purl_type: str
    namespace: str | None
    name: str
    version: str | None
    supplier: str | None = None

    @classmethod
    def from_purl(cls, purl: str, supplier: str | None = None) -> ComponentRef:
        p = PackageURL.from_string(purl)
        return cls(p.type, p.namespace, p.name, p.version, supplier)

    def _canonical(self, version: str | None) -> str:
        ptype, ns, name = identity_key(self.purl_type, self.namespace, self.name)
        # Canonical purl encoding (pkg:npm/%40babel/traverse), as the sbom package prints it.
        return PackageURL(ptype, ns or None, name, version).to_string()

    @property
    def identity(self) -> str:
        return self._canonical(None)

    @property
    def purl(self) -> str:
        """Identity plus version, no qualifiers."""
        return self._canonical(self.version)


def normalise_identity(purl: str) -> str:
    """``pkg:type/ns/name`` from any purl (version, qualifiers dropped); the input if unparsable."""
    try:
        p = PackageURL.from_string(purl)
    except ValueError:
        return purl
    return ComponentRef(p.type, p.namespace, p.name, None).identity


@dataclass(frozen=True, slots=True)
class SbomFacts:
    label: str  # e.g. "acme-router 4.2 (SBOM v3)", used in explanations
    quality_score: int  # 0-100
    component_count: int
    components_without_supplier: int
    component_suppliers: tuple[str, ...]  # distinct supplier names
    components: tuple[ComponentRef, ...]  # components that have a purl


@dataclass(frozen=True, slots=True)
class VulnerabilityFact:
    """A vulnerability already linked to a component: embedded VEX or a matched advisory."""

    id: str
    severity: Severity | None  # None: unrated
    affected_purl: str  # purl identity, no version
    affected_version: str | None
    analysis_state: AnalysisState | None
    source: str  # "VEX" or "ADVISORY"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScreeningFacts:
    purchase: PurchaseFacts
    vendor: VendorFacts
    sboms: tuple[SbomFacts, ...] = ()
    vulnerabilities: tuple[VulnerabilityFact, ...] = ()
    # Advisories still to match against the SBOM components (see advisories.affects).
    advisories: tuple[Advisory, ...] = ()
    # Restriction list used to check component suppliers and the vendor's/parent's names.
    restriction_list: tuple[RestrictionEntry, ...] = ()

    def __post_init__(self) -> None:
        errors = [
            said(path, Text("screening.error.country", {"value": repr(value)}))
            for path, value in (
                ("vendor.country", self.vendor.country),
                ("vendor.ultimate_parent_country", self.vendor.ultimate_parent_country),
            )
            if value is not None and not _COUNTRY.match(value)
        ]
        subjects = self.purchase.personal_information_subjects
        if subjects is not None and subjects < 0:
            errors.append(
                said(
                    "purchase.personal_information_subjects",
                    Text("screening.error.not_negative", {}),
                    ErrorCode.OUT_OF_RANGE,
                )
            )
        if self.purchase.value_cny is not None and self.purchase.value_cny < 0:
            negative = Text("screening.error.not_negative", {})
            errors.append(said("purchase.value_cny", negative, ErrorCode.OUT_OF_RANGE))
        for i, sbom in enumerate(self.sboms):
            if not 0 <= sbom.quality_score <= 100:
                errors.append(
                    said(
                        f"sboms[{i}].quality_score",
                        Text("screening.error.percent_range", {}),
                        ErrorCode.OUT_OF_RANGE,
                    )
                )
        if errors:
            raise InputError(errors)
