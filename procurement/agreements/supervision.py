"""When an obligation is overdue or failed, from its schedule and the checks recorded so far.

Pure, so the rules can be read and tested without a database:
- a check counts only if it was made on or before ``as_of`` (a report "as of" a past day must not
  see later checks);
- failed: the latest counted check says NOT_MET (until a later check says MET);
- overdue, once: the due day has passed and no counted check says MET;
- overdue, annual: the latest occurrence that has passed has no MET check made after the
  occurrence before it (an early delivery counts for the next occurrence);
- duties triggered by events (vulnerability notices...) have no date, so they can fail but never
  be overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from procurement.agreements.context import Obligation, Recurrence
from procurement.agreements.obligations import due_dates


@dataclass(frozen=True, slots=True)
class CheckFact:
    id: int
    checked_on: date
    met: bool


@dataclass(frozen=True, slots=True)
class DueState:
    overdue: bool
    failed: bool
    due_on: date | None  # the occurrence that is overdue (or the next/last one, for context)
    days_overdue: int | None
    last_check: CheckFact | None


def due_state(
    recurrence: Recurrence,
    due: date | None,
    until: date | None,
    checks: Sequence[CheckFact],
    as_of: date,
) -> DueState | None:
    """The obligation's state on ``as_of``; None when it is neither overdue nor failed."""
    counted = sorted(
        (c for c in checks if c.checked_on <= as_of), key=lambda c: (c.checked_on, c.id)
    )
    last = counted[-1] if counted else None
    failed = last is not None and not last.met
    schedule = Obligation("", "", "", "", recurrence, due, until)
    passed = [d for d in due_dates(schedule) if d < as_of]
    overdue = False
    due_on = passed[-1] if passed else None
    if due_on is not None:
        previous = passed[-2] if len(passed) > 1 else None
        overdue = not any(c.met and (previous is None or c.checked_on > previous) for c in counted)
    if not (overdue or failed):
        return None
    days = (as_of - due_on).days if overdue and due_on is not None else None
    return DueState(overdue, failed, due_on, days, last)
