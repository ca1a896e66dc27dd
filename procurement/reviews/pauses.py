"""Pausing the office's clock for supplementary materials (Cybersecurity Review Measures Art. 15).

Time spent supplying materials the office asked for does not count towards its deadline. Only a
running clock can be paused (DECLARED, UNDER_REVIEW, SPECIAL_REVIEW), one request at a time; a
new request cannot start before the previous materials arrived; materials are received between
their request and today, and never on a closed case.

Pure: a case's pauses are :class:`DateRange` values, oldest first (start = requested on, end =
received on, None while awaited); each check raises InputError, changing nothing.

Which days a pause takes off the clock is a matter of reading. Art. 15 says only "提交补充材料的时间
不计入审查时间" (the time for submitting supplementary materials is not counted). The receipt day
belongs to that time on both readings; the request day is disputed:

- ``REQUEST_DAY_COUNTED`` (the default): the time for submitting is a period counted in days,
  and Civil Code Art. 201 para. 1 says a period counted in days does not include the day it
  starts on (开始的当日不计入，自下一日开始计算). The office worked on the day it asked, so that day
  stays review time; the pause runs from the next day to the receipt. The same rule makes the
  review clock itself start the day after its start date (procurement.reviews.calendar).
- ``REQUEST_DAY_EXCLUDED``: the clock stops the moment the office asks, so the request day is
  already "time for submitting" (the office's view when it counts only full days of review).
  Chosen with ``PROCUREMENT_PAUSE_REQUEST_DAY=excluded``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from procurement.enums import CaseState
from procurement.errors import ErrorCode, InputError
from procurement.reviews.calendar import DateRange
from procurement.reviews.messages import said
from procurement.reviews.messages import state as case_state
from procurement.reviews.state_machine import FINAL_STATES
from procurement.texts import Text

# The office's clock runs only in these states, so only they can be paused.
CLOCK_STATES = frozenset({CaseState.DECLARED, CaseState.UNDER_REVIEW, CaseState.SPECIAL_REVIEW})


class PauseReading(StrEnum):
    """Whether the day the office asked for materials still counts (see the module docstring)."""

    REQUEST_DAY_COUNTED = "counted"
    REQUEST_DAY_EXCLUDED = "excluded"


DEFAULT_PAUSE_READING = PauseReading.REQUEST_DAY_COUNTED


def excluded_days(
    pauses: Sequence[DateRange], reading: PauseReading = DEFAULT_PAUSE_READING
) -> list[DateRange]:
    """The days each pause takes off the clock; none for materials received the day they were
    asked for when the request day counts."""
    if reading is PauseReading.REQUEST_DAY_EXCLUDED:
        return list(pauses)
    out: list[DateRange] = []
    for pause in pauses:
        start = pause.start + timedelta(days=1)
        if pause.end is None or pause.end >= start:
            out.append(DateRange(start, pause.end))
    return out


def check_can_request(state: CaseState, pauses: Sequence[DateRange]) -> None:
    """The clock runs and no earlier request is still awaited."""
    if state not in CLOCK_STATES:
        stopped = Text("reviews.pauses.clock_stopped", {"state": case_state(state)})
        raise InputError([said(None, stopped, ErrorCode.INVALID_STATE)])
    if pauses and pauses[-1].end is None:
        awaited = Text("reviews.pauses.awaited", {"day": pauses[-1].start.isoformat()})
        raise InputError([said(None, awaited, ErrorCode.INVALID_STATE)])


def check_request_date(pauses: Sequence[DateRange], requested_on: date) -> None:
    """A new pause starts no earlier than the previous materials were received."""
    received = pauses[-1].end if pauses else None
    if received is not None and requested_on < received:
        days = {"day": requested_on.isoformat(), "received": received.isoformat()}
        early = Text("reviews.pauses.before_receipt", days)
        raise InputError([said("requestedOn", early, ErrorCode.OUT_OF_RANGE)])


def check_receipt(
    state: CaseState, pauses: Sequence[DateRange], received_on: date, today: date
) -> None:
    """The newest pause is awaited on an open case, and ends between its request and today."""
    awaited = pauses[-1] if pauses and pauses[-1].end is None else None
    if awaited is None or state in FINAL_STATES:
        none = Text("reviews.pauses.none_awaited", {})
        raise InputError([said(None, none, ErrorCode.INVALID_STATE)])
    if received_on < awaited.start or received_on > today:
        days = {
            "start": awaited.start.isoformat(),
            "today": today.isoformat(),
            "day": received_on.isoformat(),
        }
        outside = Text("reviews.pauses.receipt_range", days)
        raise InputError([said("receivedOn", outside, ErrorCode.OUT_OF_RANGE)])
