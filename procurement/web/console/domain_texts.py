"""The domain's sentences (finding explanations, exposure bases, deadline bases and warnings,
error details) and its legal citations in the page's language.

The domain writes each sentence as a :class:`~procurement.texts.Text` (a message id of its own
catalog and parameters) beside its English; Babel extracts the domain catalogs' templates into
the console's, so rendering is one gettext lookup per template. What cannot be rendered (a
finding stored before messages had ids, an id since removed, a template not yet translated) is
shown in the domain's English, marked ``lang="en"`` by the template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from procurement.agreements.messages import TEMPLATES as AGREEMENTS
from procurement.exposure.messages import TEMPLATES as EXPOSURE
from procurement.identification import TEMPLATES as IDENTIFICATION
from procurement.input_messages import TEMPLATES as INPUT
from procurement.notifications.messages import TEMPLATES as NOTIFICATIONS
from procurement.registry.messages import TEMPLATES as REGISTRY
from procurement.reviews.messages import TEMPLATES as REVIEWS
from procurement.sboms.messages import TEMPLATES as SBOMS
from procurement.screening.messages import TEMPLATES as SCREENING
from procurement.texts import CHINESE_SEPARATORS, Text, UnknownText, render
from procurement.web.i18n import ENGLISH, translations

Gettext = Callable[[str], str]

TEMPLATES: Mapping[str, str] = {
    **SCREENING, **EXPOSURE, **REVIEWS, **INPUT, **AGREEMENTS, **SBOMS,
    **REGISTRY, **NOTIFICATIONS, **IDENTIFICATION,
}  # fmt: skip

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1-999 as a Chinese law numbers its articles and items: 十九, 二十一, 一百零三."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (_DIGITS[ones] if ones else "")


_ARTICLE = re.compile(r"(\d+)(?:\((\d+)\))?")


def chinese_article(number: str) -> str:
    """``41`` -> 第四十一条; ``39(9)`` -> 第三十九条第（九）项 (the items of an article are
    numbered （一）（二）... in the official texts)."""
    found = _ARTICLE.fullmatch(number)
    if found is None:
        return f"第{number}条"
    article, item = found.groups()
    text = f"第{chinese_number(int(article))}条"
    return text + (f"第（{chinese_number(int(item))}）项" if item else "")


def citations(_: Gettext) -> dict[str, str]:
    """Every citation the domain writes in English (findings' legal basis, the Art. 8 checklist,
    the deadline rules), in the wording of the official Chinese texts."""
    return {
        "CII Regulations Art. 19": _("CII Regulations Art. 19"),
        "CSL Art. 23": _("CSL Art. 23"),
        "Review Measures Art. 10(1)": _("Review Measures Art. 10(1)"),
        "Review Measures Art. 10(2)": _("Review Measures Art. 10(2)"),
        "Review Measures Art. 10(3)": _("Review Measures Art. 10(3)"),
        "Review Measures Art. 10(4)": _("Review Measures Art. 10(4)"),
        "Review Measures Art. 10(5)": _("Review Measures Art. 10(5)"),
        "Review Measures Art. 10(7)": _("Review Measures Art. 10(7)"),
        "Review Measures Arts. 2, 21": _("Review Measures Arts. 2, 21"),
        "Review Measures Art. 8(1)": _("Review Measures Art. 8(1)"),
        "Review Measures Art. 8(2)": _("Review Measures Art. 8(2)"),
        "Review Measures Arts. 8(3), 6": _("Review Measures Arts. 8(3), 6"),
        "Review Measures Art. 8(4)": _("Review Measures Art. 8(4)"),
    }


@dataclass(frozen=True, slots=True)
class Said:
    """A sentence for the page; ``lang`` is "en" when it is English on a Chinese page."""

    text: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """Renders domain sentences in one page language (a template calls it as ``say``)."""

    language: str

    def __call__(self, message: Text | Mapping[str, Any] | None, english: str) -> Said:
        """``message`` (a Text, or its stored dict) in the page's language, else ``english``."""
        if self.language == ENGLISH:
            return Said(_english_page(message, english))
        if message is None:
            return Said(english, "en")
        catalog = translations(self.language).gettext

        def gettext(template: str) -> str:
            translated = catalog(template)
            if translated == template:  # not translated yet: no half-English sentence
                raise UnknownText(template)
            return translated

        try:
            text = message if isinstance(message, Text) else Text.from_dict(message)
            rendered = render(text, TEMPLATES, gettext, CHINESE_SEPARATORS, chinese_article)
        except UnknownText:
            return Said(english, "en")
        return Said(rendered)

    def each(self, messages: Sequence[Text], englishes: Sequence[str]) -> list[Said]:
        """Parallel lists (a deadline's warnings); English when they do not line up."""
        if len(messages) != len(englishes):
            return [self(None, e) if self.language == ENGLISH else Said(e, "en") for e in englishes]
        return [self(m, e) for m, e in zip(messages, englishes, strict=True)]

    def cite(self, basis: str) -> Said:
        """A legal basis such as ``Review Measures Art. 10(1); CII Regulations Art. 19``, each
        citation translated; English if any part is not a known citation."""
        if self.language == ENGLISH:
            return Said(basis)
        known = _citations(self.language)
        parts = basis.split("; ")
        if not all(p in known for p in parts):
            return Said(basis, "en")
        return Said("；".join(known[p] for p in parts))


# The API's English names laws and conditions by their stored values; a page names them in words.
_ENGLISH_NAMES: Mapping[str, str] = {
    "exposure.law.CII_REGULATIONS_2021": "CII Regulations",
    "exposure.law.CYBERSECURITY_LAW_2016": "Cybersecurity Law (2016)",
    "exposure.law.CYBERSECURITY_LAW_2025_AMENDMENT": "Cybersecurity Law (2025 amendment)",
    "exposure.condition.IMMEDIATE": "at once",
    "exposure.condition.OPTIONAL_AT_ONCE": "at once, the fine optional",
    "exposure.condition.IF_REFUSES_RECTIFICATION_OR_HARM": (
        "if rectification is refused or harm results"
    ),
    "exposure.condition.SERIOUS_HARM": "if serious harm results",
    "exposure.condition.ESPECIALLY_SERIOUS_HARM": "if especially serious harm results",
}


def _english_page(message: Text | Mapping[str, Any] | None, english: str) -> str:
    """The domain's English, with the stored values it names written as words."""
    if message is None:
        return english
    try:
        text = message if isinstance(message, Text) else Text.from_dict(message)
        return render(text, {**TEMPLATES, **_ENGLISH_NAMES})
    except UnknownText:
        return english


@cache
def _citations(language: str) -> dict[str, str]:
    return citations(translations(language).gettext)


def speaker(language: str) -> Speaker:
    return Speaker(language)
