"""Benchmark: render the shipped Article 20 agreement (zh and en) with a typical purchase.

    python bench/bench_agreement_render.py [-n 50]

Prints median and p95 wall time per render in ms (target: under 300 ms). Each iteration is the
whole path a request takes: derive obligations, build the context, render the .docx bytes.
"""

from __future__ import annotations

import argparse
import statistics
import time

from contract_templates import find_template, template_bytes
from procurement.agreements.context import build_context
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.render import check_template, render
from procurement.agreements.sample import sample_facts

TARGET_MS = 300.0


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_language(language: str, iterations: int) -> list[float]:
    template = template_bytes(find_template("security-agreement", language))
    facts = sample_facts()
    timings: list[float] = []
    for _ in range(iterations + 2):  # the first two warm imports and caches; not counted
        started = time.perf_counter()
        obligations = derive_obligations(facts.purchase, facts.terms, language)
        output = render(template, build_context(facts, obligations, language))
        timings.append((time.perf_counter() - started) * 1000)
    assert output.startswith(b"PK")
    return timings[2:]


def main() -> None:
    parser = argparse.ArgumentParser(description="agreement render benchmark")
    parser.add_argument("-n", "--iterations", type=int, default=50)
    args = parser.parse_args()
    worst = 0.0
    for language in ("zh", "en"):
        timings = bench_language(language, args.iterations)
        median, p95 = statistics.median(timings), _percentile(timings, 0.95)
        worst = max(worst, p95)
        print(f"render {language}: n={len(timings)} median={median:.1f} ms p95={p95:.1f} ms")
    template = template_bytes(find_template("security-agreement", "zh"))
    started = time.perf_counter()
    check_template(template)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"check_template zh (upload check, once): {elapsed:.1f} ms")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"worst p95 {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
