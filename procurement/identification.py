"""When an operator is a CII operator: its identification periods, and the rules for changing them.

The protection department identifies CII and notifies the operator (CII Regulations Art. 10),
and re-identifies it after a major change (Art. 11): an operator is bound by the CII duties from
the day it is notified, and stops being bound when a re-identification tells it it no longer
operates CII. A period is half-open, ``identified_on <= day < ended_on``: on ``ended_on`` the
operator is no longer a CII operator. Periods never overlap and are kept in date order.

An operator recorded as a CII operator without a date (every operator before migration 0017, and
``registerOperator`` without ``ciiIdentifiedOn``) gets an *assumed* open period from
:data:`ASSUMED_START`, the day the Cybersecurity Law brought the first CII duties into force: the
earliest a duty could have bound it, so no exposure the service showed before is hidden. The
admin replaces the assumed start with the notification date once it is known.

Pure: plain values in and out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from procurement.errors import ErrorCode, FieldError
from procurement.texts import N_, Text

# The refusals' English templates by message id (procurement/texts.py; Babel extracts them into
# the console's catalog, which says them in Chinese).
TEMPLATES: Mapping[str, str] = {
    "identification.future": N_(
        "{day} is after today ({today}): record a notification once it has been received"
    ),
    "identification.open": N_(
        "the operator is a CII operator since {since}: record the end of that identification "
        "(ciiEndedOn) before a new one"
    ),
    "identification.overlap": N_(
        "{day} is before the end of the previous identification ({ended}): periods cannot overlap"
    ),
    "identification.none_open": N_(
        "the operator is not a CII operator: there is no identification to end"
    ),
    "identification.end_order": N_("{day} is not after the identification date {since}"),
}

ASSUMED_START = date(2017, 6, 1)  # Cybersecurity Law in force: the first CII duties


@dataclass(frozen=True, slots=True)
class CiiPeriod:
    identified_on: date  # notified of its identification as a CII operator
    ended_on: date | None = None  # exclusive: notified that it no longer is one; None: open
    assumed: bool = False  # start not known: ASSUMED_START stands in for it

    def covers(self, day: date) -> bool:
        return self.identified_on <= day and (self.ended_on is None or day < self.ended_on)


def period_on(periods: Sequence[CiiPeriod], day: date) -> CiiPeriod | None:
    """The period in which the operator is a CII operator on ``day``, if any."""
    return next((p for p in periods if p.covers(day)), None)


def is_cii_on(periods: Sequence[CiiPeriod], day: date) -> bool:
    return period_on(periods, day) is not None


def next_period(periods: Sequence[CiiPeriod], day: date) -> CiiPeriod | None:
    """The first period that starts after ``day``."""
    return min(
        (p for p in periods if p.identified_on > day), key=lambda p: p.identified_on, default=None
    )


def change_history(
    periods: Sequence[CiiPeriod],
    *,
    identified_on: date | None,
    ended_on: date | None,
    today: date,
) -> tuple[list[CiiPeriod], list[FieldError]]:
    """The history after recording a notification of identification and/or of its end.

    ``identified_on`` opens a period (or replaces the start of an assumed open one);
    ``ended_on`` closes the open period. Both are notification dates, so never in the future.
    Returns the new history and the problems (the history unchanged when there are any).
    """
    errors: list[FieldError] = []
    history = sorted(periods, key=lambda p: p.identified_on)
    open_period = history[-1] if history and history[-1].ended_on is None else None
    for field, day in (("ciiIdentifiedOn", identified_on), ("ciiEndedOn", ended_on)):
        if day is not None and day > today:
            errors.append(
                said(
                    field,
                    Text(
                        "identification.future",
                        {"day": day.isoformat(), "today": today.isoformat()},
                    ),
                    ErrorCode.OUT_OF_RANGE,
                )
            )
    if errors:
        return list(periods), errors
    if identified_on is not None:
        if open_period is not None and not open_period.assumed:
            errors.append(
                said(
                    "ciiIdentifiedOn",
                    Text(
                        "identification.open",
                        {"since": open_period.identified_on.isoformat()},
                    ),
                    ErrorCode.INVALID_STATE,
                )
            )
        elif open_period is not None:  # the assumed start is replaced by the real one
            history[-1] = CiiPeriod(identified_on)
        else:
            last_end = history[-1].ended_on if history else None
            if last_end is not None and identified_on < last_end:
                errors.append(
                    said(
                        "ciiIdentifiedOn",
                        Text(
                            "identification.overlap",
                            {"day": identified_on.isoformat(), "ended": last_end.isoformat()},
                        ),
                        ErrorCode.OUT_OF_RANGE,
                    )
                )
            else:
                history.append(CiiPeriod(identified_on))
    if ended_on is not None and not errors:
        current = history[-1] if history and history[-1].ended_on is None else None
        if current is None:
            errors.append(
                said(
                    "ciiEndedOn",
                    Text("identification.none_open", {}),
                    ErrorCode.INVALID_STATE,
                )
            )
        elif ended_on <= current.identified_on:
            errors.append(
                said(
                    "ciiEndedOn",
                    Text(
                        "identification.end_order",
                        {"day": ended_on.isoformat(), "since": current.identified_on.isoformat()},
                    ),
                    ErrorCode.OUT_OF_RANGE,
                )
            )
        else:
            history[-1] = replace(current, ended_on=ended_on)
    if errors:
        return list(periods), errors
    return history, []


def said(field: str | None, text: Text, code: ErrorCode) -> FieldError:
    return FieldError.said(field, text, code, TEMPLATES)
