"""``procurement calendar load FILE.json`` and ``calendar list``, the real console script run in
a subprocess against each backend. The 2027 schedule is test data, not the official notice."""

from __future__ import annotations

from pathlib import Path

import orjson

from procurement.reviews.holidays import PACKAGE_SOURCE
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.world import row_counts

SCHEDULE = {
    "year": 2027,
    "daysOff": ["2027-01-01", "2027-04-05"],
    "workingWeekends": ["2027-02-20"],
    "source": "Test schedule",
}


async def test_an_admin_loads_a_year_from_a_file_and_lists_the_years(
    db: DatabaseUnderTest, tmp_path: Path
) -> None:
    # given a schedule file for 2027
    path = tmp_path / "2027.json"
    path.write_bytes(orjson.dumps(SCHEDULE))
    # when it is loaded
    loaded = cli(db.url, "calendar", "load", str(path))
    # then the command says what it stored and that no open deadline changed
    assert (loaded.returncode, loaded.stderr) == (0, "")
    assert loaded.stdout == (
        "Holiday schedule 2027 loaded (Test schedule): 2 days off, 1 working weekend days; "
        "0 open review deadlines changed\n"
    )
    # and the list shows 2027 as official, next to the package's years
    listed = cli(db.url, "calendar", "list").stdout.splitlines()
    assert listed[0] == f"2004  OFFICIAL    {PACKAGE_SOURCE}"
    assert "2027  OFFICIAL    Test schedule" in listed


async def test_a_bad_file_names_each_problem_and_writes_nothing(
    db: DatabaseUnderTest, tmp_path: Path
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(SCHEDULE | {"daysOff": ["2026-12-31"], "source": ""}))
    refused = cli(db.url, "calendar", "load", str(path))
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        "error: source: is required: name the notice\n"
        "error: daysOff[0]: 2026-12-31 is not in 2027\n"
    )
    not_json = tmp_path / "not.json"
    not_json.write_text("{year: 2027")
    broken = cli(db.url, "calendar", "load", str(not_json))
    assert broken.returncode == 1 and broken.stderr.startswith(
        f"error: file: cannot read {not_json}"
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before
