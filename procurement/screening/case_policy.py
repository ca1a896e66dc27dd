"""When a screening result opens a review case (CII Regulations Art. 19; Review Measures Art. 5).

A YES or NEEDS_ASSESSMENT result opens a case unless the purchase has one open (then the open
case is kept current instead). After a case was closed as NOT_REQUIRED (the operator's own
judgement), a new case opens only when the risk rose since that decision: a worse verdict, or a
HIGH/CRITICAL finding the decision did not see. After the office's decisions (no review needed,
passed, failed) and after a withdrawal nothing reopens automatically: the decision stands for the
purchase. Screening never closes a case.

Pure: plain values in, a decision out; :mod:`procurement.screening.store.cases` applies it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from procurement.enums import CaseState
from procurement.screening.model import ScreeningResult, Severity, Verdict

OPENS_CASE = frozenset({Verdict.YES, Verdict.NEEDS_ASSESSMENT})
_VERDICT_RANK = {Verdict.NO: 0, Verdict.NEEDS_ASSESSMENT: 1, Verdict.YES: 2}


@dataclass(frozen=True, slots=True)
class DecisionBasis:
    """The stored screening a NOT_REQUIRED decision was taken on (findings as stored dicts)."""

    verdict: Verdict
    findings: Sequence[dict[str, Any]]


def _high_pairs(findings: Sequence[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (f["rule_id"], f["severity"])
        for f in findings
        if Severity(f["severity"]).rank >= Severity.HIGH.rank
    }


def risk_rose(basis: DecisionBasis, new: ScreeningResult) -> bool:
    """A worse verdict than the decision saw, or a HIGH/CRITICAL (rule, severity) it did not."""
    if _VERDICT_RANK[new.verdict] > _VERDICT_RANK[basis.verdict]:
        return True
    new_pairs = _high_pairs([f.to_dict() for f in new.findings])
    return bool(new_pairs - _high_pairs(basis.findings))


def opens_case(
    result: ScreeningResult, latest: CaseState | None, basis: DecisionBasis | None
) -> bool:
    """Whether ``result`` opens a new case for a purchase with no open case.

    ``latest`` is the state of the purchase's newest (closed) case, None when it never had one;
    ``basis`` is what a NOT_REQUIRED decision was taken on, None when unknown.
    """
    if result.verdict not in OPENS_CASE:
        return False
    if latest is None:
        return True
    if latest is not CaseState.NOT_REQUIRED:
        return False  # the office decided, or the purchase was withdrawn: the decision stands
    return basis is None or risk_rose(basis, result)
