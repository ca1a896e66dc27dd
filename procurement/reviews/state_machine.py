"""Review case life cycle as a transition table.

::

    PENDING_TRIAGE ──DECIDE_NOT_REQUIRED──▶ NOT_REQUIRED           (written justification)
          │
          └─PREPARE_DECLARATION──▶ DECLARATION_PREPARED
                                     └─FILE_DECLARATION──▶ DECLARED  (Art. 8 materials, filing date)
        DECLARED ──OFFICE_NO_REVIEW──▶ NO_REVIEW_NEEDED              (Art. 9)
        DECLARED ──OFFICE_START_REVIEW──▶ UNDER_REVIEW               (Arts. 9, 11)
        UNDER_REVIEW ──START_SPECIAL_REVIEW──▶ SPECIAL_REVIEW        (Arts. 13-14)
        UNDER_REVIEW | SPECIAL_REVIEW ──REVIEW_PASSED / REVIEW_FAILED──▶ PASSED / FAILED
        any non-final state ──WITHDRAW──▶ WITHDRAWN                  (purchase cancelled)

Final states have no way out: a changed purchase after NOT_REQUIRED, or a re-purchase after
WITHDRAWN, opens a new case, so each case's history stays true to what was decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from procurement.enums import CaseState as CaseState  # stored by the models, hence defined there
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.reviews.declaration import DeclarationMaterial, missing_declaration_materials
from procurement.reviews.messages import TEMPLATES
from procurement.texts import Text, TextList


class EventKind(StrEnum):
    DECIDE_NOT_REQUIRED = "DECIDE_NOT_REQUIRED"
    PREPARE_DECLARATION = "PREPARE_DECLARATION"
    FILE_DECLARATION = "FILE_DECLARATION"
    OFFICE_NO_REVIEW = "OFFICE_NO_REVIEW"
    OFFICE_START_REVIEW = "OFFICE_START_REVIEW"
    START_SPECIAL_REVIEW = "START_SPECIAL_REVIEW"
    REVIEW_PASSED = "REVIEW_PASSED"
    REVIEW_FAILED = "REVIEW_FAILED"
    WITHDRAW = "WITHDRAW"


_S, _E = CaseState, EventKind

TRANSITIONS: Mapping[CaseState, Mapping[EventKind, CaseState]] = {
    _S.PENDING_TRIAGE: {
        _E.DECIDE_NOT_REQUIRED: _S.NOT_REQUIRED,
        _E.PREPARE_DECLARATION: _S.DECLARATION_PREPARED,
        _E.WITHDRAW: _S.WITHDRAWN,
    },
    _S.DECLARATION_PREPARED: {
        _E.FILE_DECLARATION: _S.DECLARED,
        _E.WITHDRAW: _S.WITHDRAWN,
    },
    _S.DECLARED: {
        _E.OFFICE_NO_REVIEW: _S.NO_REVIEW_NEEDED,
        _E.OFFICE_START_REVIEW: _S.UNDER_REVIEW,
        _E.WITHDRAW: _S.WITHDRAWN,
    },
    _S.UNDER_REVIEW: {
        _E.START_SPECIAL_REVIEW: _S.SPECIAL_REVIEW,
        _E.REVIEW_PASSED: _S.PASSED,
        _E.REVIEW_FAILED: _S.FAILED,
        _E.WITHDRAW: _S.WITHDRAWN,
    },
    _S.SPECIAL_REVIEW: {
        _E.REVIEW_PASSED: _S.PASSED,
        _E.REVIEW_FAILED: _S.FAILED,
        _E.WITHDRAW: _S.WITHDRAWN,
    },
    _S.NOT_REQUIRED: {},
    _S.NO_REVIEW_NEEDED: {},
    _S.PASSED: {},
    _S.FAILED: {},
    _S.WITHDRAWN: {},
}

FINAL_STATES: frozenset[CaseState] = frozenset(s for s, out in TRANSITIONS.items() if not out)
# States in which the office (or the operator, before filing) still owes a decision.
OPEN_STATES: frozenset[CaseState] = frozenset(CaseState) - FINAL_STATES


# Events carry the date they happened (``on``) and what the transition needs to be lawful.
@dataclass(frozen=True, slots=True)
class DecideNotRequired:
    on: date
    justification: str
    kind: ClassVar[EventKind] = EventKind.DECIDE_NOT_REQUIRED


@dataclass(frozen=True, slots=True)
class PrepareDeclaration:
    on: date
    kind: ClassVar[EventKind] = EventKind.PREPARE_DECLARATION


@dataclass(frozen=True, slots=True)
class FileDeclaration:
    """``on`` is the filing date; the Art. 9 clock runs from the office's receipt of it."""

    on: date
    materials: frozenset[DeclarationMaterial]
    kind: ClassVar[EventKind] = EventKind.FILE_DECLARATION


