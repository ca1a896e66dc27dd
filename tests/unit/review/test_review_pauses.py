"""Pausing the office's clock for supplementary materials (Review Measures Art. 15)."""

from __future__ import annotations

from datetime import date

import pytest

from procurement.enums import CaseState
from procurement.errors import ErrorCode, InputError
from procurement.reviews.calendar import DateRange
from procurement.reviews.pauses import (
    CLOCK_STATES,
    check_can_request,
    check_receipt,
    check_request_date,
)

RECEIVED = DateRange(date(2025, 3, 3), date(2025, 3, 10))
AWAITED = DateRange(date(2025, 3, 17))
TODAY = date(2025, 3, 20)


def refused(error: pytest.ExceptionInfo[InputError]) -> tuple[str | None, str, ErrorCode]:
    [e] = error.value.errors
    return e.field, e.message, e.code


def test_only_the_three_states_with_a_running_clock_can_pause() -> None:
    assert {CaseState.DECLARED, CaseState.UNDER_REVIEW, CaseState.SPECIAL_REVIEW} == CLOCK_STATES


@pytest.mark.parametrize("state", sorted(CLOCK_STATES))
def test_a_running_clock_can_be_paused(state: CaseState) -> None:
    # given a case whose earlier materials arrived; when more are requested; then it is allowed
    check_can_request(state, [RECEIVED])


def test_no_clock_no_pause() -> None:
    # given a case still being prepared for declaration
    # when materials are requested; then refused, naming the states where the clock runs
    with pytest.raises(InputError) as error:
        check_can_request(CaseState.DECLARATION_PREPARED, [])
    assert refused(error) == (
        None,
        "supplementary materials pause the office's clock, which runs only in DECLARED, "
        "UNDER_REVIEW and SPECIAL_REVIEW; the case is DECLARATION_PREPARED",
        ErrorCode.INVALID_STATE,
    )


def test_one_request_at_a_time() -> None:
    # given materials requested on 17 March and still awaited
    # when more are requested; then refused until their receipt is recorded
    with pytest.raises(InputError) as error:
        check_can_request(CaseState.UNDER_REVIEW, [RECEIVED, AWAITED])
    assert refused(error) == (
        None,
        "materials requested on 2025-03-17 are still awaited; record their receipt first",
        ErrorCode.INVALID_STATE,
    )


def test_a_new_request_may_start_the_day_the_last_materials_arrived() -> None:
    # given materials received on 10 March; when a request is dated 10 March; then allowed
    check_request_date([RECEIVED], date(2025, 3, 10))
    check_request_date([], date(2025, 1, 1))


def test_a_new_request_cannot_start_before_the_last_materials_arrived() -> None:
    # given materials received on 10 March; when a new request is dated 9 March; then refused
    with pytest.raises(InputError) as error:
        check_request_date([RECEIVED], date(2025, 3, 9))
    assert refused(error) == (
        "requestedOn",
        "2025-03-09 is before the previous materials were received (2025-03-10)",
        ErrorCode.OUT_OF_RANGE,
    )


@pytest.mark.parametrize("received_on", [date(2025, 3, 17), TODAY])
def test_materials_arrive_between_their_request_and_today(received_on: date) -> None:
    check_receipt(CaseState.UNDER_REVIEW, [RECEIVED, AWAITED], received_on, TODAY)


@pytest.mark.parametrize("received_on", [date(2025, 3, 16), date(2025, 3, 21)])
def test_a_receipt_outside_that_window_is_refused(received_on: date) -> None:
    with pytest.raises(InputError) as error:
        check_receipt(CaseState.UNDER_REVIEW, [AWAITED], received_on, TODAY)
    assert refused(error) == (
        "receivedOn",
        f"must be between the request on 2025-03-17 and today (2025-03-20), got "
        f"{received_on.isoformat()}",
        ErrorCode.OUT_OF_RANGE,
    )


@pytest.mark.parametrize(
    ("state", "pauses"),
    [
        (CaseState.UNDER_REVIEW, []),  # nothing was requested
        (CaseState.UNDER_REVIEW, [RECEIVED]),  # the last request was answered
        (CaseState.PASSED, [AWAITED]),  # the case closed while materials were awaited
    ],
)
def test_a_receipt_needs_an_awaited_request_on_an_open_case(
    state: CaseState, pauses: list[DateRange]
) -> None:
    with pytest.raises(InputError) as error:
        check_receipt(state, pauses, TODAY, TODAY)
    assert refused(error) == (
        None,
        "no supplementary materials are awaited for this case",
        ErrorCode.INVALID_STATE,
    )
