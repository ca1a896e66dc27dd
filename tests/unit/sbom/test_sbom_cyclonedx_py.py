"""An SBOM made by a real tool: cyclonedx-py (PyPI: cyclonedx-bom) describing this virtualenv."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from sbom import SbomFormat, parse_sbom
from sbom.quality import ntia_quality

CYCLONEDX_PY = shutil.which("cyclonedx-py", path=str(Path(sys.executable).parent)) or shutil.which(
    "cyclonedx-py"
)


@pytest.mark.skipif(CYCLONEDX_PY is None, reason="cyclonedx-py (PyPI: cyclonedx-bom) not installed")
@pytest.mark.parametrize("output_format", ["JSON", "XML"])
def test_cyclonedx_py_sbom_of_the_virtualenv_is_parsed(tmp_path: Path, output_format: str) -> None:
    # given an SBOM of the running virtualenv made by cyclonedx-py
    assert CYCLONEDX_PY is not None
    output = tmp_path / f"venv.cdx.{output_format.lower()}"
    subprocess.run(
        [
            CYCLONEDX_PY,
            "environment",
            sys.executable,
            "--of",
            output_format,
            "--no-validate",
            "-o",
            str(output),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    # when it is parsed
    parsed = parse_sbom(output.read_bytes(), max_bytes=50_000_000)
    # then it is accepted whole: every installed distribution is a component with a pypi purl
    assert parsed.format is (SbomFormat.JSON if output_format == "JSON" else SbomFormat.XML)
    assert len(parsed.components) == parsed.raw_component_count
    # (purl names are normalised: jsonschema_rs -> jsonschema-rs)
    names = {c.purl_name for c in parsed.components}
    assert {"orjson", "lxml", "packageurl-python", "jsonschema-rs"} <= names
    assert {c.purl_type for c in parsed.components if c.purl_raw} == {"pypi"}
    # cyclonedx-py gives no purl to local (editable) installs, such as this project itself
    assert {c.name for c in parsed.components if not c.purl_raw} <= {"procurement-review"}
    assert parsed.warnings == ()
    assert ntia_quality(parsed).timestamp == 1.0
    if output_format == "JSON":
        raw = orjson.loads(output.read_bytes())
        assert len(parsed.components) == len(raw["components"])
        assert len(parsed.dependencies) == len(raw["dependencies"])
