"""The arrows of ARCHITECTURE.md, checked on the import statements of the source files."""

from __future__ import annotations

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("registry", "sboms", "screening", "reviews", "agreements", "exposure")


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
    assert len(files) == 11
    assert offending == set()
