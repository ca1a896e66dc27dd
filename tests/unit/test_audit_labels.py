"""Every action and object type the service writes into the audit log has a label for the audit
page, in both languages (a new ``audit.record`` call fails here until it is named)."""

from __future__ import annotations

import ast
from pathlib import Path

from procurement.reviews.state_machine import EventKind
from procurement.web.console.audit_labels import audit_actions, object_types
from procurement.web.i18n import translations

PACKAGE = Path(__file__).resolve().parents[2] / "procurement"
# Helpers that take the action as a positional argument, and where it is.
ACTION_AT = {"record": 2, "audit_row": 1, "audit_case": 2, "_finish": 4, "_audit": 3}


def constants(node: ast.expr) -> set[str]:
    """The strings an argument can be: a literal, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return constants(node.body) | constants(node.orelse)
    return set()


def recorded() -> tuple[set[str], set[str]]:
    actions: set[str] = set()
    types: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            at = ACTION_AT.get(name or "")
            if at is None or len(node.args) <= at:
                continue
            actions |= {a for a in constants(node.args[at]) if "." in a}
            if name == "record" and len(node.args) > 3:
                types |= constants(node.args[3])
    return actions, types


def test_every_recorded_action_and_object_type_has_a_label() -> None:
    # given what the code records (and the review transitions, recorded by their event)
    actions, types = recorded()
    actions |= {f"review_case.{kind.value.lower()}" for kind in EventKind}
    # then the audit page names each of them
    english = translations("en").gettext
    assert len(actions) >= 60 and len(types) >= 15  # the scan found the calls
    assert sorted(actions - audit_actions(english).keys()) == []
    assert sorted(types - object_types(english).keys()) == []


def test_each_label_is_translated_into_chinese() -> None:
    # given the labels in English and in Chinese
    english = translations("en").gettext
    chinese = translations("zh-CN").gettext
    # then no Chinese label is left in English
    for labels in (audit_actions, object_types):
        same = {k for k, v in labels(chinese).items() if v == labels(english)[k]}
        assert same == set() or same == {"Sbom"}, same
