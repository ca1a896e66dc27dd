"""The screening rules as data: stable ids, the Art. 10 factor each cites, and what it checks.

Rule ids are stored in rule sets and findings, so never rename one; retire it and add a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from procurement.screening.model import Art10Factor


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    factor: Art10Factor
    title: str
    checks: str


# Not a rule: the applicability check (CII operator + Art. 21 category) always runs.
APPLICABILITY = "APPLICABILITY"

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "RESTRICTION_LIST",
        # A listing is a formal finding about the provider; buying from it may itself breach the
        # measure behind the list (factor 4). Supply-interruption aspects are named in the text.
        Art10Factor.PROVIDER_COMPLIANCE,
        "Vendor, parent or component supplier on a restriction list",
        "vendor restriction entries; vendor, parent and SBOM supplier names against the list",
    ),
    RuleSpec(
        "FOREIGN_CONTROL",
        Art10Factor.SUPPLY_CHAIN,
        "Vendor or ultimate parent abroad or foreign-controlled",
        "vendor country, ultimate parent country, ownership",
    ),
    RuleSpec(
        "REMOTE_ACCESS",
        Art10Factor.ILLEGAL_CONTROL,
        "Vendor remote maintenance or update channel into the CII system",
        "purchase remote maintenance and update channel flags",
    ),
    RuleSpec(
        "DATA_EXPOSURE",
        Art10Factor.DATA,
        "Core data, important data or large amounts of personal information",
        "data categories handled and personal-information subject count against the threshold",
    ),
    RuleSpec(
        "SUPPLY_CONTINUITY",
        Art10Factor.SUPPLY_INTERRUPTION,
        "Single source for a business-critical system",
        "single-source flag and business criticality of the CII system",
    ),
    RuleSpec(
        "KNOWN_VULNERABILITIES",
        Art10Factor.ILLEGAL_CONTROL,
        "Known vulnerabilities not analysed as not affecting the product",
        "embedded VEX and matched advisories, excluding not_affected/false_positive/resolved",
    ),
    RuleSpec(
        "SBOM_TRANSPARENCY",
        Art10Factor.SUPPLY_CHAIN,
        "Missing or low-quality SBOM",
        "presence of an SBOM, its quality score against the threshold, components w/o supplier",
    ),
    RuleSpec(
        "CERTIFICATION",
        # Selling uncertified critical network equipment breaches CSL Art. 23: the provider's
        # compliance (factor 4).
        Art10Factor.PROVIDER_COMPLIANCE,
        "Certificate or test report of critical network equipment (CSL Art. 23)",
        "category among the catalogued equipment and products, certification reference recorded",
    ),
    RuleSpec(
        "PURCHASE_VALUE",
        Art10Factor.OTHER,
        "Purchase value above the threshold",
        "value in CNY against the configured threshold",
    ),
)

RULES_BY_ID: Mapping[str, RuleSpec] = {r.id: r for r in RULES}
RULE_ORDER: Mapping[str, int] = {r.id: i for i, r in enumerate(RULES)}
