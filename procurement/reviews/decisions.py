"""The choices a reviewer records, each mapped to the state machine's event."""

from __future__ import annotations

from enum import StrEnum


class TriageDecision(StrEnum):
    NOT_REQUIRED = "NOT_REQUIRED"  # no declaration needed (written justification required)
    DECLARATION_REQUIRED = "DECLARATION_REQUIRED"  # prepare the Art. 8 declaration


class OfficeDecision(StrEnum):
    NO_REVIEW_NEEDED = "NO_REVIEW_NEEDED"  # Art. 9: no review needed
    REVIEW_STARTED = "REVIEW_STARTED"  # Arts. 9, 11: written notice that a review will be run
    MARKED_COMPLEX = "MARKED_COMPLEX"  # Art. 11: complex case, +15 working days
    SPECIAL_REVIEW_STARTED = "SPECIAL_REVIEW_STARTED"  # Arts. 13-14


class ReviewOutcome(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"


class PendingReviewOrder(StrEnum):
    DEADLINE = "DEADLINE"  # earliest due first (so overdue first), cases without a clock last
    RISK = "RISK"  # highest screening score first
    VALUE = "VALUE"  # highest CNY value first, values not known in CNY last
