"""Benchmark the pure ingest path (sbom.parse_sbom) on generated CycloneDX 1.6 JSON.

For 1,000 / 10,000 / 100,000 components: median wall and CPU time of parse_sbom, peak RSS of a
process that only reads the document and parses it, and peak Python allocations (tracemalloc, in
a separate process because tracing inflates RSS). For 1,000 components also the plain
cyclonedx-python-lib path (JsonStrictValidator + Bom.from_json) and its ratio to ours.

    .venv/bin/python bench/bench_sbom_ingest_pure.py [--sizes 1000 10000 100000] [--runs 5]

CPU time is shown because wall time on a shared machine includes waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

from sbom_generate import generate_cyclonedx_json  # noqa: E402

from sbom import parse_sbom  # noqa: E402
from sbom.schemas import json_validator  # noqa: E402

LIMIT = 1 << 30


def measure_time(path: Path, runs: int) -> dict[str, float]:
    """Child process: timings and peak RSS (document bytes + parse, nothing else)."""
    data = path.read_bytes()
    json_validator("1.6")  # built once per process, as in a long-running worker
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        parsed = parse_sbom(data, max_bytes=LIMIT)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        count = len(parsed.components)
        del parsed
    return {
        "components": count,
        "megabytes": len(data) / 1e6,
        "wall_s": statistics.median(walls),
        "cpu_s": statistics.median(cpus),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_allocations(path: Path) -> dict[str, float]:
    """Child process: peak bytes allocated by Python objects during one parse."""
    data = path.read_bytes()
    json_validator("1.6")
    tracemalloc.start()
    parse_sbom(data, max_bytes=LIMIT)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_mb": peak / 1e6}


def plain_path_seconds(path: Path, runs: int) -> float:
    """cyclonedx-python-lib alone: its validator (python jsonschema) and Bom.from_json."""
    from cyclonedx.model.bom import Bom
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = path.read_text()
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        error = validator.validate_str(text)
        if error is not None:
            raise RuntimeError(f"plain validator rejected the document: {error}")
        Bom.from_json(json.loads(text))  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _child(mode: str, path: Path, runs: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, path = args.child
        measure = measure_time if mode == "time" else lambda p, _: measure_allocations(p)
        print(json.dumps(measure(Path(path), args.runs)))
        return

    header = ("components", "MB", "wall s", "CPU s", "peak RSS MB", "tracemalloc MB")
    print("{:>10} {:>6} {:>8} {:>7} {:>12} {:>15}".format(*header))
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"bom-{size}.json"
            path.write_bytes(generate_cyclonedx_json(size, spec="1.6", seed=size))
            runs = args.runs if size <= 10_000 else max(3, args.runs // 2)
            timing = _child("time", path, runs)
            memory = _child("memory", path, 1)
            print(
                f"{timing['components']:>10.0f} {timing['megabytes']:>6.1f}"
                f" {timing['wall_s']:>8.3f} {timing['cpu_s']:>7.3f}"
                f" {timing['peak_rss_mb']:>12.0f} {memory['tracemalloc_peak_mb']:>15.0f}"
            )
            if size == 1_000:
                ours = timing["wall_s"]
                plain = plain_path_seconds(path, runs=1)
                print(
                    f"{'':>10} plain cyclonedx-python-lib (JsonStrictValidator + Bom.from_json):"
                    f" {plain:.2f} s = {plain / ours:.0f}x parse_sbom"
                )


if __name__ == "__main__":
    main()
