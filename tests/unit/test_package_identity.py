"""`schema` and `sbom` are also PyPI package names: make sure we import ours."""

from pathlib import Path

import procurement
import schema

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_schema_and_procurement_are_this_projects_packages() -> None:
    # given the packages as imported by the tests
    # then they come from this repository, not from site-packages
    assert Path(schema.__file__).resolve().parent == REPO_ROOT / "schema"
    assert Path(procurement.__file__).resolve().parent == REPO_ROOT / "procurement"
