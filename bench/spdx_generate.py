"""Generate realistic, schema-valid SPDX 2.2/2.3 JSON documents of any size (seeded).

Used by the sbom tests and by bench_spdx_ingest_pure.py. The documents look like what npm
(``npm sbom --sbom-format spdx``) and sbom4python emit: one described root package, packages with
a ``PACKAGE-MANAGER purl`` reference (npm/maven/pypi/deb), CPEs for the deb ones, supplier and
originator, declared/concluded licences (ids, expressions, NOASSERTION, one ``LicenseRef-``),
SHA-256/SHA-1 checksums, and a dependency DAG written partly as ``DEPENDS_ON`` and partly as
``DEPENDENCY_OF`` (npm writes the latter). spdx-tools accepts them too (whole-second timestamps,
an ``M.N`` licence list version), so they serve as its reference input.

    python bench/spdx_generate.py 10000 --spec 2.3 > sbom.spdx.json
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from typing import Any

import orjson

Json = dict[str, Any]

SPEC_VERSIONS = ("2.2", "2.3")
ROOT_ID = "SPDXRef-Package-root"
_WORDS = (
    "alpha", "bolt", "cache", "delta", "ember", "flux", "grid", "helix", "ion", "jade", "kite",
    "lumen", "mesa", "nova", "orbit", "pixel", "quark", "relay", "sigma", "terra", "umbra",
)  # fmt: skip
_SUPPLIERS = ("Acme Corp", "Globex Ltd", "Initech GmbH", "Umbrella Software", "Hooli Inc")
_LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "GPL-2.0-only", "MPL-2.0")
_ECOSYSTEMS = ("npm", "maven", "pypi", "deb")
_ECOSYSTEM_WEIGHTS = (40, 30, 20, 10)
PROPRIETARY = "LicenseRef-Example-Proprietary"


def generate_spdx_json(n_packages: int, *, spec: str = "2.3", seed: int = 0) -> bytes:
    """An SPDX JSON document with ``n_packages`` packages besides the described root package."""
    if spec not in SPEC_VERSIONS:
        raise ValueError(f"spec must be one of {SPEC_VERSIONS}")
    rng = random.Random(seed)
    packages = [_package(rng, index, spec) for index in range(n_packages)]
    root: Json = {
        "SPDXID": ROOT_ID,
        "name": "example-application",
        "versionInfo": "1.0.0",
        "downloadLocation": "NOASSERTION",
        "supplier": "Organization: Example Vendor Ltd",
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "externalRefs": [_purl_ref("pkg:generic/example/example-application@1.0.0")],
    }
    document: Json = {
        "spdxVersion": f"SPDX-{spec}",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "example-application-1.0.0",
        "documentNamespace": f"https://vendor.example.com/spdx/{uuid.UUID(int=rng.getrandbits(128))}",
        "creationInfo": {
            "created": "2024-05-01T12:00:00Z",
            "creators": ["Tool: spdx-generate-1.0.0", "Organization: Example Vendor Ltd"],
            "licenseListVersion": "3.22",
        },
        "documentDescribes": [ROOT_ID],
        "packages": [root, *packages],
        "relationships": _relationships(rng, packages),
        "hasExtractedLicensingInfos": [
            {
                "licenseId": PROPRIETARY,
                "extractedText": "Licensed to the purchaser only.",
                "name": "Example Proprietary License",
            }
        ],
    }
    return orjson.dumps(document)


def _package(rng: random.Random, index: int, spec: str) -> Json:
    ecosystem = rng.choices(_ECOSYSTEMS, _ECOSYSTEM_WEIGHTS)[0]
    word = rng.choice(_WORDS)
    version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
    refs = []
    if ecosystem == "npm":
        name = f"{word}-kit{index}"
        purl = f"pkg:npm/{name}@{version}"
    elif ecosystem == "maven":
        name = f"{word}-core{index}"
        purl = f"pkg:maven/org.{word}/{name}@{version}?type=jar"
    elif ecosystem == "pypi":
        name = f"py{word}{index}"
        purl = f"pkg:pypi/{name}@{version}"
    else:
        name = f"lib{word}{index}"
        version = f"{version}-{rng.randint(1, 5)}"
        purl = f"pkg:deb/debian/{name}@{version}?arch=amd64"
        refs.append(
            {
                "referenceCategory": "SECURITY",
                "referenceType": "cpe23Type",
                "referenceLocator": f"cpe:2.3:a:debian:{name}:{version}:*:*:*:*:*:*:*",
            }
        )
    # SPDX 2.3 spells the category with a hyphen; 2.2 tools wrote either.
    refs.insert(0, _purl_ref(purl, "PACKAGE-MANAGER" if spec == "2.3" else "PACKAGE_MANAGER"))
    roll = rng.random()
    declared = (
        rng.choice(_LICENSES)
        if roll < 0.7
        else "MIT OR Apache-2.0"
        if roll < 0.8
        else PROPRIETARY
        if roll < 0.85
        else "NOASSERTION"
    )
    package: Json = {
        "SPDXID": f"SPDXRef-Package-{index}",
        "name": name,
        "versionInfo": version,
        "downloadLocation": f"https://registry.example.org/{ecosystem}/{name}-{version}.tgz",
        "filesAnalyzed": False,
        "licenseConcluded": declared if rng.random() < 0.5 else "NOASSERTION",
        "licenseDeclared": declared,
        "copyrightText": "NOASSERTION",
        "checksums": [
            {"algorithm": "SHA256", "checksumValue": f"{rng.getrandbits(256):064x}"},
            {"algorithm": "SHA1", "checksumValue": f"{rng.getrandbits(160):040x}"},
        ],
        "externalRefs": refs,
    }
    if rng.random() < 0.8:
        package["supplier"] = f"Organization: {rng.choice(_SUPPLIERS)}"
    if rng.random() < 0.2:
        package["originator"] = f"Person: Dev {word.title()} (dev@{word}.example.org)"
    return package


def _purl_ref(purl: str, category: str = "PACKAGE-MANAGER") -> Json:
    return {"referenceCategory": category, "referenceType": "purl", "referenceLocator": purl}


def _relationships(rng: random.Random, packages: list[Json]) -> list[Json]:
    """DESCRIBES the root; the root depends on a first layer; every other package depends on up
    to three earlier ones (an acyclic graph), stated from either end."""
    out = [_relationship("SPDXRef-DOCUMENT", "DESCRIBES", ROOT_ID)]
    for index, package in enumerate(packages):
        if index < 10 or rng.random() < 0.1:
            out.append(_relationship(ROOT_ID, "DEPENDS_ON", package["SPDXID"]))
        count = min(index, rng.choice((0, 0, 1, 2, 3)))
        for target in rng.sample(range(max(0, index - 200), index), count) if count else ():
            other = packages[target]["SPDXID"]
            if rng.random() < 0.5:
                out.append(_relationship(package["SPDXID"], "DEPENDS_ON", other))
            else:
                out.append(_relationship(other, "DEPENDENCY_OF", package["SPDXID"]))
    return out


def _relationship(element: str, kind: str, related: str) -> Json:
    return {"spdxElementId": element, "relationshipType": kind, "relatedSpdxElement": related}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("packages", type=int)
    parser.add_argument("--spec", choices=SPEC_VERSIONS, default="2.3")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.stdout.buffer.write(generate_spdx_json(args.packages, spec=args.spec, seed=args.seed))


if __name__ == "__main__":
    main()
