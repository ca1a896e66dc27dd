"""SPDX documents made by real tools: npm 11 (committed, see tests/fixtures/spdx/README.md) and
sbom4python (PyPI, in the test extra; run here on this virtualenv). Each reading is checked
against counts, purls, licences and edges taken straight from the raw document."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbom import (
    Component,
    IssueCode,
    License,
    ParsedSbom,
    SbomFormat,
    SbomRejected,
    SbomStandard,
    Tool,
    parse_sbom,
)
from sbom.export import to_cyclonedx_json
from sbom.quality import ntia_quality
from sbom.schemas import json_validator

from .spdx_builders import LIMIT

NPM_SBOM = Path(__file__).resolve().parents[2] / "fixtures" / "spdx" / "npm-11.19.1.spdx.json"
SBOM4PYTHON = shutil.which("sbom4python", path=str(Path(sys.executable).parent)) or shutil.which(
    "sbom4python"
)
needs_sbom4python = pytest.mark.skipif(
    SBOM4PYTHON is None, reason="sbom4python (PyPI) is not installed"
)
_DEPENDS = {"DEPENDS_ON": False, "DEPENDENCY_OF": True}  # kind -> stated from the needed end


def _edges_from_raw(relationships: list[dict[str, str]], ids: set[str]) -> set[tuple[str, str]]:
    edges = set()
    for r in relationships:
        if r["relationshipType"] in _DEPENDS:
            a, b = r["spdxElementId"], r["relatedSpdxElement"]
            if _DEPENDS[r["relationshipType"]]:
                a, b = b, a
            if a in ids and b in ids:
                edges.add((a, b))
    return edges


def _edges(parsed: ParsedSbom) -> set[tuple[str, str]]:
    return {(d.ref, target) for d in parsed.dependencies for target in d.depends_on}


def _described(raw: dict[str, Any]) -> set[str]:
    return set(raw.get("documentDescribes") or ()) | {
        r["relatedSpdxElement"]
        for r in raw.get("relationships") or ()
        if r["relationshipType"] == "DESCRIBES"
    }


def _check_against_raw_json(parsed: ParsedSbom, raw: dict[str, Any]) -> None:
    """Counts, names, purls, licences and edges, each taken from the raw JSON independently."""
    described = _described(raw)
    parts = [p for p in raw["packages"] if p["SPDXID"] not in described]
    assert len(parsed.components) == parsed.raw_component_count == len(parts)
    assert [c.name for c in parsed.components] == [p["name"] for p in parts]
    assert [c.version for c in parsed.components] == [p.get("versionInfo") for p in parts]
    raw_purls = [
        next(
            (
                r["referenceLocator"]
                for r in p.get("externalRefs", [])
                if r["referenceType"] == "purl"
            ),
            None,
        )
        for p in parts
    ]
    assert [c.purl_raw for c in parsed.components] == raw_purls
    raw_licences = []
    for p in parts:
        text = p.get("licenseConcluded")
        if text in (None, "NOASSERTION", "NONE"):
            text = p.get("licenseDeclared")
        raw_licences.append(None if text in (None, "NOASSERTION", "NONE") else text)
    assert [_licence_text(c) for c in parsed.components] == raw_licences
    ids = {p["SPDXID"] for p in raw["packages"]}
    assert _edges(parsed) == _edges_from_raw(raw.get("relationships") or [], ids)


def _licence_text(component: Component) -> str | None:
    if not component.licenses:
        return None
    (licence,) = component.licenses
    return licence.spdx_id or licence.name or licence.expression


def test_npm_sbom_is_read_whole() -> None:
    # given the SPDX 2.3 JSON that `npm sbom` (npm 11.19.1) wrote for a project with 3 dependencies
    data = NPM_SBOM.read_bytes()
    raw = orjson.loads(data)
    # when it is parsed
    parsed = parse_sbom(data, max_bytes=LIMIT)
    # then the project is the described component and its 19 installed packages the components
    assert (parsed.standard, parsed.format, parsed.spec_version) == (
        SbomStandard.SPDX,
        SbomFormat.JSON,
        "2.3",
    )
    assert len(raw["packages"]) == 20
    assert parsed.metadata.component is not None
    assert parsed.metadata.component.purl == "pkg:npm/spdx-fixture@1.0.0"
    _check_against_raw_json(parsed, raw)
    assert len(parsed.components) == 19
    assert len(_edges(parsed)) == 20
    assert {c.purl_type for c in parsed.components} == {"npm"}
    assert parsed.components[0].purl == "pkg:npm/%40babel/code-frame@7.24.7"
    assert {c.name: c.licenses for c in parsed.components}["picocolors"] == (
        License(spdx_id="ISC"),
    )
    assert {h.alg for c in parsed.components for h in c.hashes} == {"SHA-512"}
    # and npm's millisecond timestamp and tool are the metadata
    assert parsed.metadata.timestamp == datetime(2026, 11, 28, 4, 31, 43, 60000, tzinfo=UTC)
    assert parsed.metadata.tools == (Tool("tool", "npm/cli", version="11.19.1"),)
    assert parsed.warnings == ()
    # npm names no supplier and no author: the score says so
    assert ntia_quality(parsed).coverage() == {
        "supplier": 0.0,
        "component_name": 1.0,
        "version": 1.0,
        "unique_identifier": 1.0,
        "dependencies": 1.0,
        "author": 0.0,
        "timestamp": 1.0,
    }


@pytest.mark.parametrize("name", ["npm-11.19.1.spdx.json", "hand-written-2.3.spdx"])
def test_spdx_records_export_as_valid_cyclonedx(name: str) -> None:
    # given SPDX read into records (SHA512, homepage, download location, vcs references...)
    parsed = parse_sbom((NPM_SBOM.parent / name).read_bytes(), max_bytes=LIMIT)
    # when they are written as CycloneDX 1.6, then the official schema accepts the result whole
    exported = orjson.loads(to_cyclonedx_json(parsed))
    assert [e.message for e in json_validator("1.6").iter_errors(exported)] == []
    assert len(exported["components"]) == len(parsed.components)


def _sbom4python(tmp_path: Path, output_format: str, **env: str) -> Path:
    assert SBOM4PYTHON is not None
    output = tmp_path / f"spdx-tools.{output_format}.spdx"
    subprocess.run(
        [
            SBOM4PYTHON,
            "-m",
            "spdx-tools",
            "--sbom",
            "spdx",
            "--format",
            output_format,
            "-o",
            str(output),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, **env},
    )
    return output


@needs_sbom4python
def test_sbom4python_json_and_tag_value_are_read_alike(tmp_path: Path) -> None:
    # given sbom4python's SPDX 2.3 JSON and tag-value for spdx-tools as installed here
    json_file = _sbom4python(tmp_path, "json")
    tag_file = _sbom4python(tmp_path, "tag")
    raw = orjson.loads(json_file.read_bytes())
    text = tag_file.read_text()
    # when both are parsed
    from_json = parse_sbom(json_file.read_bytes(), max_bytes=LIMIT)
    from_text = parse_sbom(tag_file.read_bytes(), max_bytes=LIMIT)
    # then the JSON reading matches the raw JSON, spdx-tools being the described package
    assert from_json.metadata.component is not None
    assert from_json.metadata.component.purl == f"pkg:pypi/spdx-tools@{_installed('spdx-tools')}"
    _check_against_raw_json(from_json, raw)
    assert {"beartype", "click", "license-expression", "ply", "rdflib"} <= {
        c.name for c in from_json.components
    }
    assert {c.purl_type for c in from_json.components} == {"pypi"}
    assert from_json.warnings == from_text.warnings == ()
    # and the tag-value reading matches the raw text's package and purl lines
    names = re.findall(r"^PackageName: (.*)$", text, re.MULTILINE)
    purls = re.findall(r"^ExternalRef: PACKAGE-MANAGER purl (.*)$", text, re.MULTILINE)
    assert from_text.raw_component_count == len(names) - 1 == len(from_text.components)
    assert [c.purl_raw for c in from_text.components] == purls[1:]
    # and both readings agree component for component (the runs differ only in time and id)
    assert [replace(c, location="") for c in from_text.components] == [
        replace(c, location="") for c in from_json.components
    ]
    assert from_text.dependencies == from_json.dependencies
    # sbom4python names no person or organisation as creator, only itself (a tool); the
    # described package's supplier stands behind the data, as CycloneDX's metadata.supplier
    quality = ntia_quality(from_text)
    assert from_text.metadata.authors == ()
    assert from_text.metadata.supplier is not None
    assert (quality.author, quality.timestamp, quality.component_name) == (1.0, 1.0, 1.0)


def _installed(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


@needs_sbom4python
@pytest.mark.parametrize("output_format", ["json", "tag"])
def test_sbom4python_spdx_2_2_is_refused_with_located_errors(
    tmp_path: Path, output_format: str
) -> None:
    # given sbom4python asked for SPDX 2.2: it relabels its 2.3 output, which 2.2 forbids
    output = _sbom4python(tmp_path, output_format, LIB4SBOM_SPDX_VERSION="SPDX-2.2")
    # when it is parsed, then it is refused: the 2.3-only field, on each package, is named
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(output.read_bytes(), max_bytes=LIMIT, max_errors=100)
    errors = excinfo.value.errors
    assert {e.code for e in errors} == {IssueCode.SCHEMA_INVALID}
    purpose = [e for e in errors if "'primaryPackagePurpose' was unexpected" in e.message]
    if output_format == "json":
        raw = orjson.loads(output.read_bytes())
        assert [e.location for e in purpose] == [
            f"/packages/{i}" for i in range(len(raw["packages"]))
        ]
    else:
        text = output.read_text()
        lines = [
            f"line {n}"
            for n, line in enumerate(text.split("\n"), start=1)
            if line.startswith("PrimaryPackagePurpose:")
        ]
        assert [e.location for e in purpose] == lines
        assert all(
            e.message.startswith("PrimaryPackagePurpose is not allowed here") for e in purpose
        )


@needs_sbom4python
def test_sbom4python_spdx_3_is_refused_saying_why(tmp_path: Path) -> None:
    output = _sbom4python(tmp_path, "json", LIB4SBOM_SPDX3="1")
    assert orjson.loads(output.read_bytes())["@context"].startswith("https://spdx.org/rdf/3.")
    with pytest.raises(SbomRejected) as excinfo:
        parse_sbom(output.read_bytes(), max_bytes=LIMIT)
    assert [(e.code, e.location) for e in excinfo.value.errors] == [
        (IssueCode.UNSUPPORTED_SPEC_VERSION, "/@context")
    ]
    assert excinfo.value.errors[0].message.startswith(
        "SPDX 3 (JSON-LD) documents are not supported"
    )
