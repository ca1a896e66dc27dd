"""Sentences the domain writes for people, as a stable message id and its parameters (pure).

A domain module keeps its English text (the API and the CLI show it) but builds it from a
:class:`Text`: an id naming a template of its own catalog (``procurement/<domain>/messages.py``,
every template marked with :func:`N_` so Babel extracts it into the console's catalog) and the
values to put in. The console renders the same :class:`Text` through its gettext catalog, so a
Chinese page shows Chinese without the domain importing anything of the web. The id, not the
English wording, is what is stored (findings as JSON), so a stored sentence can be rendered again
in any language; an id or a parameter a template no longer knows makes :func:`render` raise
:class:`UnknownText`, and the caller falls back to the stored English.

Parameters are plain strings and integers (numbers already formatted: the grouping is the same
in Chinese), nested texts (a sentence inside a sentence), and lists of either joined with the
language's separator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


def N_(template: str) -> str:
    """Marks ``template`` for extraction into the console's catalog; returns it unchanged."""
    return template


class Separator(StrEnum):
    COMMA = "comma"  # a list of names: "a, b" / "a、b"
    SEMICOLON = "semicolon"  # a list of clauses: "a; b" / "a；b"


@dataclass(frozen=True, slots=True)
class Article:
    """An article number as the law numbers it: ``41``, ``39(9)`` (item 9 of Art. 39). English
    says "Art. 41"; Chinese "第四十一条", which the console's renderer writes."""

    number: str


@dataclass(frozen=True, slots=True)
class TextList:
    items: tuple[Param, ...]
    sep: Separator = Separator.COMMA


@dataclass(frozen=True, slots=True)
class Text:
    id: str
    params: Mapping[str, Param]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "params": {k: _dump(v) for k, v in self.params.items()}}

    @classmethod
    def from_dict(cls, raw: Any) -> Text:
        """The stored form back; :class:`UnknownText` when it is not one (older rows, damage)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise UnknownText(f"not a stored text: {raw!r}")
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise UnknownText(f"not a stored text: {raw!r}")
        return cls(raw["id"], {str(k): _load(v) for k, v in params.items()})


Param = str | int | Text | TextList | Article


class UnknownText(ValueError):
    """An id no catalog knows, or parameters its template does not take."""


ENGLISH_SEPARATORS: Mapping[Separator, str] = {Separator.COMMA: ", ", Separator.SEMICOLON: "; "}
CHINESE_SEPARATORS: Mapping[Separator, str] = {Separator.COMMA: "、", Separator.SEMICOLON: "；"}


def _dump(value: Param) -> Any:
    if isinstance(value, Text):
        return value.to_dict()
    if isinstance(value, TextList):
        return {"items": [_dump(v) for v in value.items], "sep": str(value.sep)}
    if isinstance(value, Article):
        return {"article": value.number}
    return value


def _load(raw: Any) -> Param:
    if isinstance(raw, bool) or raw is None:
        raise UnknownText(f"not a text parameter: {raw!r}")
    if isinstance(raw, str | int):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("article"), str):
        return Article(raw["article"])
    if isinstance(raw, dict) and "items" in raw:
        try:
            sep = Separator(raw.get("sep", Separator.COMMA))
        except ValueError as bad:
            raise UnknownText(str(bad)) from bad
        return TextList(tuple(_load(v) for v in raw["items"]), sep)
    return Text.from_dict(raw)


def english_article(number: str) -> str:
    return f"Art. {number}"


def render(
    text: Text,
    templates: Mapping[str, str],
    gettext: Callable[[str], str] | None = None,
    separators: Mapping[Separator, str] = ENGLISH_SEPARATORS,
    article: Callable[[str], str] = english_article,
) -> str:
    """``text`` in the language of ``gettext`` (None: English, the templates as written).

    Screening renders every finding's English this way, so plain parameters take a fast path.
    """
    template = templates.get(text.id)
    if template is None:
        raise UnknownText(f"unknown text id {text.id!r}")
    values: dict[str, str | int] = {}
    for name, param in text.params.items():
        if isinstance(param, str | int):
            values[name] = param
        else:
            values[name] = _value(param, templates, gettext, separators, article)
    try:
        return (template if gettext is None else gettext(template)).format_map(values)
    except (KeyError, IndexError, ValueError) as bad:
        raise UnknownText(f"text {text.id!r} does not take {sorted(text.params)}") from bad


def _value(
    param: Param,
    templates: Mapping[str, str],
    gettext: Callable[[str], str] | None,
    separators: Mapping[Separator, str],
    article: Callable[[str], str],
) -> str | int:
    if isinstance(param, Text):
        return render(param, templates, gettext, separators, article)
    if isinstance(param, TextList):
        return separators[param.sep].join(
            str(_value(p, templates, gettext, separators, article)) for p in param.items
        )
    if isinstance(param, Article):
        return article(param.number)
    return param


def english(text: Text, templates: Mapping[str, str]) -> str:
    return render(text, templates)
