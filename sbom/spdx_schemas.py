"""Official SPDX 2.2 and 2.3 JSON schemas and fast validators for them (jsonschema-rs).

The schema files are the ones lib4sbom ships (``lib4sbom/schemas/spdx``); they are, as JSON,
identical to the spdx-spec repository's ``schemas/spdx-schema.json`` on its support/2.3 and
development/v2.2.2 branches (a test pins their ``$id`` and title). spdx-tools, the SPDX
project's own library, ships no schema and is far too slow for ingest (see
bench/bench_spdx_ingest_pure.py), so it only serves as the reference in the tests.

The schemas hold no "format" keyword, so one validation pass finds everything; the SPDX tag-value
reader converts to the same JSON shape and is validated by the same schema.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from sbom.errors import IssueCode, SbomIssue
from sbom.schemas import json_pointer, shorten

SPDX_SPEC_VERSIONS = ("2.2", "2.3")


def spdx_schema_path(spec_version: str) -> Path:
    if spec_version not in SPDX_SPEC_VERSIONS:
        raise ValueError(f"no JSON schema for SPDX {spec_version}")
    found = importlib.util.find_spec("lib4sbom")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("lib4sbom (which ships the SPDX JSON schemas) is not installed")
    return (
        Path(found.submodule_search_locations[0])
        / "schemas"
        / "spdx"
        / f"{spec_version}-schema.json"
    )


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"schema reference {uri!r} is not available offline")


@cache
def spdx_validator(spec_version: str) -> jsonschema_rs.Validator:
    """The validator for one SPDX version, built once per process."""
    schema = orjson.loads(spdx_schema_path(spec_version).read_bytes())
    return jsonschema_rs.validator_for(schema, retriever=_refuse_retrieval)


def validate_spdx_json(
    document: Any,
    spec_version: str,
    max_errors: int,
    describe: Callable[[str, list[str | int]], tuple[str, str]] | None = None,
) -> list[SbomIssue]:
    """The first ``max_errors`` schema violations, located by a JSON Pointer; ``describe`` may
    instead give (message, location) for the format the user wrote (tag-value: ``line N``)."""
    validator = spdx_validator(spec_version)
    if validator.is_valid(document):
        return []
    issues = []
    for error in islice(validator.iter_errors(document), max_errors):
        path = list(error.instance_path)
        message, location = (
            describe(error.message, path) if describe else (error.message, json_pointer(path))
        )
        issues.append(SbomIssue(IssueCode.SCHEMA_INVALID, shorten(message), location))
    return issues
