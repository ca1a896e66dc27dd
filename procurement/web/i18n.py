"""Which language a page is shown in, and the gettext catalogs that translate it.

English is the source language of every message; Chinese (zh-CN, the default) comes from
``procurement/web/locale/zh_CN/LC_MESSAGES/messages.po``. The catalog is read with Babel when the
app starts, so no compile step is needed at install time.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

CHINESE = "zh-CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
DEFAULT_LANGUAGE = CHINESE
LANGUAGE_COOKIE = "lang"


def _accepted(header: str) -> list[tuple[float, str]]:
    """``zh-CN,zh;q=0.9,en;q=0.8`` as (quality, tag) pairs, best first."""
    ranked: list[tuple[float, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            # equal qualities keep the header's order
            ranked.append((quality - position * 1e-6, tag.strip().lower()))
    return sorted(ranked, reverse=True)


def choose_language(chosen: str | None, accept_language: str | None) -> str:
    """The language the person picked (query or cookie) if we have it, else the browser's first
    language we have, else Chinese."""
    if chosen in LANGUAGES:
        return chosen
    for quality, tag in _accepted(accept_language or ""):
        if quality <= 0:
            continue
        if tag.startswith("zh"):
            return CHINESE
        if tag.startswith("en"):
            return ENGLISH
    return DEFAULT_LANGUAGE


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` (English: the messages as written)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    folder = language.replace("-", "_")
    source = resources.files("procurement.web") / "locale" / folder / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as po:
        catalog = read_po(po, locale=folder)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)
