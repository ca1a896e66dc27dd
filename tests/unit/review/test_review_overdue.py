"""One definition of "overdue" (procurement.reviews.deadlines), used by the GraphQL field and, as
SQL, by the pending-reviews filter."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import column
from sqlalchemy.dialects import sqlite

from procurement.reviews.deadlines import is_past_due, past_due

DUE = date(2024, 10, 16)


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [(date(2024, 10, 15), False), (DUE, False), (date(2024, 10, 17), True)],
)
def test_a_due_date_is_overdue_only_after_the_due_day(as_of: date, overdue: bool) -> None:
    assert is_past_due(DUE, as_of) is overdue


def test_no_due_date_is_never_overdue() -> None:
    # given a case whose clock does not run (or is suspended): no due date is stored
    assert is_past_due(None, date(2030, 1, 1)) is False


def test_the_sql_filter_is_the_same_comparison() -> None:
    # given a column of due dates; when the rule is applied to it
    clause = past_due(column("deadline_due"), DUE)
    # then it is "due date before the day judged on", with the day as a bound parameter
    compiled = clause.compile(dialect=sqlite.dialect())
    assert str(compiled) == "deadline_due < ?"
    assert list(compiled.params.values()) == [DUE]
