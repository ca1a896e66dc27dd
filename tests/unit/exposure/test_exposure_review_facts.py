"""Art. 41's "may affect national security", "review passed/failed" from the screening verdict and
the review case, on a given day (procurement.exposure.review_facts)."""

from __future__ import annotations

from datetime import date

import pytest

from procurement.enums import CaseState, Verdict
from procurement.exposure.review_facts import (
    AWAITING_REVIEWER_NOTE,
    CaseRecord,
    ReviewFacts,
    review_facts,
)

AS_OF = date(2025, 6, 1)
BEFORE = date(2025, 3, 10)
AFTER = date(2025, 7, 1)
CLEAN = ReviewFacts(False, False, False)
OWED = ReviewFacts(True, False, False)


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (None, CLEAN),  # never screened
        (Verdict.NO, CLEAN),
        (Verdict.YES, OWED),
        (Verdict.NEEDS_ASSESSMENT, ReviewFacts(False, False, False, AWAITING_REVIEWER_NOTE)),
    ],
)
def test_without_a_case_the_verdict_decides(verdict: Verdict | None, expected: ReviewFacts) -> None:
    assert review_facts(verdict, None, AS_OF) == expected


def test_not_required_waives_a_yes_from_its_date() -> None:
    # given a YES the reviewer judged NOT_REQUIRED on 10 March
    waived = CaseRecord(CaseState.NOT_REQUIRED, state_since=BEFORE)
    # then from that day nothing is owed, and before it the YES stands
    assert review_facts(Verdict.YES, waived, AS_OF) == CLEAN
    assert review_facts(Verdict.YES, waived, date(2025, 3, 9)) == OWED


def test_not_required_on_needs_assessment_leaves_no_note() -> None:
    waived = CaseRecord(CaseState.NOT_REQUIRED, state_since=BEFORE)
    assert review_facts(Verdict.NEEDS_ASSESSMENT, waived, AS_OF) == CLEAN


def test_a_pending_triage_keeps_the_note_on_needs_assessment() -> None:
    triage = CaseRecord(CaseState.PENDING_TRIAGE, state_since=BEFORE)
    assert review_facts(Verdict.NEEDS_ASSESSMENT, triage, AS_OF).note == AWAITING_REVIEWER_NOTE


@pytest.mark.parametrize("verdict", [Verdict.NO, Verdict.NEEDS_ASSESSMENT])
def test_a_reviewer_preparing_the_declaration_confirms_the_risk(verdict: Verdict) -> None:
    # given screening did not say YES, but a reviewer prepared the declaration on 10 March
    prepared = CaseRecord(CaseState.DECLARATION_PREPARED, state_since=BEFORE)
    # then the review is owed from that day on, with no note; earlier, it was not
    assert review_facts(verdict, prepared, AS_OF) == OWED
    assert review_facts(verdict, prepared, date(2025, 3, 9)).may_affect_national_security is False


def test_the_declaration_date_counts_over_the_date_of_the_current_state() -> None:
    # given a case declared on 10 March, under review since 1 July
    reviewing = CaseRecord(CaseState.UNDER_REVIEW, state_since=AFTER, declared_on=BEFORE)
    # then on 1 June it was already confirmed
    assert review_facts(Verdict.NO, reviewing, AS_OF) == OWED


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (CaseState.PASSED, ReviewFacts(True, True, False)),
        (CaseState.NO_REVIEW_NEEDED, ReviewFacts(True, True, False)),
        (CaseState.FAILED, ReviewFacts(True, False, True)),
    ],
)
def test_the_outcome_counts_from_its_date(state: CaseState, expected: ReviewFacts) -> None:
    # given an outcome on 10 March of a case declared the same day
    decided = CaseRecord(state, state_since=BEFORE, declared_on=BEFORE, outcome_on=BEFORE)
    # then on 1 June it counts
    assert review_facts(Verdict.YES, decided, AS_OF) == expected
    # and an outcome dated 1 July does not count yet on 1 June
    later = CaseRecord(state, state_since=AFTER, declared_on=BEFORE, outcome_on=AFTER)
    assert review_facts(Verdict.YES, later, AS_OF) == OWED


def test_a_withdrawn_case_leaves_the_verdict_in_force() -> None:
    withdrawn = CaseRecord(CaseState.WITHDRAWN, state_since=BEFORE, outcome_on=BEFORE)
    assert review_facts(Verdict.YES, withdrawn, AS_OF) == OWED
    assert review_facts(Verdict.NO, withdrawn, AS_OF) == CLEAN
