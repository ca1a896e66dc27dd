"""OSV dumps for tests: zips written like OSV's all.zip from the real records under
tests/unit/screening/osv, changed copies of them, and the project's generator (bench/osv_generate.py)."""

from __future__ import annotations

import copy
import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

OSV = Path(__file__).resolve().parents[1] / "unit" / "screening" / "osv"
_GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "osv_generate.py"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("osv_generate", _GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(name: str, **changes: Any) -> dict[str, Any]:
    """The stored test record ``name`` (its file stem), with top-level keys replaced."""
    data: dict[str, Any] = orjson.loads((OSV / f"{name}.json").read_bytes())
    return copy.deepcopy(data) | changes


def write_zip(path: Path, members: dict[str, dict[str, Any] | bytes]) -> Path:
    """A zip with these members: a dict is written as a JSON record, bytes as they are."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content if isinstance(content, bytes) else orjson.dumps(content))
    return path


def dump_of(path: Path, *records: dict[str, Any], extra: dict[str, bytes] | None = None) -> Path:
    members: dict[str, dict[str, Any] | bytes] = {f"{r['id']}.json": r for r in records}
    members.update(extra or {})
    return write_zip(path, members)
