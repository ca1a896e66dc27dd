"""The shipped agreement templates (.docx with docxtpl tags) and their manifest, as package data.

``build_templates.py`` writes both from ``wording/*.toml``; this module only reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One manifest entry: a template version in one language."""

    id: str
    version: int
    language: str
    title: str
    file: str
    sha256: str
    variables: tuple[str, ...]  # top-level context names the template reads
    fields: tuple[str, ...]  # dotted paths it reads (what missing_facts checks)
    clauses: tuple[str, ...]  # clause ids, in document order


@cache
def load_manifest() -> tuple[TemplateInfo, ...]:
    raw = json.loads(files(__name__).joinpath("manifest.json").read_text(encoding="utf-8"))
    return tuple(
        TemplateInfo(
            id=entry["id"],
            version=int(entry["version"]),
            language=entry["language"],
            title=entry["title"],
            file=entry["file"],
            sha256=entry["sha256"],
            variables=tuple(entry["variables"]),
            fields=tuple(entry["fields"]),
            clauses=tuple(entry["clauses"]),
        )
        for entry in raw["templates"]
    )


def find_template(template_id: str, language: str, version: int | None = None) -> TemplateInfo:
    """The entry for ``template_id`` in ``language``: the given version, else the latest.

    Raises ``LookupError`` when there is none.
    """
    matches = [
        t
        for t in load_manifest()
        if t.id == template_id and t.language == language and version in (None, t.version)
    ]
    if not matches:
        raise LookupError(f"no template {template_id!r} in {language!r} (version {version})")
    return max(matches, key=lambda t: t.version)


def template_bytes(template: TemplateInfo | str) -> bytes:
    """The .docx bytes of a manifest entry (or of a file name in this package)."""
    name = template.file if isinstance(template, TemplateInfo) else template
    return files(__name__).joinpath(name).read_bytes()
