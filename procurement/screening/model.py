"""Vocabulary of the Article 19 screening: categories, severities, verdicts, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from procurement.enums import Ownership as Ownership  # re-exported for screening callers
from procurement.enums import PurchaseCategory
from procurement.enums import Severity as Severity  # stored as a rank, hence defined there
from procurement.enums import Verdict as Verdict  # stored by the models, hence defined there
from procurement.texts import Text

# The project's shared vocabulary (procurement.enums) is reused so that stored purchases and
# screening facts cannot drift apart; ``Category`` is the short name used in this package.
Category = PurchaseCategory


class Art10Factor(IntEnum):
    """Review Measures Art. 10 risk factors relevant to procurement (6 is listing abroad only)."""

    ILLEGAL_CONTROL = 1  # CII illegally controlled, interfered with or destroyed
    SUPPLY_INTERRUPTION = 2  # business continuity harmed if supply is interrupted
    SUPPLY_CHAIN = 3  # security, openness, transparency, source diversity, supply reliability
    PROVIDER_COMPLIANCE = 4  # provider's compliance with Chinese laws and rules
    DATA = 5  # core/important/large amounts of personal data stolen, leaked, sent abroad
    OTHER = 7  # other factors endangering CII, network or data security

    @property
    def citation(self) -> str:
        return f"Review Measures Art. 10({self.value})"


@dataclass(frozen=True, slots=True)
class Finding:
    """One explainable reason. ``factor`` is None only for applicability findings (scope, CII
    identification), which are not risk factors. ``evidence`` holds JSON-ready plain values."""

    rule_id: str
    factor: Art10Factor | None
    severity: Severity
    explanation: str
    evidence: dict[str, Any]
    legal_basis: str
    # Field paths whose absence produced or weakened this finding.
    missing_facts: tuple[str, ...] = ()
    # The explanation as a message id and parameters (procurement/screening/messages.py), so
    # the console can show it in Chinese; ``explanation`` is its English rendering.
    message: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "factor": int(self.factor) if self.factor is not None else None,
            "severity": str(self.severity),
            "explanation": self.explanation,
            "evidence": self.evidence,
            "legal_basis": self.legal_basis,
            "missing_facts": list(self.missing_facts),
            **({"message": self.message.to_dict()} if self.message is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    verdict: Verdict
    score: int  # 0-100, sum of severity weights capped at 100
    findings: tuple[Finding, ...]
    # Why the verdict is what it is, in order of the decision steps taken.
    reasons: tuple[str, ...]
    ruleset_version: int
    missing_facts: tuple[str, ...] = field(default=())
    # ``reasons`` as message ids (screening/messages.py), for pages in other languages; not
    # stored with the result, whose stored form predates them.
    reason_messages: tuple[Text, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "score": self.score,
            "findings": [f.to_dict() for f in self.findings],
            "reasons": list(self.reasons),
            "ruleset_version": self.ruleset_version,
            "missing_facts": list(self.missing_facts),
        }
