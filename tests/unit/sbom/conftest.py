"""Shared fixtures for the sbom tests: the real corpus (optional) and the document generator."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
# The corpus is a sibling of the repository (../shared/sbom-corpus); a fresh clone has none.
CORPUS_DIR = REPO_ROOT / ".." / "shared" / "sbom-corpus"
GENERATOR_PATH = REPO_ROOT / "bench" / "sbom_generate.py"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sbom_generate", GENERATOR_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_generator = _load_generator()
generate_cyclonedx_json: Callable[..., bytes] = _generator.generate_cyclonedx_json


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"SBOM corpus not found at {CORPUS_DIR.resolve()} (it lives in ../shared)")
    return CORPUS_DIR.resolve()


@pytest.fixture(scope="session")
def generated_1000() -> bytes:
    return generate_cyclonedx_json(1000, spec="1.6", seed=7)
