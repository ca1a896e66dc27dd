"""The console's language choice and its Chinese catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from procurement.web.i18n import CHINESE, ENGLISH, choose_language, translations

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "procurement/web/locale/zh_CN/LC_MESSAGES/messages.po"


@pytest.mark.parametrize(
    ("chosen", "accept_language", "expected"),
    [
        (None, None, CHINESE),  # nothing known: the default
        (None, "en-US,en;q=0.9", ENGLISH),
        (None, "zh-TW,zh;q=0.9,en;q=0.8", CHINESE),
        (None, "fr-FR,en;q=0.5,zh-CN;q=0.7", CHINESE),  # best quality we have wins
        (None, "fr-FR,de;q=0.8", CHINESE),  # none we have
        (None, "en;q=0,zh;q=0", CHINESE),  # q=0 means "not this"
        (None, "en;q=zz", CHINESE),  # a malformed quality counts as 0
        ("en", "zh-CN", ENGLISH),  # the person's choice beats the browser
        ("xx", "en", ENGLISH),  # an unknown choice is ignored
    ],
)
def test_choose_language(chosen: str | None, accept_language: str | None, expected: str) -> None:
    assert choose_language(chosen, accept_language) == expected


def _messages_in_the_code() -> set[str]:
    found: set[str] = set()
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "procurement/web"), method_map, options
    ):
        found.add(message if isinstance(message, str) else message[0])
    # the domain's sentences the console renders (babel.cfg extracts them too)
    for path in [
        *ROOT.glob("procurement/*/messages.py"),
        ROOT / "procurement/input_messages.py",
        ROOT / "sbom/messages.py",
        ROOT / "procurement/identification.py",
    ]:
        for _line, message, _comments, _context in extract_from_file("python", str(path)):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_of_the_console_has_a_chinese_translation_and_none_is_stale() -> None:
    # given the messages written in the templates and code, and the Chinese catalog
    used = _messages_in_the_code()
    with CATALOG.open("rb") as source:
        catalog = read_po(source, locale="zh_CN")
    translated = {m.id: m.string for m in catalog if m.id}
    # then each used message is translated (scripts/update_catalog.py lists the missing ones)
    assert sorted(m for m in used if not translated.get(m)) == []
    # and the catalog holds nothing the code no longer says
    assert sorted(set(translated) - used) == []
    assert len(used) >= 25


def test_the_chinese_catalog_translates_and_english_is_the_source() -> None:
    assert translations(CHINESE).gettext("API explorer") == "API 调试台"
    assert translations(ENGLISH).gettext("API explorer") == "API explorer"
