"""Shared helpers for rule modules: building findings from the catalog, capping evidence, and
the explanations' message texts (procurement/screening/messages.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from procurement.enums import PurchaseCategory
from procurement.screening.catalog import RULES_BY_ID
from procurement.screening.messages import TEMPLATES
from procurement.screening.model import Art10Factor, Finding, Severity
from procurement.texts import Param, Separator, Text, TextList, english

EVIDENCE_LIST_CAP = 50  # keep findings readable for SBOMs with thousands of components


def text(message_id: str, **params: Param) -> Text:
    """A screening message; an unknown id fails here, when the rule is written and tested."""
    if message_id not in TEMPLATES:
        raise KeyError(f"no screening message {message_id!r}")
    return Text(message_id, params)


def explain(message: Text) -> str:
    """The English explanation (what the API and the CLI show)."""
    return english(message, TEMPLATES)


def category_text(category: PurchaseCategory) -> Text:
    return text(f"screening.category.{category}")


def finding(
    rule_id: str,
    severity: Severity,
    message: Text,
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
        explanation=explain(message),
        evidence=evidence,
        legal_basis="; ".join(
            c for c in (factor.citation, also_cites, "CII Regulations Art. 19") if c
        ),
        missing_facts=tuple(missing),
        message=message,
    )


def missing_fact(rule_id: str, path: str, question: Text, why: Param) -> Finding:
    """An INFO finding asking the reviewer to record an unknown fact."""
    return finding(
        rule_id,
        Severity.INFO,
        text("screening.missing", question=question, path=path, why=why),
        {"missing": path},
        missing=(path,),
    )


def capped(items: Sequence[str]) -> list[str]:
    """Sorted, de-duplicated, at most EVIDENCE_LIST_CAP items (the full count goes alongside)."""
    return sorted(set(items))[:EVIDENCE_LIST_CAP]


def preview(
    items: Sequence[str], limit: int = 3, shown: Mapping[str, Param] | None = None
) -> Param:
    """``a, b, c and 4 more`` for explanations; ``shown`` gives an item's text when it is not the
    string itself (the order stays that of the strings)."""
    unique = sorted(set(items))
    head = TextList(tuple((shown or {}).get(i, i) for i in unique[:limit]), Separator.COMMA)
    if len(unique) <= limit:
        return head
    return text("screening.list.more", items=head, more=len(unique) - limit)
