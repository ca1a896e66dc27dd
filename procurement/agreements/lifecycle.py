"""Agreement states and the transitions between them, plus the vocabularies of supervision.

Pure: the services ask :func:`transition_error` before changing a state, so the rules live in one
place and read like the issue: DRAFT -> SENT -> SIGNED -> SUPERSEDED or TERMINATED.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

# Stored by the models, hence defined in procurement.enums; this package's names for them.
from procurement.agreements.messages import TEMPLATES
from procurement.enums import AgreementState as AgreementState
from procurement.enums import CheckResult as CheckResult
from procurement.enums import ObligationStatus as ObligationStatus
from procurement.texts import Text, english


class SignatoryParty(StrEnum):
    OPERATOR = "OPERATOR"
    PROVIDER = "PROVIDER"


S = AgreementState
TRANSITIONS: Mapping[AgreementState, frozenset[AgreementState]] = MappingProxyType(
    {
        S.DRAFT: frozenset({S.SENT, S.SUPERSEDED, S.TERMINATED}),
        S.SENT: frozenset({S.SIGNED, S.SUPERSEDED, S.TERMINATED}),
        S.SIGNED: frozenset({S.SUPERSEDED, S.TERMINATED}),
        S.SUPERSEDED: frozenset(),
        S.TERMINATED: frozenset(),
    }
)

# States in which an agreement is still being negotiated: regenerating supersedes it at once.
IN_PROGRESS = frozenset({S.DRAFT, S.SENT})

_HINTS: Mapping[tuple[AgreementState, AgreementState], str] = {  # ids of agreements/messages.py
    (S.DRAFT, S.SIGNED): "agreements.hint.send_first",
    (S.SIGNED, S.SENT): "agreements.hint.already_signed",
    (S.SENT, S.SENT): "agreements.hint.already_sent",
    (S.SIGNED, S.SIGNED): "agreements.hint.already_recorded_signed",
}


def transition_text(current: AgreementState, target: AgreementState) -> Text | None:
    """None when ``current -> target`` is allowed, else a message saying why not."""
    if target in TRANSITIONS[current]:
        return None
    states = {
        "current": Text(f"agreements.state.{current.value}", {}),
        "target": Text(f"agreements.state.{target.value}", {}),
    }
    hint = _HINTS.get((current, target))
    if hint is None and not TRANSITIONS[current]:
        hint = "agreements.hint.final"
    if hint is None:
        return Text("agreements.error.transition", states)
    return Text("agreements.error.transition_hint", {**states, "hint": Text(hint, {})})


def transition_error(current: AgreementState, target: AgreementState) -> str | None:
    """None when ``current -> target`` is allowed, else a message saying why not (English)."""
    text = transition_text(current, target)
    return None if text is None else english(text, TEMPLATES)
