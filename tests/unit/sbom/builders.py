"""Small hand-made CycloneDX documents for the tests."""

from __future__ import annotations

from typing import Any

import orjson

LIMIT = 10_000_000


def bom_json(spec: str = "1.6", **fields: Any) -> bytes:
    """A CycloneDX JSON document; keyword arguments become top-level properties."""
    document: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": spec, "version": 1}
    document.update(fields)
    return orjson.dumps(document)


def library(name: str, version: str | None = "1.0.0", **fields: Any) -> dict[str, Any]:
    component: dict[str, Any] = {"type": "library", "name": name}
    if version is not None:
        component["version"] = version
    component.update(fields)
    return component


def bom_xml(spec: str, body: str, *, attributes: str = 'version="1"') -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bom xmlns="http://cyclonedx.org/schema/bom/{spec}" {attributes}>\n{body}\n</bom>\n'
    ).encode()
