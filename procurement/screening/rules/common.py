"""Shared helpers for rule modules: building findings from the catalog, capping evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from procurement.screening.catalog import RULES_BY_ID
from procurement.screening.model import Art10Factor, Finding, Severity

EVIDENCE_LIST_CAP = 50  # keep findings readable for SBOMs with thousands of components


def finding(
    rule_id: str,
    severity: Severity,
    explanation: str,
    evidence: dict[str, Any],
    missing: Sequence[str] = (),
    factor: Art10Factor | None = None,
    also_cites: str | None = None,
) -> Finding:
    """``factor`` overrides the rule's own factor when one rule argues two (a listed vendor is a
    compliance finding; a listed component supplier is a supply-chain one): the citation must be
    the factor the text argues."""
    spec = RULES_BY_ID[rule_id]
    factor = factor or spec.factor
    return Finding(
        rule_id=rule_id,
        factor=factor,
        severity=severity,
        explanation=explanation,
        evidence=evidence,
        legal_basis="; ".join(
            c for c in (factor.citation, also_cites, "CII Regulations Art. 19") if c
        ),
        missing_facts=tuple(missing),
    )


def missing_fact(rule_id: str, path: str, question: str, why: str) -> Finding:
    """An INFO finding asking the reviewer to record an unknown fact."""
    return finding(
        rule_id,
        Severity.INFO,
        f"Unknown: {question} ({path}). Record it: {why}",
        {"missing": path},
        missing=(path,),
    )


def capped(items: Sequence[str]) -> list[str]:
    """Sorted, de-duplicated, at most EVIDENCE_LIST_CAP items (the full count goes alongside)."""
    return sorted(set(items))[:EVIDENCE_LIST_CAP]


def preview(items: Sequence[str], limit: int = 3) -> str:
    """``a, b, c and 4 more`` for explanations."""
    unique = sorted(set(items))
    head = ", ".join(unique[:limit])
    return head if len(unique) <= limit else f"{head} and {len(unique) - limit} more"
