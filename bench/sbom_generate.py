"""Generate realistic, schema-valid CycloneDX JSON documents of any size (deterministic per seed).

Used by the sbom tests (fixtures) and by bench_sbom_ingest_pure.py. The documents look like what
real generators emit: mixed npm/maven/pypi/deb package URLs (some npm scopes written with a raw
``@``, as many tools do, others percent-encoded), suppliers, SPDX ids, expressions and named
licenses, SHA-1/SHA-256 hashes, external references, a dependency graph (a DAG over every
component), some nested components and, from spec 1.4, vulnerabilities with VEX analysis.

    python bench/sbom_generate.py 10000 --spec 1.6 > bom.json
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from typing import Any

import orjson

Json = dict[str, Any]

SPEC_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
_WORDS = (
    "alpha", "bolt", "cache", "delta", "ember", "flux", "grid", "helix", "ion", "jade", "kite",
    "lumen", "mesa", "nova", "orbit", "pixel", "quark", "relay", "sigma", "terra", "umbra",
    "vector", "wave", "xenon", "yarn", "zephyr",
)  # fmt: skip
_SUPPLIERS = (
    "Acme Corp", "Globex Ltd", "Initech GmbH", "Umbrella Software", "Hooli Inc",
    "Vandelay Industries", "Stark Systems", "Wayne Labs",
)  # fmt: skip
_SPDX_IDS = (
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "ISC",
    "GPL-2.0-only",
    "LGPL-2.1-or-later",
    "MPL-2.0",
)
_STATES = ("exploitable", "in_triage", "false_positive", "not_affected", "resolved")
_ECOSYSTEMS = ("npm", "maven", "pypi", "deb")
_ECOSYSTEM_WEIGHTS = (40, 30, 20, 10)


def generate_cyclonedx_json(
    n_components: int,
    *,
    spec: str = "1.6",
    seed: int = 0,
    nested_fraction: float = 0.05,
    with_vulnerabilities: bool = True,
) -> bytes:
    """A CycloneDX JSON document with exactly ``n_components`` components (nested included).

    ``nested_fraction`` of the components are placed inside an earlier component instead of at
    the top level. Vulnerabilities need spec 1.4 or later and are skipped before it.
    """
    if spec not in SPEC_VERSIONS:
        raise ValueError(f"spec must be one of {SPEC_VERSIONS}")
    rng = random.Random(seed)
    minor = int(spec.split(".")[1])
    top: list[Json] = []
    every: list[Json] = []
    for index in range(n_components):
        component = _component(rng, index)
        if every and rng.random() < nested_fraction:
            rng.choice(every[-50:]).setdefault("components", []).append(component)
        else:
            top.append(component)
        every.append(component)
    document: Json = {
        "bomFormat": "CycloneDX",
        "specVersion": spec,
        "serialNumber": uuid.UUID(int=rng.getrandbits(128), version=4).urn,
        "version": 1,
        "metadata": _metadata(minor),
        "components": top,
        "dependencies": _dependencies(rng, every, top),
    }
    if with_vulnerabilities and minor >= 4 and every:
        document["vulnerabilities"] = _vulnerabilities(rng, every)
    return orjson.dumps(document)


def _component(rng: random.Random, index: int) -> Json:
    ecosystem = rng.choices(_ECOSYSTEMS, _ECOSYSTEM_WEIGHTS)[0]
    word = rng.choice(_WORDS)
    version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
    component: Json = {"type": "library"}
    if ecosystem == "npm":
        name = f"{word}-kit{index}"
        if rng.random() < 0.3:
            scope = f"@{rng.choice(_WORDS)}"
            component["group"] = scope
            at = "@" if rng.random() < 0.5 else "%40"  # both spellings occur in the wild
            purl = f"pkg:npm/{at}{scope[1:]}/{name}@{version}"
        else:
            purl = f"pkg:npm/{name}@{version}"
    elif ecosystem == "maven":
        group = f"org.{rng.choice(_WORDS)}.{word}"
        name = f"{word}-core{index}"
        component["group"] = group
        purl = f"pkg:maven/{group}/{name}@{version}?type=jar"
    elif ecosystem == "pypi":
        name = f"py{word}{index}"
        purl = f"pkg:pypi/{name}@{version}"
    else:
        name = f"lib{word}{index}"
        version = f"{version}-{rng.randint(1, 5)}+deb12u{rng.randint(1, 3)}"
        purl = f"pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12"
        component["cpe"] = f"cpe:2.3:a:debian:{name}:{version}:*:*:*:*:*:*:*"
    component.update(
        {
            "bom-ref": purl,
            "name": name,
            "version": version,
            "purl": purl,
            "scope": "required" if rng.random() < 0.9 else "optional",
            "hashes": [
                {"alg": "SHA-256", "content": f"{rng.getrandbits(256):064x}"},
                {"alg": "SHA-1", "content": f"{rng.getrandbits(160):040x}"},
            ],
            "externalReferences": [
                {"type": "website", "url": f"https://{word}.example.org/{name}"},
                {"type": "vcs", "url": f"https://git.example.org/{word}/{name}.git"},
            ],
        }
    )
    if rng.random() < 0.8:
        component["supplier"] = {"name": rng.choice(_SUPPLIERS)}
    roll = rng.random()
    if roll < 0.7:
        component["licenses"] = [{"license": {"id": rng.choice(_SPDX_IDS)}}]
    elif roll < 0.8:
        component["licenses"] = [{"expression": "MIT OR Apache-2.0"}]
    elif roll < 0.9:
        component["licenses"] = [{"license": {"name": "Example Proprietary License"}}]
    return component


def _metadata(minor: int) -> Json:
    tool = {"name": "sbom-generate", "version": "1.0.0"}
    metadata: Json = {
        "timestamp": "2024-05-01T12:00:00Z",
        "authors": [{"name": "Build Bot", "email": "build-bot@example.com"}],
        "tools": (
            {"components": [{"type": "application", "group": "example", **tool}]}
            if minor >= 5
            else [{"vendor": "example", **tool}]
        ),
        "component": {
            "type": "application",
            "bom-ref": "root-application",
            "name": "example-application",
            "version": "1.0.0",
            "purl": "pkg:generic/example/example-application@1.0.0",
        },
        "supplier": {"name": "Example Vendor Ltd", "url": ["https://vendor.example.com"]},
    }
    organisation = {"name": "Example Vendor Ltd"}
    metadata["manufacturer" if minor >= 6 else "manufacture"] = organisation
    if minor >= 5:
        metadata["lifecycles"] = [{"phase": "build"}]
    return metadata


def _dependencies(rng: random.Random, every: list[Json], top: list[Json]) -> list[Json]:
    """Every component gets an entry (empty when it has no dependencies, as the spec asks);
    edges only point to earlier components, so the graph is acyclic."""
    graph = [{"ref": "root-application", "dependsOn": [c["bom-ref"] for c in top]}]
    for index, component in enumerate(every):
        count = min(index, rng.choice((0, 0, 1, 2, 3)))
        targets = rng.sample(range(max(0, index - 200), index), count) if count else []
        graph.append(
            {"ref": component["bom-ref"], "dependsOn": [every[t]["bom-ref"] for t in targets]}
        )
    return graph


def _vulnerabilities(rng: random.Random, every: list[Json]) -> list[Json]:
    out = []
    for number in range(len(every) // 50 + 1):
        target = rng.choice(every)
        state = rng.choice(_STATES)
        cve = f"CVE-2024-{10000 + number}"
        analysis: Json = {"state": state, "detail": f"Assessment of {cve} for {target['name']}."}
        if state == "not_affected":
            analysis["justification"] = "code_not_reachable"
        if state in ("exploitable", "in_triage"):
            analysis["response"] = ["update"]
        out.append(
            {
                "bom-ref": f"vulnerability-{number}",
                "id": cve,
                "source": {"name": "NVD", "url": f"https://nvd.nist.gov/vuln/detail/{cve}"},
                "ratings": [
                    {
                        "source": {"name": "NVD"},
                        "score": round(rng.uniform(1.0, 10.0), 1),
                        "severity": rng.choice(("low", "medium", "high", "critical")),
                        "method": "CVSSv31",
                        "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
                    }
                ],
                "cwes": [rng.choice((79, 89, 502, 787))],
                "description": f"Example vulnerability in {target['name']}.",
                "affects": [
                    {
                        "ref": target["bom-ref"],
                        "versions": [{"version": target["version"], "status": "affected"}],
                    }
                ],
                "analysis": analysis,
            }
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n_components", type=int)
    parser.add_argument("--spec", default="1.6", choices=SPEC_VERSIONS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nested-fraction", type=float, default=0.05)
    parser.add_argument("--no-vulnerabilities", action="store_true")
    args = parser.parse_args(argv)
    sys.stdout.buffer.write(
        generate_cyclonedx_json(
            args.n_components,
            spec=args.spec,
            seed=args.seed,
            nested_fraction=args.nested_fraction,
            with_vulnerabilities=not args.no_vulnerabilities,
        )
    )


if __name__ == "__main__":
    main()
