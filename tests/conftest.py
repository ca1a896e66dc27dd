"""Fixtures shared by every test layer: databases on both backends, the app, tokens per role."""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings

from procurement.demo import load_demo
from procurement.registry import token_cache
from tests.support import postgres
from tests.support.databases import (
    DatabaseUnderTest,
    migrate_template,
    open_database,
    postgres_copy,
    postgres_create,
    postgres_drop,
    process_tag,
    run_in_thread,
    sqlite_copy,
)
from tests.support.templates import Seed, SeededTemplates
from tests.support.world import World, build_world_as_of_opening

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "sbom-corpus"

# Property tests: quick locally, thorough in CI (.ci/run sets HYPOTHESIS_PROFILE=ci). Tests that
# need a wider search ask tests.support.properties.examples(n) for their share. No deadline: what
# they check is the answer, and a shared 2-core machine under xdist misses any per-example timing.
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Seed data a test gets by taking the fixture of that name, loaded in this order when it takes
# several (the demo next to the world, as tests/e2e/test_exposure_api.py wants it).
SEEDS: dict[str, Seed] = {"world": build_world_as_of_opening, "demo": load_demo}

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(autouse=True)
def empty_token_cache() -> Iterator[None]:
    """Each test starts with an empty token cache: worlds copied from one template share their
    tokens' secrets, so a principal cached by one test must not answer for the next."""
    token_cache.forget_all()
    yield
    token_cache.forget_all()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    reason = postgres.unavailable_reason()
    if reason is not None:
        if os.environ.get("PROCUREMENT_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here (PROCUREMENT_REQUIRE_POSTGRES): {reason}")
        pytest.skip(reason)
    server = postgres.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """An empty database migrated to the head, copied by every PostgreSQL test."""
    name = f"template_{process_tag()}"
    url = run_in_thread(lambda: postgres_create(pg_server, name))
    migrate_template(url)
    yield name
    run_in_thread(lambda: postgres_drop(pg_server, name))


@pytest.fixture(scope="session")
def pg_templates(pg_server: str, pg_template: str) -> Iterator[SeededTemplates]:
    def create(label: str) -> tuple[str, str]:
        name = f"{label}_{process_tag()}"
        return name, run_in_thread(lambda: postgres_create(pg_server, name, pg_template))

    def drop(name: str) -> None:
        run_in_thread(lambda: postgres_drop(pg_server, name))

    templates = SeededTemplates("postgresql", pg_template, SEEDS, create, drop)
    yield templates
    templates.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # tmp_path_factory is per xdist worker (basetemp/popen-gwN), so each worker has its own
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_template(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_templates(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> SeededTemplates:
    directory = tmp_path_factory.mktemp("seeded")

    def create(label: str) -> tuple[str, str]:
        path = directory / f"{label}.db"
        shutil.copyfile(sqlite_template, path)
        return str(path), f"sqlite+aiosqlite:///{path}"

    return SeededTemplates("sqlite", str(sqlite_template), SEEDS, create)


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DatabaseUnderTest]:
    """A fresh, migrated database of each backend (the test runs once per backend). If the test
    also takes seed fixtures (``world``, ``demo``), it is a copy of a template they were loaded
    into once: the same rows and ids as loading them in the test, for the price of a copy."""
    backend: str = request.param
    seeds = tuple(name for name in SEEDS if name in request.fixturenames)
    if backend == "sqlite":
        seeded = request.getfixturevalue("sqlite_templates").get(seeds)
        database = open_database(
            backend, sqlite_copy(Path(seeded.template), tmp_path), seeded.values
        )
        try:
            yield database
        finally:
            await database.engine.dispose()
    else:
        server: str = request.getfixturevalue("pg_server")
        seeded = request.getfixturevalue("pg_templates").get(seeds)
        url, copied = await postgres_copy(server, seeded.template)
        database = open_database(backend, url, seeded.values)
        try:
            yield database
        finally:
            await database.engine.dispose()
            await postgres_drop(server, copied)


@pytest.fixture
async def world(db: DatabaseUnderTest) -> World:
    """Two operators, two vendors, three purchases and a token per role (tests/support/world.py)."""
    if "world" in db.seeds:
        # a copy: a test may change its World without the next test seeing it
        world: World = copy.deepcopy(db.seeds["world"])
        return world
    async with db.sessions() as session:  # asked for late (getfixturevalue): build it here
        return await build_world_as_of_opening(session)


@pytest.fixture
async def demo(db: DatabaseUnderTest) -> str:
    """The demo data set (procurement/demo.py) loaded; its summary line."""
    if "demo" in db.seeds:
        summary: str = db.seeds["demo"]
        return summary
    async with db.sessions() as session:
        return await load_demo(session)


@pytest.fixture
async def client(db: DatabaseUnderTest) -> AsyncIterator[httpx.AsyncClient]:
    from procurement.settings import load_settings
    from procurement.web.app import create_app

    settings = load_settings({"PROCUREMENT_DATABASE_URL": db.url})
    app = create_app(settings, engine=db.engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
