"""`procurement exposure report`: the legal team's reconcilable report, from the demo data."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from tests.support.cli import cli


def test_exposure_report_reconciles_with_its_items(demo_database: Path) -> None:
    # given the demo data set
    database = demo_database
    # when the bank's legal team asks for the report as JSON and as CSV
    as_json = cli(database, "exposure", "report", "--operator", "2", "--as-of", "2026-11-21",
                  "--format", "json")  # fmt: skip
    as_csv = cli(database, "exposure", "report", "--operator", "2", "--as-of", "2026-11-21")
    assert (as_json.returncode, as_csv.returncode) == (0, 0), as_json.stderr
    report = json.loads(as_json.stdout)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    # then the bank's six purchases are listed and the total is the sum of the purchase totals
    assert len(report["purchases"]) == 6
    for bound in ("min", "max"):
        assert Decimal(report["total"][bound]) == sum(
            Decimal(p["total"][bound]) for p in report["purchases"]
        )
    # and each purchase's total is the sum of its counted immediate items, entity and persons
    for purchase in report["purchases"]:
        counted = [i for i in purchase["items"] if i["counted"] and i["condition"] in
                   ("IMMEDIATE", "OPTIONAL_AT_ONCE")]  # fmt: skip
        expected_max = sum(Decimal(i["entity_max"]) + Decimal(i["persons_max"]) for i in counted)
        assert Decimal(purchase["total"]["max"]) == expected_max, purchase["title"]
    # and the CSV has one row per item of the JSON
    assert len(rows) == sum(len(p["items"]) for p in report["purchases"])
    assert {r["purchase_id"] for r in rows} == {p["purchase_id"] for p in report["purchases"]}


def test_bad_date_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    result = cli(tmp_path / "x.db", "exposure", "report", "--as-of", "2026-13-01")
    assert result.returncode == 2
    assert "argument --as-of: '2026-13-01' is not a date (YYYY-MM-DD)" in result.stderr


def test_an_unknown_operator_is_an_error_not_an_empty_report(demo_database: Path) -> None:
    # when the report is asked for an operator that does not exist
    result = cli(demo_database, "exposure", "report", "--operator", "99")
    # then it says so and prints no report (it printed a bare header and exited 0)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: --operator: operator 99 not found\n"


def test_the_default_database_is_not_created_by_a_command_run_elsewhere(tmp_path: Path) -> None:
    # given a folder with no database and no PROCUREMENT_DATABASE_URL
    env = {k: v for k, v in os.environ.items() if k != "PROCUREMENT_DATABASE_URL"}
    # when a command that reads the database is run there
    result = subprocess.run(
        [sys.executable, "-m", "procurement", "token", "list"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    # then it names the file it looked for, and creates nothing
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"error: no database here: {tmp_path.resolve() / 'procurement.db'} does not exist."
    )
    assert list(tmp_path.iterdir()) == []
