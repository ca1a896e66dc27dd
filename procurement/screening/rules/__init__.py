"""Rule functions by catalog id. Each takes the facts and the rule set and returns findings."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from procurement.screening.catalog import RULES_BY_ID
from procurement.screening.facts import ScreeningFacts
from procurement.screening.model import Finding
from procurement.screening.rules.components import known_vulnerabilities, sbom_transparency
from procurement.screening.rules.purchase import (
    certification,
    data_exposure,
    purchase_value,
    remote_access,
    supply_continuity,
)
from procurement.screening.rules.vendor import foreign_control, restriction_list
from procurement.screening.ruleset import RuleSet

RuleFn = Callable[[ScreeningFacts, RuleSet], list[Finding]]

RULE_FUNCTIONS: Mapping[str, RuleFn] = {
    "RESTRICTION_LIST": restriction_list,
    "FOREIGN_CONTROL": foreign_control,
    "REMOTE_ACCESS": remote_access,
    "DATA_EXPOSURE": data_exposure,
    "SUPPLY_CONTINUITY": supply_continuity,
    "KNOWN_VULNERABILITIES": known_vulnerabilities,
    "SBOM_TRANSPARENCY": sbom_transparency,
    "CERTIFICATION": certification,
    "PURCHASE_VALUE": purchase_value,
}

# Fail at import, not at screening time, if the catalog and the code drift apart.
if set(RULE_FUNCTIONS) != set(RULES_BY_ID):
    raise RuntimeError(f"rule catalog/code mismatch: {set(RULE_FUNCTIONS) ^ set(RULES_BY_ID)}")
