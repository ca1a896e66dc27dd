"""The arrows of ARCHITECTURE.md, checked on the import statements of the source files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAINS = (
    "registry", "sboms", "screening", "reviews", "agreements", "exposure", "notifications",
)  # fmt: skip
# The modules that hold a rule citing an article, each in one place (ISSUE: one home per domain).
RULE_MODULES = (
    "procurement.screening.case_policy",  # Art. 19 / Review Measures Art. 5: opening a case
    "procurement.reviews.pauses",  # Review Measures Art. 15: pausing the clock
    "procurement.reviews.deadlines",  # Review Measures Arts. 9-15: deadlines, "overdue"
    "procurement.exposure.review_facts",  # Art. 41: may affect national security, waived, passed
)
IMPURE = ("sqlalchemy", "graphene", "starlette", "schema", "procurement.models", "procurement.db")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_models_import_no_domain_package() -> None:
    # given every model module
    files = sorted((REPO_ROOT / "procurement" / "models").glob("*.py"))
    # when their imports are collected
    offending = {
        f"{path.name}: {module}"
        for path in files
        for module in imported_modules(path)
        if any(module.startswith(f"procurement.{domain}") for domain in DOMAINS)
    }
    # then none reaches into a domain package (stored vocabularies live in procurement.enums)
    # 13 + job.py (background jobs), advisory_upload.py (stored OSV dumps), sbom_upload.py (large SBOM uploads)
    assert len(files) == 16
    assert offending == set()


def module_file(name: str) -> Path | None:
    """The source file of a module of this repository (a package's ``__init__``), else None."""
    base = REPO_ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def loaded_with(name: str) -> set[str]:
    """Every module importing ``name`` runs, this repository's parent packages included."""
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        parts = current.split(".")
        for i in range(1, len(parts) + 1):
            module = ".".join(parts[:i])
            path = module_file(module)
            if module in seen or path is None:
                continue
            seen.add(module)
            pending.extend(imported_modules(path))
    return seen


@pytest.mark.parametrize("rule_module", RULE_MODULES)
def test_rule_modules_are_pure(rule_module: str) -> None:
    # given a module that holds a legal rule; when everything it loads is collected
    modules = loaded_with(rule_module)
    imports = {m for name in modules if (path := module_file(name)) for m in imported_modules(path)}
    # then none of it touches a session, the models, graphene or Starlette
    assert rule_module in modules
    assert {m for m in imports if m.split(".")[0] in IMPURE or m.startswith(IMPURE)} == set()
