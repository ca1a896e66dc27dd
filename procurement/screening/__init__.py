"""Article 19 screening: explainable rules over plain facts, OSV advisory matching.

Pure functions over plain values: no database, no GraphQL.
"""

from procurement.screening.advisories import Advisory, affects, parse_osv, parse_osv_many
from procurement.screening.catalog import RULES, RULES_BY_ID, RuleSpec
from procurement.screening.engine import screen
from procurement.screening.facts import (
    AnalysisState,
    ComponentRef,
    PurchaseFacts,
    RestrictionEntry,
    SbomFacts,
    ScreeningFacts,
    VendorFacts,
    VulnerabilityFact,
)
from procurement.screening.model import (
    Art10Factor,
    Category,
    Finding,
    Ownership,
    ScreeningResult,
    Severity,
    Verdict,
)
from procurement.screening.ruleset import DEFAULT_RULESET, RuleSet, Thresholds

__all__ = [
    "DEFAULT_RULESET",
    "RULES",
    "RULES_BY_ID",
    "Advisory",
    "AnalysisState",
    "Art10Factor",
    "Category",
    "ComponentRef",
    "Finding",
    "Ownership",
    "PurchaseFacts",
    "RestrictionEntry",
    "RuleSet",
    "RuleSpec",
    "SbomFacts",
    "ScreeningFacts",
    "ScreeningResult",
    "Severity",
    "Thresholds",
    "VendorFacts",
    "Verdict",
    "VulnerabilityFact",
    "affects",
    "parse_osv",
    "parse_osv_many",
    "screen",
]
