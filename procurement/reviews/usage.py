"""Rules tying a purchase's use to its review outcome.

A product that failed the review must not be used (CII Regulations Art. 19; Cybersecurity Law
Art. 65, Art. 67 from 2026-01-01), so recording it in use is refused. A product already in use while
its review is still open is allowed but flagged, because using it before the outcome risks the
same penalty if the review then fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from procurement.errors import ErrorCode, InputError
from procurement.reviews.messages import said
from procurement.reviews.state_machine import OPEN_STATES, CaseState
from procurement.texts import Text


class UsageFlagCode(StrEnum):
    IN_USE_REVIEW_OPEN = "IN_USE_REVIEW_OPEN"
    IN_USE_REVIEW_FAILED = "IN_USE_REVIEW_FAILED"


@dataclass(frozen=True, slots=True)
class UsageFlag:
    code: UsageFlagCode
    state: CaseState
    message: str


def ensure_can_record_in_use(state: CaseState | None) -> None:
    """Raise ``INVALID_STATE`` when the purchase's review case has FAILED; ``None`` = no case."""
    if state is CaseState.FAILED:
        failed = Text("reviews.usage.failed", {})
        raise InputError([said("inUse", failed, ErrorCode.INVALID_STATE)])


def usage_flag(state: CaseState | None, in_use: bool) -> UsageFlag | None:
    """Flag a purchase in use whose review is open, or (legacy data) failed; None when fine."""
    if not in_use or state is None:
        return None
    if state is CaseState.FAILED:
        return UsageFlag(
            UsageFlagCode.IN_USE_REVIEW_FAILED,
            state,
            "In use although the review failed: stop using it and report to the security team.",
        )
    if state in OPEN_STATES:
        return UsageFlag(
            UsageFlagCode.IN_USE_REVIEW_OPEN,
            state,
            f"In use while the review case is still {state}: the outcome may require stopping "
            "use; confirm the decision to deploy before the outcome.",
        )
    return None
