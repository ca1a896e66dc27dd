"""The demo data set for the console-script tests, loaded once per worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from tests.support.accounts import make_account, sign_in
from tests.support.cli import DEMO_LOADED, cli
from tests.support.databases import DatabaseUnderTest


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``procurement demo`` run once, its summary checked; loading it costs seconds of CPU in
    a fresh interpreter, so the tests that start from it get copies instead."""
    path = tmp_path_factory.mktemp("demo") / "procurement.db"
    result = cli(path, "demo")
    assert (result.returncode, result.stdout) == (0, DEMO_LOADED + "\n"), result.stderr
    return path


@pytest.fixture
def demo_database(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (SQLite: the process that wrote it has exited, so the
    file holds everything; its WAL was checkpointed on close)."""
    target = tmp_path / "procurement.db"
    shutil.copyfile(demo_file, target)
    return target


@pytest.fixture
async def console(client: httpx.AsyncClient, db: DatabaseUnderTest) -> httpx.AsyncClient:
    """The test client, signed in to the console as an administrator ('ada')."""
    await make_account(db)
    response = await sign_in(client)
    assert response.status_code == 303, response.text
    return client
