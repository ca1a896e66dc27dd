"""One "today" for legal dates: ``procurement.clock.today_in_china``, and no other copy."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLOCK = ROOT / "procurement" / "clock.py"


def test_only_the_clock_knows_the_china_offset() -> None:
    # Given every source module of the service, when its code is read, then none but the clock
    # spells the UTC+8 offset or the zone, or defines its own "today" (three copies existed:
    # the console, the exposure query and the agreement services each had one).
    offenders: list[str] = []
    for package in ("procurement", "schema", "sbom"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == CLOCK:
                continue
            tree = ast.parse(path.read_text(), str(path))
            name = path.relative_to(ROOT).as_posix()
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.keyword)
                    and node.arg == "hours"
                    and isinstance(node.value, ast.Constant)
                    and node.value.value == 8
                ):
                    offenders.append(f"{name}:{node.value.lineno} hours=8")
                if isinstance(node, ast.Constant) and node.value == "Asia/Shanghai":
                    offenders.append(f"{name}:{node.lineno} Asia/Shanghai")
                if isinstance(node, ast.FunctionDef) and "today" in node.name:
                    offenders.append(f"{name}:{node.lineno} def {node.name}")
    assert offenders == []
