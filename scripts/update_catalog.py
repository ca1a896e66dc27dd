"""Refresh the Chinese catalog of the console from the templates and code.

    .venv/bin/python scripts/update_catalog.py

Extracts every message (babel.cfg), keeps the translations already in
``procurement/web/locale/zh_CN/LC_MESSAGES/messages.po``, drops messages no longer used, and
lists the ones still untranslated (tests/unit/test_console_catalog.py fails while any is).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "procurement/web/locale/zh_CN/LC_MESSAGES/messages.po"


def extracted() -> Catalog:
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "messages.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
             "--no-location", "--omit-header", "-o", str(pot), "."],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        with pot.open("rb") as source:
            return read_po(source)


def main() -> int:
    template = extracted()
    with CATALOG.open("rb") as source:
        current = read_po(source, locale="zh_CN")
    current.update(template, no_fuzzy_matching=True)
    current.obsolete.clear()
    current.fuzzy = False
    current.header_comment = (
        "# Chinese (zh-CN) messages of the procurement review console.\n"
        "# Refresh with scripts/update_catalog.py; translate every empty msgstr."
    )
    current.project, current.version = "procurement-review", "0.1"
    current.last_translator = current.language_team = "procurement review team"
    current.msgid_bugs_address = ""
    with CATALOG.open("wb") as target:
        write_po(target, current, omit_header=False, sort_output=True, width=100)
    missing = [m.id for m in current if m.id and not m.string]
    for message in missing:
        print(f"untranslated: {message}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