@dataclass(frozen=True, slots=True)
class OfficeNoReview:
    on: date
    kind: ClassVar[EventKind] = EventKind.OFFICE_NO_REVIEW


@dataclass(frozen=True, slots=True)
class OfficeStartReview:
    """``on`` is the date of the office's written notice; the Art. 11 clock runs from it."""

    on: date
    kind: ClassVar[EventKind] = EventKind.OFFICE_START_REVIEW


@dataclass(frozen=True, slots=True)
class StartSpecialReview:
    on: date
    kind: ClassVar[EventKind] = EventKind.START_SPECIAL_REVIEW


@dataclass(frozen=True, slots=True)
class ReviewPassed:
    on: date
    kind: ClassVar[EventKind] = EventKind.REVIEW_PASSED


@dataclass(frozen=True, slots=True)
class ReviewFailed:
    on: date
    kind: ClassVar[EventKind] = EventKind.REVIEW_FAILED


@dataclass(frozen=True, slots=True)
class Withdraw:
    on: date
    reason: str
    kind: ClassVar[EventKind] = EventKind.WITHDRAW


CaseEvent = (
    DecideNotRequired
    | PrepareDeclaration
    | FileDeclaration
    | OfficeNoReview
    | OfficeStartReview
    | StartSpecialReview
    | ReviewPassed
    | ReviewFailed
    | Withdraw
)


def allowed_events(state: CaseState) -> tuple[EventKind, ...]:
    return tuple(TRANSITIONS[state])


def _describe_allowed(state: CaseState) -> str:
    out = TRANSITIONS[state]
    if not out:
        return "none, the state is final"
    return ", ".join(f"{kind} -> {target}" for kind, target in out.items())


def _payload_errors(event: CaseEvent) -> list[FieldError]:
    required = ErrorCode.REQUIRED
    if isinstance(event, DecideNotRequired) and not event.justification.strip():
        why = Text("reviews.error.justification", {})
        return [FieldError.said("justification", why, required, TEMPLATES)]
    if isinstance(event, Withdraw) and not event.reason.strip():
        return [FieldError.said("reason", Text("reviews.error.reason", {}), required, TEMPLATES)]
    if isinstance(event, FileDeclaration):
        missing = missing_declaration_materials(event.materials)
        if missing:
            names = TextList(
                tuple(
                    Text(
                        "reviews.error.material",
                        {
                            "material": Text(f"reviews.material.{m.material}", {}),
                            "basis": Text(f"reviews.basis.{m.basis}", {}),
                        },
                    )
                    for m in missing
                )
            )
            why = Text("reviews.error.materials", {"names": names})
            return [FieldError.said("materials", why, required, TEMPLATES)]
    return []


def transition(state: CaseState, event: CaseEvent) -> CaseState:
    """Return the state after ``event``, or raise :class:`InputError`.

    ``INVALID_STATE`` names the current state, the attempted event and the allowed ones; payload
    problems (blank justification, missing Art. 8 materials) raise ``REQUIRED`` on the field.
    """
    target = TRANSITIONS[state].get(event.kind)
    if target is None:
        raise InputError.single(
            "event",
            f"cannot {event.kind} from state {state}; allowed from {state}: "
            f"{_describe_allowed(state)}",
            ErrorCode.INVALID_STATE,
        )
    errors = _payload_errors(event)
    if errors:
        raise InputError(errors)
    return target
