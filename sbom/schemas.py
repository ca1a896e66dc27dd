"""Official CycloneDX schemas (shipped inside cyclonedx-python-lib) and fast validators for them.

JSON is validated with jsonschema-rs (35 ms for 10,000 components, against minutes with the
pure-Python validator); XML with lxml's XMLSchema. Every ``$ref``/``xs:import`` resolves to the
files beside the schema: a retriever that refuses all URIs guarantees no network access.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

import cyclonedx.schema
import jsonschema_rs
import orjson
from lxml import etree

from sbom.errors import IssueCode, SbomIssue

JSON_SPEC_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
XML_SPEC_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
XML_NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"

SCHEMA_DIR = Path(cyclonedx.schema.__file__).parent / "_res"
# The bom schemas reference these by URIs relative to their $id (http://cyclonedx.org/schema/).
_SIDECAR_SCHEMAS = (
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
)
_SCHEMA_BASE_URI = "http://cyclonedx.org/schema/"
# A message can embed the whole offending instance (e.g. "{...} is not valid under any of ...").
_MAX_MESSAGE = 300
MAX_FORMAT_WARNINGS = 100


def json_schema_path(spec_version: str) -> Path:
    return SCHEMA_DIR / f"bom-{spec_version}.SNAPSHOT.schema.json"


def xml_schema_path(spec_version: str) -> Path:
    return SCHEMA_DIR / f"bom-{spec_version}.SNAPSHOT.xsd"


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"schema reference {uri!r} is not available offline")


@cache
def json_validator(spec_version: str, formats: bool = True) -> jsonschema_rs.Validator:
    """The validator for one spec version, built once per process (about 10 ms).

    ``formats`` also checks the schemas' "format" keywords (date-time, iri-reference, email...).
    JSON Schema leaves format assertion optional; here a format violation is a warning, not a
    rejection (see :func:`validate_json`).
    """
    if spec_version not in JSON_SPEC_VERSIONS:
        raise ValueError(f"no JSON schema for CycloneDX {spec_version}")
    resources = [
        (_SCHEMA_BASE_URI + name, orjson.loads((SCHEMA_DIR / name).read_bytes()))
        for name in _SIDECAR_SCHEMAS
    ]
    registry = jsonschema_rs.Registry(resources, retriever=_refuse_retrieval)
    schema = orjson.loads(json_schema_path(spec_version).read_bytes())
    return jsonschema_rs.validator_for(
        schema, registry=registry, retriever=_refuse_retrieval, validate_formats=formats
    )


def validate_json(
    document: Any, spec_version: str, max_errors: int, warn: Callable[[SbomIssue], None]
) -> list[SbomIssue]:
    """The first ``max_errors`` structural schema violations, each located by a JSON Pointer.

    A document that is structurally valid but breaks a "format" (a real-world example: Maven's
    unexpanded ``${project.artifactId}`` in a URL, which is not an iri-reference) is accepted and
    each such value is reported through ``warn``: one malformed reference URL should not keep a
    reviewer from seeing the components.
    """
    if json_validator(spec_version).is_valid(document):  # the common case, and the cheapest
        return []
    structural = json_validator(spec_version, formats=False)
    if not structural.is_valid(document):
        return [
            SbomIssue(
                IssueCode.SCHEMA_INVALID, shorten(error.message), json_pointer(error.instance_path)
            )
            for error in islice(structural.iter_errors(document), max_errors)
        ]
    for error in islice(json_validator(spec_version).iter_errors(document), MAX_FORMAT_WARNINGS):
        warn(
            SbomIssue(
                IssueCode.INVALID_FORMAT, shorten(error.message), json_pointer(error.instance_path)
            )
        )
    return []


def json_pointer(parts: list[str | int]) -> str:
    """RFC 6901 pointer for a path ("" is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# lxml's XMLSchema keeps its error log on the instance, so an instance must not validate two
# documents at once: keep one set per thread.
_xml_schemas = threading.local()


def xml_schema(spec_version: str) -> etree.XMLSchema:
    if spec_version not in XML_SPEC_VERSIONS:
        raise ValueError(f"no XML schema for CycloneDX {spec_version}")
    schemas: dict[str, etree.XMLSchema] = _xml_schemas.__dict__.setdefault("by_version", {})
    schema = schemas.get(spec_version)
    if schema is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        schema = etree.XMLSchema(etree.parse(str(xml_schema_path(spec_version)), parser))
        schemas[spec_version] = schema
    return schema


def validate_xml(tree: etree._ElementTree, spec_version: str, max_errors: int) -> list[SbomIssue]:
    """The first ``max_errors`` schema violations, each located by its line number."""
    schema = xml_schema(spec_version)
    if schema.validate(tree):
        return []
    return [
        SbomIssue(IssueCode.SCHEMA_INVALID, shorten(entry.message), f"line {entry.line}")
        for entry in islice(_log_entries(schema.error_log), max_errors)
    ]


def _log_entries(log: etree._ListErrorLog) -> Iterator[etree._LogEntry]:
    yield from log


def shorten(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"
