"""`sbom` is also a PyPI package name: make sure the tests import this repository's package."""

from pathlib import Path

import sbom

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_sbom_is_this_projects_package() -> None:
    # given the package as imported by the tests
    # then it is the one in this repository, not a namespace package or a PyPI namesake
    assert sbom.__file__ is not None
    assert Path(sbom.__file__).resolve() == REPO_ROOT / "sbom" / "__init__.py"
    assert callable(sbom.parse_sbom)
