"""`procurement serve --workers N` (issue 14, throughput): several processes on PostgreSQL, one on
SQLite, which takes one writer at a time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from procurement import cli
from procurement.settings import load_settings

POSTGRES = "postgresql://app@127.0.0.1:5432/procurement"


def test_workers_parses_a_count_and_defaults_to_one_per_core_on_postgresql_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a machine with 6 cores
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    parser = cli.build_parser()
    # then a count given is taken, and without one the default depends on the database
    assert parser.parse_args(["serve", "--workers", "4"]).workers == 4
    assert parser.parse_args(["serve"]).workers is None
    sqlite = load_settings({"PROCUREMENT_DATABASE_URL": "sqlite:///p.db"})
    postgres = load_settings({"PROCUREMENT_DATABASE_URL": POSTGRES})
    assert (cli.default_workers(sqlite), cli.default_workers(postgres)) == (1, 6)
    # and a big machine gets at most 8, an unknown one 1
    monkeypatch.setattr(os, "cpu_count", lambda: 32)
    assert cli.default_workers(postgres) == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert cli.default_workers(postgres) == 1


@pytest.mark.parametrize("value", ["0", "-2", "two", "65"])
def test_a_bad_worker_count_is_refused_naming_it(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.build_parser().parse_args(["serve", "--workers", value])
    assert exited.value.code == 2
    assert f"argument --workers: '{value}' is not a number of processes from 1 to 64" in (
        capsys.readouterr().err
    )


def test_several_workers_on_sqlite_are_refused_before_anything_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a SQLite database that does not exist yet
    database = tmp_path / "procurement.db"
    settings = load_settings({"PROCUREMENT_DATABASE_URL": f"sqlite:///{database}"})
    args = cli.build_parser().parse_args(["serve", "--workers", "2"])
    # when serve is asked for two workers
    code = cli.cmd_serve(settings, args)
    # then it refuses saying why, and creates nothing
    assert code == 2
    assert capsys.readouterr().err == (
        "error: --workers 2: SQLite allows one writer, so serve it with one worker (the "
        "default); set PROCUREMENT_DATABASE_URL to a PostgreSQL database to run several\n"
    )
    assert not database.exists()


def test_several_workers_on_postgresql_run_the_app_factory_in_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given PostgreSQL, and uvicorn and the migration step replaced by recorders
    calls: list[tuple[Any, dict[str, Any]]] = []

    async def prepared(_settings: object) -> tuple[None, None]:
        return None, None

    monkeypatch.setattr(cli, "_prepare_for_serving", prepared)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("PROCUREMENT_DATABASE_URL", "unset")  # restored after the test
    settings = load_settings({"PROCUREMENT_DATABASE_URL": POSTGRES})
    # when serve is asked for three workers
    code = cli.cmd_serve(settings, cli.build_parser().parse_args(["serve", "--workers", "3"]))
    # then uvicorn gets the factory's import path (each process builds its app) and the count
    assert code == 0
    [(app, options)] = calls
    assert app == "procurement.web.app:app_from_environment"
    assert (options["factory"], options["workers"], options["port"]) == (True, 3, 8000)
    assert os.environ["PROCUREMENT_DATABASE_URL"] == settings.database_url
    assert load_settings(dict(os.environ)).database_url == settings.database_url


def test_serve_on_postgresql_without_a_count_starts_one_process_per_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given PostgreSQL on a 2-core machine, and uvicorn and the migration step replaced
    calls: list[tuple[Any, dict[str, Any]]] = []

    async def prepared(_settings: object) -> tuple[None, None]:
        return None, None

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cli, "_prepare_for_serving", prepared)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("PROCUREMENT_DATABASE_URL", "unset")  # restored after the test
    settings = load_settings({"PROCUREMENT_DATABASE_URL": POSTGRES})
    # when serve is started without --workers
    code = cli.cmd_serve(settings, cli.build_parser().parse_args(["serve"]))
    # then uvicorn runs two processes of the app factory
    assert code == 0
    [(app, options)] = calls
    assert (app, options["workers"]) == ("procurement.web.app:app_from_environment", 2)
