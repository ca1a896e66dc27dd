"""The test suite's own machinery: a database copied from a seeded template holds exactly what
loading the seeds in the test would have written (tests/support/templates.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from procurement.demo import load_demo
from tests.support.databases import (
    DatabaseUnderTest,
    open_database,
    postgres_copy,
    postgres_drop,
    sqlite_copy,
)
from tests.support.world import World, build_world_as_of_opening, row_counts

PREFIX = {"sqlite": "sqlite", "postgresql": "pg"}  # of the session fixtures in tests/conftest.py


@asynccontextmanager
async def unseeded(
    request: pytest.FixtureRequest, backend: str, directory: Path
) -> AsyncIterator[DatabaseUnderTest]:
    """A second database of ``backend``: a copy of the plain migrated template."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        database = open_database(backend, sqlite_copy(template, directory))
        try:
            yield database
        finally:
            await database.engine.dispose()
    else:
        server = request.getfixturevalue("pg_server")
        url, name = await postgres_copy(server, request.getfixturevalue("pg_template"))
        database = open_database(backend, url)
        try:
            yield database
        finally:
            await database.engine.dispose()
            await postgres_drop(server, name)


async def test_a_world_copy_holds_what_building_the_world_writes(
    request: pytest.FixtureRequest, tmp_path: Path, db: DatabaseUnderTest, world: World
) -> None:
    # given this test's database, copied from the world's template
    async with db.sessions() as session:
        copied = await row_counts(session)
    # when the world is built through the services into a plain migrated database
    async with unseeded(request, db.backend, tmp_path) as fresh, fresh.sessions() as session:
        built = await build_world_as_of_opening(session)
        written = await row_counts(session)
    # then the copy has the same rows under the same ids, and a token for every role
    assert copied == written
    assert copied["purchases"] == 3
    assert dataclasses.replace(world, secrets={}) == dataclasses.replace(built, secrets={})
    assert sorted(world.secrets) == sorted(built.secrets)


async def test_a_demo_copy_holds_what_loading_the_demo_writes(
    request: pytest.FixtureRequest, tmp_path: Path, db: DatabaseUnderTest, demo: str
) -> None:
    # given this test's database, copied from the demo's template
    async with db.sessions() as session:
        copied = await row_counts(session)
    # when the demo is loaded into a plain migrated database
    async with unseeded(request, db.backend, tmp_path) as fresh, fresh.sessions() as session:
        summary = await load_demo(session)
        written = await row_counts(session)
    # then the copy has the same rows, and the fixture gives the loader's summary
    assert copied == written
    assert copied["purchases"] == 12
    assert demo == summary


async def test_each_seeded_template_is_built_once_per_worker(
    request: pytest.FixtureRequest, db: DatabaseUnderTest, world: World
) -> None:
    # given the templates of this test's backend
    templates = request.getfixturevalue(f"{PREFIX[db.backend]}_templates")
    # when the world's template is asked for again
    again = templates.get(("world",))
    # then it is the one this test was copied from, with the same World
    assert again is templates.get(("world",))
    assert again.values["world"] == db.seeds["world"]
    assert db.seeds["world"] is not world  # the test got its own copy to change
