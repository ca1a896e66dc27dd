"""CycloneDX documents for tests: small hand-made ones with known contents, and large generated
ones from the project's own generator (bench/sbom_generate.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

_GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "sbom_generate.py"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sbom_generate", _GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(n_components: int, seed: int = 0) -> bytes:
    document: bytes = generator().generate_cyclonedx_json(n_components, seed=seed)
    return document


def maven(group: str, name: str, version: str, supplier: str | None = "Apache") -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "library",
        "bom-ref": f"{group}:{name}:{version}",
        "group": group,
        "name": name,
        "version": version,
        "purl": f"pkg:maven/{group}/{name}@{version}?type=jar",
    }
    if supplier:
        component["supplier"] = {"name": supplier}
    return component


def firmware_sbom(
    components: list[dict[str, Any]],
    *,
    product_version: str = "1.0",
    vulnerabilities: list[dict[str, Any]] | None = None,
) -> bytes:
    """A CycloneDX 1.6 SBOM of "router-firmware" with the given components."""
    document: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": "2026-01-15T08:00:00Z",
            "authors": [{"name": "Huaxin build system"}],
            "component": {
                "type": "firmware",
                "group": "cn.huaxin",
                "name": "router-firmware",
                "version": product_version,
                "bom-ref": "product",
            },
        },
        "components": components,
        "dependencies": [
            {"ref": "product", "dependsOn": [c["bom-ref"] for c in components]},
            *({"ref": c["bom-ref"]} for c in components),
        ],
    }
    if vulnerabilities:
        document["vulnerabilities"] = vulnerabilities
    return orjson.dumps(document)


LOG4J_OLD = maven("org.apache.logging.log4j", "log4j-core", "2.14.1")
LOG4J_FIXED = maven("org.apache.logging.log4j", "log4j-core", "2.17.1")
COMMONS = maven("commons-io", "commons-io", "2.11.0")
NETTY = maven("io.netty", "netty-handler", "4.1.86.Final", supplier=None)
