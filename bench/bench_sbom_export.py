"""Benchmark writing a parsed SBOM in each export format, and checking the result.

For each size: median wall and CPU time of the three pure writers (CycloneDX 1.6 JSON, CycloneDX
1.6 XML, SPDX 2.3 JSON) on a generated CycloneDX 1.6 document read by parse_sbom, then of the
official checks the tests use (XSD via cyclonedx-python-lib's lxml validator, the SPDX 2.3 JSON
schema via jsonschema-rs), and the output sizes.

    .venv/bin/python bench/bench_sbom_export.py [--sizes 1000 10000] [--runs 3]

CPU time is shown because wall time on a shared machine includes waiting for a core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import orjson  # noqa: E402
from cyclonedx.schema import SchemaVersion  # noqa: E402
from cyclonedx.validation.xml import XmlValidator  # noqa: E402
from sbom_generate import generate_cyclonedx_json  # noqa: E402

from sbom import parse_sbom  # noqa: E402
from sbom.export import to_cyclonedx_json  # noqa: E402
from sbom.export_spdx import SpdxDocumentInfo, to_spdx_json  # noqa: E402
from sbom.export_xml import to_cyclonedx_xml  # noqa: E402
from sbom.spdx_schemas import spdx_validator  # noqa: E402

LIMIT = 1 << 30
INFO = SpdxDocumentInfo(
    "bench", "https://spdx.org/spdxdocs/bench-1", datetime(2026, 1, 1, tzinfo=UTC), "bench-1"
)


def timed(action: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds over ``runs``, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'components':>10}  {'step':<28} {'wall s':>8} {'cpu s':>8} {'MB':>6}")
    for size in args.sizes:
        run_size(size, args.runs)


def run_size(size: int, runs: int) -> None:
    xsd = XmlValidator(SchemaVersion.V1_6)
    spdx_schema = spdx_validator("2.3")
    parsed = parse_sbom(generate_cyclonedx_json(size, spec="1.6", seed=3), max_bytes=LIMIT)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("CycloneDX JSON write", lambda: to_cyclonedx_json(parsed)),
        ("CycloneDX XML write", lambda: to_cyclonedx_xml(parsed)),
        ("SPDX 2.3 JSON write", lambda: to_spdx_json(parsed, INFO)),
    ]
    outputs: dict[str, bytes] = {}
    for name, step in steps:
        wall, cpu, data = timed(step, runs)
        outputs[name] = data
        print(f"{size:>10}  {name:<28} {wall:>8.3f} {cpu:>8.3f} {len(data) / 1e6:>6.1f}")
    xml_text = outputs["CycloneDX XML write"].decode()
    wall, cpu, error = timed(lambda: xsd.validate_str(xml_text), runs)
    assert error is None, error
    print(f"{size:>10}  {'XSD 1.6 check (lxml)':<28} {wall:>8.3f} {cpu:>8.3f}")
    spdx = orjson.loads(outputs["SPDX 2.3 JSON write"])
    wall, cpu, valid = timed(lambda: spdx_schema.is_valid(spdx), runs)
    assert valid
    print(f"{size:>10}  {'SPDX 2.3 schema check':<28} {wall:>8.3f} {cpu:>8.3f}")


if __name__ == "__main__":
    main()
