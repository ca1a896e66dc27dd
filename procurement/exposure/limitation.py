"""Limitation of administrative penalties (Administrative Penalty Law Art. 36).

Art. 36: an act not discovered within two years is no longer punished; five years where
citizens' life and health safety or financial security is involved and harm resulted. The period
runs from the day of the act or, when the act is continuing (连续或者继续状态), from the day it
ends. Counting: the period starts the day after the act ends and its last day is the same date
two (five) years later, 29 February counting as 28 February in a year without it.

The service assumes an act was *not* discovered unless a user marks the purchase as under
investigation (with the date the authority took it up): an investigation opened within the period
stops the time bar, one opened after it does not revive the act.

Pure: plain values in and out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ARTICLE = "Administrative Penalty Law Art. 36"


@dataclass(frozen=True, slots=True)
class Limitation:
    time_barred: bool
    text: str  # the reason, citing the article, shown on the exposure line


def add_years(day: date, years: int) -> date:
    if day.year + years > date.max.year:  # past the calendar: the period never runs out
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def period_years(harm_to_life_or_finance: bool) -> int:
    return 5 if harm_to_life_or_finance else 2


def _period_text(harm: bool) -> str:
    if harm:
        return (
            "five years (citizens' life and health safety or financial security involved and "
            "harm resulted)"
        )
    return "two years"


def limitation(
    act_end: date | None,
    as_of: date,
    *,
    harm_to_life_or_finance: bool = False,
    investigated_on: date | None = None,
) -> Limitation:
    """Whether an act is time-barred on ``as_of``. ``act_end`` None: it still continues."""
    period = _period_text(harm_to_life_or_finance)
    if act_end is None:
        return Limitation(
            False,
            f"continuing act: the limitation period ({period}, {ARTICLE}) runs only from the "
            "day it ends",
        )
    last_day = add_years(act_end, period_years(harm_to_life_or_finance))
    if investigated_on is not None and investigated_on <= as_of:
        if investigated_on <= last_day:
            return Limitation(
                False,
                f"not time-barred: under investigation since {investigated_on.isoformat()}, "
                f"within {period} of the act's end on {act_end.isoformat()} ({ARTICLE})",
            )
        return Limitation(
            True,
            f"time-barred: the act ended on {act_end.isoformat()} and the investigation opened "
            f"on {investigated_on.isoformat()}, after the {period} that ended on "
            f"{last_day.isoformat()}; it can no longer be punished ({ARTICLE})",
        )
    if as_of <= last_day:
        return Limitation(
            False,
            f"not time-barred yet: the act ended on {act_end.isoformat()}; unless discovered by "
            f"{last_day.isoformat()} ({period}, {ARTICLE}) it can no longer be punished",
        )
    return Limitation(
        True,
        f"time-barred: the act ended on {act_end.isoformat()} and, assuming it was not "
        f"discovered, {period} passed on {last_day.isoformat()}; it can no longer be punished "
        f"({ARTICLE}). Mark the purchase under investigation if the authority took it up in time",
    )
