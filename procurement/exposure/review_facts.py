"""How a purchase's screening verdict and review case become the legal facts of Art. 41 (CII
Regulations; CSL Art. 65/67 for use) that the calculator takes.

- May affect national security: the current screening verdict is YES, or a reviewer took the
  case towards a declaration (DECLARATION_PREPARED and later). A reviewer's NOT_REQUIRED decision
  (with its written justification) waives a YES. NEEDS_ASSESSMENT alone is not yet "may affect":
  a note says what would apply if a reviewer confirmed it.
- Review passed: PASSED, or the office decided no review was needed (NO_REVIEW_NEEDED); review
  failed: FAILED. An outcome counts from its date on.
- A reviewer's step counts only from its date: an assessment of an earlier day sees the case as it
  stood then (the declaration date, else the date of the current state).

Pure: plain values in and out; :mod:`procurement.exposure.store` reads them from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from procurement.enums import CaseState, Verdict

# Reviewer steps towards a declaration: the reviewer confirmed the purchase may affect security.
CONFIRMED = frozenset({
    CaseState.DECLARATION_PREPARED, CaseState.DECLARED, CaseState.UNDER_REVIEW,
    CaseState.SPECIAL_REVIEW, CaseState.PASSED, CaseState.FAILED, CaseState.NO_REVIEW_NEEDED,
})  # fmt: skip
PASSED = frozenset({CaseState.PASSED, CaseState.NO_REVIEW_NEEDED})
AWAITING_REVIEWER_NOTE = (
    "screening says NEEDS_ASSESSMENT and no reviewer has confirmed it yet: if the purchase may "
    "affect national security, Art. 41 applies (1-10x the purchase amount, plus each responsible "
    "person) until a review passes"
)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """What the mapping reads of the purchase's latest review case."""

    state: CaseState
    state_since: date
    declared_on: date | None = None
    outcome_on: date | None = None


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    may_affect_national_security: bool
    review_passed: bool
    review_failed: bool
    note: str | None = None  # shown with the actual (not the what-if) exposure


def review_facts(verdict: Verdict | None, case: CaseRecord | None, as_of: date) -> ReviewFacts:
    """The facts on ``as_of`` from the current verdict (None: never screened) and the latest
    case (None: never had one)."""
    if case is None:
        may_affect = verdict is Verdict.YES
        pending = verdict is Verdict.NEEDS_ASSESSMENT
        return ReviewFacts(may_affect, False, False, AWAITING_REVIEWER_NOTE if pending else None)
    decided = case.outcome_on is None or case.outcome_on <= as_of
    since = case.declared_on or case.state_since
    confirmed = case.state in CONFIRMED and since <= as_of
    waived = case.state is CaseState.NOT_REQUIRED and case.state_since <= as_of
    may_affect = (verdict is Verdict.YES and not waived) or confirmed
    pending = (
        verdict is Verdict.NEEDS_ASSESSMENT
        and not may_affect
        and case.state is not CaseState.NOT_REQUIRED
    )
    return ReviewFacts(
        may_affect_national_security=may_affect,
        review_passed=case.state in PASSED and decided,
        review_failed=case.state is CaseState.FAILED and decided,
        note=AWAITING_REVIEWER_NOTE if pending else None,
    )
