"""What screening writes into a review case's timeline, as message ids (pure): the English note
stays the API's text; the console renders these in the page's language."""

from __future__ import annotations

from procurement.screening.model import ScreeningResult, Verdict
from procurement.screening.rules.common import text
from procurement.texts import Separator, Text, TextList


def _reasons(result: ScreeningResult) -> TextList:
    return TextList(result.reason_messages, Separator.SEMICOLON)


def case_opened(result: ScreeningResult) -> Text:
    """ "Screening verdict YES (score 40): ..." for the event that opened the case."""
    return text(
        "screening.case.opened",
        verdict=text(f"screening.verdict.{result.verdict}"),
        score=result.score,
        reasons=_reasons(result),
    )


def verdict_changed(old: Verdict, result: ScreeningResult) -> Text:
    return text(
        "screening.case.verdict_changed",
        old=text(f"screening.verdict.{old}"),
        new=text(f"screening.verdict.{result.verdict}"),
        reasons=_reasons(result),
    )
