from __future__ import annotations

from datetime import date

import pytest

from procurement.errors import ErrorCode, InputError
from procurement.reviews.declaration import (
    DeclarationMaterial,
    missing_declaration_materials,
)
from procurement.reviews.state_machine import (
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    CaseState,
    DecideNotRequired,
    EventKind,
    FileDeclaration,
    OfficeNoReview,
    OfficeStartReview,
    PrepareDeclaration,
    ReviewFailed,
    ReviewPassed,
    StartSpecialReview,
    Withdraw,
    allowed_events,
    transition,
)
from procurement.reviews.usage import (
    UsageFlagCode,
    ensure_can_record_in_use,
    usage_flag,
)

D = date(2024, 3, 1)
ALL_FILING = frozenset(
    {
        DeclarationMaterial.DECLARATION_FORM,
        DeclarationMaterial.IMPACT_ANALYSIS_REPORT,
        DeclarationMaterial.PROCUREMENT_DOCUMENTS,
    }
)


def test_full_path_to_passed_via_special_review() -> None:
    state = CaseState.PENDING_TRIAGE
    state = transition(state, PrepareDeclaration(D))
    assert state is CaseState.DECLARATION_PREPARED
    state = transition(state, FileDeclaration(D, ALL_FILING))
    assert state is CaseState.DECLARED
    state = transition(state, OfficeStartReview(D))
    assert state is CaseState.UNDER_REVIEW
    state = transition(state, StartSpecialReview(D))
    assert state is CaseState.SPECIAL_REVIEW
    assert transition(state, ReviewPassed(D)) is CaseState.PASSED
    assert transition(state, ReviewFailed(D)) is CaseState.FAILED


def test_office_may_decide_no_review_needed() -> None:
    assert transition(CaseState.DECLARED, OfficeNoReview(D)) is CaseState.NO_REVIEW_NEEDED


def test_preliminary_review_can_end_without_special_review() -> None:
    assert transition(CaseState.UNDER_REVIEW, ReviewFailed(D)) is CaseState.FAILED


def test_not_required_needs_written_justification() -> None:
    decided = DecideNotRequired(D, "Outside Art. 21: office furniture with no network function.")
    assert transition(CaseState.PENDING_TRIAGE, decided) is CaseState.NOT_REQUIRED
    with pytest.raises(InputError) as exc:
        transition(CaseState.PENDING_TRIAGE, DecideNotRequired(D, "   "))
    assert exc.value.errors[0].field == "justification"
    assert exc.value.errors[0].code is ErrorCode.REQUIRED


def test_filing_requires_the_first_three_art8_materials() -> None:
    # given only the declaration form
    event = FileDeclaration(D, frozenset({DeclarationMaterial.DECLARATION_FORM}))
    # when filing, then both missing items are named
    with pytest.raises(InputError) as exc:
        transition(CaseState.DECLARATION_PREPARED, event)
    err = exc.value.errors[0]
    assert err.field == "materials"
    assert err.code is ErrorCode.REQUIRED
    assert "IMPACT_ANALYSIS_REPORT (Review Measures Art. 8(2))" in err.message
    assert "PROCUREMENT_DOCUMENTS (Review Measures Arts. 8(3), 6)" in err.message
    assert "DECLARATION_FORM" not in err.message


def test_missing_materials_helper() -> None:
    assert [i.material for i in missing_declaration_materials([])] == [
        DeclarationMaterial.DECLARATION_FORM,
        DeclarationMaterial.IMPACT_ANALYSIS_REPORT,
        DeclarationMaterial.PROCUREMENT_DOCUMENTS,
    ]
    assert missing_declaration_materials(ALL_FILING) == ()
    assert [
        i.material for i in missing_declaration_materials(ALL_FILING, office_requested=True)
    ] == [DeclarationMaterial.OFFICE_REQUESTED_MATERIALS]


def test_invalid_transition_names_state_event_and_allowed() -> None:
    with pytest.raises(InputError) as exc:
        transition(CaseState.PENDING_TRIAGE, OfficeStartReview(D))
    err = exc.value.errors[0]
    assert err.code is ErrorCode.INVALID_STATE
    assert err.message == (
        "cannot OFFICE_START_REVIEW from state PENDING_TRIAGE; allowed from PENDING_TRIAGE: "
        "DECIDE_NOT_REQUIRED -> NOT_REQUIRED, PREPARE_DECLARATION -> DECLARATION_PREPARED, "
        "WITHDRAW -> WITHDRAWN"
    )


def test_final_state_says_so() -> None:
    with pytest.raises(InputError) as exc:
        transition(CaseState.PASSED, Withdraw(D, "purchase cancelled"))
    assert exc.value.errors[0].message == (
        "cannot WITHDRAW from state PASSED; allowed from PASSED: none, the state is final"
    )


@pytest.mark.parametrize("state", sorted(OPEN_STATES))
def test_withdraw_from_every_non_final_state(state: CaseState) -> None:
    assert transition(state, Withdraw(D, "purchase cancelled")) is CaseState.WITHDRAWN


def test_withdraw_requires_reason() -> None:
    with pytest.raises(InputError) as exc:
        transition(CaseState.DECLARED, Withdraw(D, ""))
    assert exc.value.errors[0].field == "reason"


def test_final_states() -> None:
    final = FINAL_STATES
    assert final == {
        CaseState.NOT_REQUIRED,
        CaseState.NO_REVIEW_NEEDED,
        CaseState.PASSED,
        CaseState.FAILED,
        CaseState.WITHDRAWN,
    }
    assert set(TRANSITIONS) == set(CaseState)
    assert allowed_events(CaseState.SPECIAL_REVIEW) == (
        EventKind.REVIEW_PASSED,
        EventKind.REVIEW_FAILED,
        EventKind.WITHDRAW,
    )


def test_failed_review_cannot_be_recorded_in_use() -> None:
    with pytest.raises(InputError) as exc:
        ensure_can_record_in_use(CaseState.FAILED)
    assert exc.value.errors[0].code is ErrorCode.INVALID_STATE
    for state in (None, CaseState.PASSED, CaseState.UNDER_REVIEW, CaseState.NOT_REQUIRED):
        ensure_can_record_in_use(state)  # no error


def test_usage_flags() -> None:
    flag = usage_flag(CaseState.UNDER_REVIEW, in_use=True)
    assert flag is not None
    assert flag.code is UsageFlagCode.IN_USE_REVIEW_OPEN
    assert "UNDER_REVIEW" in flag.message
    failed = usage_flag(CaseState.FAILED, in_use=True)
    assert failed is not None and failed.code is UsageFlagCode.IN_USE_REVIEW_FAILED
    assert usage_flag(CaseState.UNDER_REVIEW, in_use=False) is None
    assert usage_flag(CaseState.PASSED, in_use=True) is None
    assert usage_flag(CaseState.NO_REVIEW_NEEDED, in_use=True) is None
    assert usage_flag(None, in_use=True) is None
