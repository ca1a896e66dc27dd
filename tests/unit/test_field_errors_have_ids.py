"""Every refusal a person reads has a message id, so the console can say it in Chinese.

An AST scan of the modules below: a ``check.fail(...)``, ``InputError.single(...)`` or
``FieldError(...)`` whose message is a str literal or an f-string has only its English (a Chinese
page then shows it in English); give it a :class:`~procurement.texts.Text` of the domain's
``messages.py`` instead. Extend :data:`MODULES` as more domains get their ids.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MODULES: tuple[str, ...] = (
    "procurement/exposure/actions.py",
    "procurement/exposure/loader.py",
    "procurement/exposure/currency.py",
    "procurement/screening/ruleset.py",
    "procurement/screening/advisories.py",
    "procurement/screening/facts.py",
    "procurement/screening/actions/*.py",
    "procurement/registry/actions/*.py",
    "procurement/reviews/holidays.py",
    "procurement/reviews/pauses.py",
    "procurement/reviews/calendar.py",
    "procurement/reviews/actions/*.py",
    "procurement/notifications/actions.py",
    "procurement/identification.py",
    "procurement/screening/osv_dump.py",
    "procurement/agreements/actions/*.py",
    # (sboms/messages.py builds the reader's "CODE: message" English beside its id)
    "procurement/sboms/actions.py",
    "procurement/sboms/export.py",
    "procurement/sboms/reads.py",
    "procurement/sboms/rows.py",
    "procurement/sboms/store.py",
    "procurement/sboms/upload_job.py",
    "procurement/sboms/usages.py",
    "procurement/sboms/version_ranges.py",
    "procurement/validation.py",
    "procurement/files.py",
    "procurement/reviews/usage.py",
    # (agreements/store/facts.py writes the API's capitalised English beside the message id of
    # its "in English only" refusal, which this scan cannot tell from an English-only one)
)


def files() -> list[Path]:
    found = sorted({path for pattern in MODULES for path in ROOT.glob(pattern)})
    assert found, "no module matched"
    return found


def _message(call: ast.Call) -> ast.expr | None:
    """The message argument of a refusal: the second positional one, or ``message=``."""
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def _is_refusal(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id == "FieldError"
    if isinstance(func, ast.Attribute):
        if func.attr == "fail":
            return True  # check.fail, self.fail, r.fail: every Checker-like collector
        return (
            func.attr == "single"
            and isinstance(func.value, ast.Name)
            and func.value.id == "InputError"
        )
    return False


def english_only(source: str) -> list[int]:
    """The lines of refusals in ``source`` whose message is written out in English."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_refusal(node.func):
            message = _message(node)
            plain = isinstance(message, ast.Constant) and isinstance(message.value, str)
            if plain or isinstance(message, ast.JoinedStr):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_refusal_is_english_only(path: Path) -> None:
    assert english_only(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        'check.fail("name", "is required", ErrorCode.REQUIRED)',
        'check.fail("name", f"{n} is listed twice")',
        'raise InputError.single(None, f"not valid JSON: {exc}", ErrorCode.INVALID)',
        'errors.append(FieldError(path, "must be an object", ErrorCode.INVALID))',
        'FieldError(field="x", message="must be an object", code=ErrorCode.INVALID)',
    ],
)
def test_the_scan_finds_an_english_only_refusal(source: str) -> None:
    assert english_only(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        'check.fail("name", Text("input.required", {}), ErrorCode.REQUIRED)',
        "errors.append(said(path, Text('exposure.error.object', {})))",
        "FieldError(field, e.message, e.code, e.text)",
    ],
)
def test_the_scan_passes_a_refusal_with_an_id(source: str) -> None:
    assert english_only(source) == []
