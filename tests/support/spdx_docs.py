"""SPDX documents made by real tools, for the tests of every upload path.

npm's are committed (making them needs the npm registry; see tests/fixtures/spdx/README.md);
sbom4python's are made at test time from this virtualenv (a PyPI tool in the test extra).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spdx"
NPM_1_0 = FIXTURES / "npm-11.19.1.spdx.json"  # spdx-fixture 1.0.0: 20 packages
NPM_1_1 = FIXTURES / "npm-11.19.1-project-1.1.spdx.json"  # 1.1.0 with chalk 5: 15 packages
HAND_WRITTEN = FIXTURES / "hand-written-2.3.spdx"

SBOM4PYTHON = shutil.which("sbom4python", path=str(Path(sys.executable).parent)) or shutil.which(
    "sbom4python"
)
needs_sbom4python = pytest.mark.skipif(
    SBOM4PYTHON is None, reason="sbom4python (PyPI) is not installed"
)


def sbom4python(directory: Path, output_format: str, module: str = "spdx-tools") -> Path:
    """sbom4python's SPDX 2.3 (``json`` or ``tag``) for ``module`` as installed here."""
    assert SBOM4PYTHON is not None
    output = directory / f"{module}.{output_format}.spdx"
    subprocess.run(
        [SBOM4PYTHON, "-m", module, "--sbom", "spdx", "--format", output_format, "-o", str(output)],
        check=True,
        capture_output=True,
        timeout=120,
        env=dict(os.environ),
    )
    return output


def tag_value_packages(text: str) -> list[str]:
    """The ``PackageName`` lines of a tag-value document, in order."""
    return re.findall(r"^PackageName: (.*)$", text, re.MULTILINE)


def sbom4python_version() -> str:
    from importlib.metadata import version

    return version("sbom4python")
