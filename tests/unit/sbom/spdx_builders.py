"""Small hand-made SPDX 2.3 documents for the tests (JSON; tag-value is written inline)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from sbom import Component, ParsedSbom

LIMIT = 10_000_000
ROOT = "SPDXRef-root"


def package(spdx_id: str, name: str, **fields: Any) -> dict[str, Any]:
    """A package with only what SPDX 2.3 requires, plus ``fields``."""
    return {"SPDXID": spdx_id, "name": name, "downloadLocation": "NOASSERTION", **fields}


def relationship(element: str, kind: str, related: str) -> dict[str, str]:
    return {"spdxElementId": element, "relationshipType": kind, "relatedSpdxElement": related}


def spdx_document(*packages: dict[str, Any], spec: str = "2.3", **fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "spdxVersion": f"SPDX-{spec}",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "example",
        "documentNamespace": "https://example.com/spdx/example-1",
        "creationInfo": {"created": "2024-05-01T12:00:00Z", "creators": ["Tool: example-1.0"]},
        "packages": list(packages),
    }
    document.update(fields)
    return document


def spdx_json(*packages: dict[str, Any], **fields: Any) -> bytes:
    return orjson.dumps(spdx_document(*packages, **fields))


def without_locations(parsed: ParsedSbom) -> tuple[Any, ...]:
    """What a reading says, apart from where in the document it was said and the digest: to
    compare readings of one document written as JSON and as tag-value."""

    def bare(component: Component | None) -> Component | None:
        return None if component is None else replace(component, location="")

    return (
        parsed.standard,
        parsed.spec_version,
        parsed.serial_number,
        replace(parsed.metadata, component=bare(parsed.metadata.component)),
        tuple(bare(c) for c in parsed.components),
        parsed.dependencies,
        parsed.raw_component_count,
        tuple((w.code, w.message) for w in parsed.warnings),
    )
