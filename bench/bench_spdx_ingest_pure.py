"""Benchmark reading SPDX (sbom.parse_sbom) against CycloneDX of the same size and spdx-tools.

For each size: median wall and CPU time of parse_sbom on generated SPDX 2.3 JSON, on the same
document as tag-value (written by spdx-tools), and on a generated CycloneDX 1.6 JSON with as many
components. With ``--spdx-tools``: spdx-tools 0.8.5 parsing the JSON and validating it
(``validate_full_spdx_document``), and parsing the tag-value (only up to ``--tagvalue-limit``
packages: it costs about 0.2 s per licence field).

    .venv/bin/python bench/bench_spdx_ingest_pure.py [--sizes 1000 10000] [--runs 5] [--spdx-tools]

CPU time is shown because wall time on a shared machine includes waiting for a core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

from sbom_generate import generate_cyclonedx_json  # noqa: E402
from spdx_generate import generate_spdx_json  # noqa: E402

from sbom import parse_sbom  # noqa: E402

LIMIT = 1 << 30


def timed(action: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds over ``runs``, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def write_tag_value(json_path: Path) -> Path:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.writer.write_anything import write_file

    target = json_path.with_suffix("").with_suffix(".spdx")
    write_file(parse_file(str(json_path)), str(target), validate=False)
    return target


def row(label: str, size: int, wall: float, cpu: float, components: Any) -> None:
    print(f"{label:<38} {size:>7} {wall:>8.3f} {cpu:>7.3f} {components!s:>11}")


def ours(size: int, runs: int, folder: Path) -> Path:
    json_path = folder / f"sbom-{size}.spdx.json"
    json_path.write_bytes(generate_spdx_json(size, spec="2.3", seed=size))
    tag_path = write_tag_value(json_path)
    cyclonedx = generate_cyclonedx_json(size, spec="1.6", seed=size)
    for label, data in (
        ("parse_sbom SPDX 2.3 JSON", json_path.read_bytes()),
        ("parse_sbom SPDX 2.3 tag-value", tag_path.read_bytes()),
        ("parse_sbom CycloneDX 1.6 JSON", cyclonedx),
    ):
        parse_sbom(data, max_bytes=LIMIT)  # validators are built once per process
        wall, cpu, parsed = timed(lambda d=data: parse_sbom(d, max_bytes=LIMIT), runs)
        row(label, size, wall, cpu, len(parsed.components))
    return json_path


def spdx_tools(json_path: Path, size: int, tagvalue_limit: int) -> None:
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    wall, cpu, document = timed(lambda: parse_file(str(json_path)), 1)
    row("spdx-tools parse JSON", size, wall, cpu, len(document.packages))
    wall, cpu, messages = timed(lambda: validate_full_spdx_document(document), 1)
    row("spdx-tools validate (messages)", size, wall, cpu, len(messages))
    if size <= tagvalue_limit:
        tag_path = json_path.with_suffix("").with_suffix(".spdx")
        wall, cpu, document = timed(lambda: parse_file(str(tag_path)), 1)
        row("spdx-tools parse tag-value", size, wall, cpu, len(document.packages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spdx-tools", action="store_true")
    parser.add_argument("--tagvalue-limit", type=int, default=100)
    args = parser.parse_args()
    print(f"{'':<38} {'size':>7} {'wall s':>8} {'CPU s':>7} {'components':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            json_path = ours(size, args.runs, Path(tmp))
            if args.spdx_tools:
                spdx_tools(json_path, size, args.tagvalue_limit)


if __name__ == "__main__":
    main()
