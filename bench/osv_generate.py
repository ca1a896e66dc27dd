"""Generate OSV dumps in the OSV schema (ossf.github.io/osv-schema), deterministic per seed.

Used by bench_osv_import.py and the import tests. The records look like OSV's per-ecosystem
``all.zip``: one ``<id>.json`` per record, ids and aliases, summary and details, a mix of
ecosystems (npm, Maven, PyPI, Go, Debian, and a few an importer cannot match), ECOSYSTEM, SEMVER
and GIT ranges with introduced/fixed/last_affected events, explicit ``versions`` lists, CVSS
vectors and GHSA-style ``database_specific.severity``, and some withdrawn records. Package names
come from a fixed pool (:func:`package_pool`) so that generated SBOM components can meet them.

    python bench/osv_generate.py 50000 dump.zip
"""

from __future__ import annotations

import argparse
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

Json = dict[str, Any]

_WORDS = (
    "alpha", "bolt", "cache", "delta", "ember", "flux", "grid", "helix", "ion", "jade", "kite",
    "lumen", "mesa", "nova", "orbit", "pixel", "quark", "relay", "sigma", "terra", "umbra",
)  # fmt: skip
# (OSV ecosystem, purl type, weight); "Hackage" has no version order here, "Bitnami" no mapping.
ECOSYSTEMS = (
    ("npm", "npm", 35),
    ("Maven", "maven", 25),
    ("PyPI", "pypi", 20),
    ("Go", "golang", 10),
    ("Debian:12", "deb", 6),
    ("Bitnami", "bitnami", 4),
)
_SEVERITIES = ("LOW", "MODERATE", "HIGH", "CRITICAL")
PACKAGES_PER_ECOSYSTEM = 2000


def package_pool(ecosystem: str) -> list[tuple[str | None, str]]:
    """The (purl namespace, purl name) of every package generated records may name."""
    rng = random.Random(f"pool-{ecosystem}")
    out: list[tuple[str | None, str]] = []
    for k in range(PACKAGES_PER_ECOSYSTEM):
        word = f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{k}"
        if ecosystem == "Maven":
            out.append((f"org.{rng.choice(_WORDS)}", word))
        elif ecosystem == "Go":
            out.append((f"github.com/{rng.choice(_WORDS)}", word))
        elif ecosystem == "npm" and k % 5 == 0:
            out.append((f"@{rng.choice(_WORDS)}", word))
        else:
            out.append((None, word))
    return out


def osv_name(ecosystem: str, namespace: str | None, name: str) -> str:
    if ecosystem == "Maven":
        return f"{namespace}:{name}"
    return f"{namespace}/{name}" if namespace else name


def _version(rng: random.Random) -> str:
    return f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"


def _ranges(rng: random.Random, ecosystem: str) -> list[Json]:
    low = [rng.randint(0, 2), rng.randint(0, 10), rng.randint(0, 10)]
    high = [low[0] + rng.randint(0, 3), low[1] + rng.randint(1, 10), rng.randint(0, 30)]
    introduced = "0" if rng.random() < 0.3 else ".".join(map(str, low))
    end_kind = "last_affected" if rng.random() < 0.15 else "fixed"
    kind = "SEMVER" if ecosystem in ("npm", "Go") else "ECOSYSTEM"
    ranges: list[Json] = [
        {
            "type": kind,
            "events": [{"introduced": introduced}, {end_kind: ".".join(map(str, high))}],
        }
    ]
    if rng.random() < 0.1:
        ranges.append(
            {
                "type": "GIT",
                "repo": "https://example.org/repo.git",
                "events": [{"introduced": "0"}, {"fixed": f"{rng.getrandbits(160):040x}"}],
            }
        )
    return ranges


def generate_record(i: int, *, seed: int = 0, modified: str = "2025-06-01T00:00:00Z") -> Json:
    """Record number ``i`` of the dump with this seed (the same every time)."""
    rng = random.Random(f"{seed}-{i}")
    ecosystem, _ptype, _w = rng.choices(ECOSYSTEMS, weights=[e[2] for e in ECOSYSTEMS])[0]
    namespace, name = rng.choice(package_pool_cached(ecosystem))
    affected: Json = {
        "package": {"ecosystem": ecosystem, "name": osv_name(ecosystem, namespace, name)},
        "ranges": _ranges(rng, ecosystem.split(":")[0]),
    }
    if rng.random() < 0.2:
        affected["versions"] = sorted({_version(rng) for _ in range(rng.randint(1, 6))})
    record: Json = {
        "schema_version": "1.6.0",
        "id": f"GEN-{seed}-{i:06d}",
        "modified": modified,
        "published": "2024-01-01T00:00:00Z",
        "aliases": [f"CVE-{2018 + i % 8}-{10000 + i}"],
        "summary": f"{name}: {rng.choice(_WORDS)} handling allows {rng.choice(_WORDS)} injection",
        "details": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(20, 120))),
        "affected": [affected],
        "references": [{"type": "ADVISORY", "url": f"https://example.org/advisories/{i}"}],
        "database_specific": {"severity": rng.choice(_SEVERITIES)},
    }
    if rng.random() < 0.5:
        record["severity"] = [
            {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
        ]
    if rng.random() < 0.03:
        record["withdrawn"] = "2025-05-01T00:00:00Z"
    return record


_POOLS: dict[str, list[tuple[str | None, str]]] = {}


def package_pool_cached(ecosystem: str) -> list[tuple[str | None, str]]:
    if ecosystem not in _POOLS:
        _POOLS[ecosystem] = package_pool(ecosystem)
    return _POOLS[ecosystem]


def records(
    count: int, *, seed: int = 0, start: int = 0, modified: str = "2025-06-01T00:00:00Z"
) -> Iterator[Json]:
    for i in range(start, start + count):
        yield generate_record(i, seed=seed, modified=modified)


def write_zip(path: Path, items: Iterator[Json]) -> int:
    """Write records as OSV's all.zip does (one ``<id>.json`` per record); returns the count."""
    n = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in items:
            archive.writestr(f"{record['id']}.json", orjson.dumps(record))
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_zip(args.output, records(args.count, seed=args.seed)))


if __name__ == "__main__":
    main()
