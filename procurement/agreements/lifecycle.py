"""Agreement states and the transitions between them, plus the vocabularies of supervision.

Pure: the services ask :func:`transition_error` before changing a state, so the rules live in one
place and read like the issue: DRAFT -> SENT -> SIGNED -> SUPERSEDED or TERMINATED.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

# Stored by the models, hence defined in procurement.enums; this package's names for them.
from procurement.enums import AgreementState as AgreementState
from procurement.enums import CheckResult as CheckResult
from procurement.enums import ObligationStatus as ObligationStatus


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

_HINTS: Mapping[tuple[AgreementState, AgreementState], str] = {
    (S.DRAFT, S.SIGNED): "record it as sent first",
    (S.SIGNED, S.SENT): "it is already signed",
    (S.SENT, S.SENT): "it is already recorded as sent",
    (S.SIGNED, S.SIGNED): "it is already recorded as signed",
}


def transition_error(current: AgreementState, target: AgreementState) -> str | None:
    """None when ``current -> target`` is allowed, else a message saying why not."""
    if target in TRANSITIONS[current]:
        return None
    message = f"an agreement in state {current.value} cannot become {target.value}"
    hint = _HINTS.get((current, target))
    if hint is None and not TRANSITIONS[current]:
        hint = "it is final; generate a new agreement instead"
    return f"{message}: {hint}" if hint else message
