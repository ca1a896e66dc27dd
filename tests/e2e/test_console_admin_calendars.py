"""The holiday calendars page through the ASGI app: an admin loads a year's schedule pasted one
date a line (replacing it when loaded again), a bad line is named by its number next to its
field, other roles are refused, and a form without its CSRF token changes nothing.

The 2027 schedule here is test data (as in test_holiday_calendars.py), not the official notice."""

from __future__ import annotations

import re

import httpx

from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH, buyer, field_error, reviewer
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

CALENDARS = "/console/admin/holiday-calendars"
SOURCE = "Test schedule for 2027 (not the official notice)"


def year_row(page: str, year: int) -> list[str]:
    found = re.search(rf'<tr id="year-{year}">(.*?)</tr>', page, re.S)
    assert found is not None, f"{year} is not listed"
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", found.group(1))]


async def test_an_admin_loads_and_replaces_a_year(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(CALENDARS, headers=EN)
    assert page.status_code == 200
    # when the admin pastes 2027's days, one a line (blank lines and spaces are ignored)
    loaded = await console.post(
        CALENDARS,
        data={"csrf": form_csrf(page.text), "year": "2027", "source": SOURCE,
              "daysOff": "2027-01-01\r\n\r\n 2027-04-05 \r\n", "workingWeekends": "2027-02-20"},
    )  # fmt: skip
    assert loaded.status_code == 303
    assert loaded.headers["location"] == f"{CALENDARS}?loaded=2027-0"
    shown = await console.get(loaded.headers["location"], headers=EN)
    # then 2027 is official with exactly those days
    row = year_row(shown.text, 2027)
    assert row[:5] == ["2027", "Official", SOURCE, "2027-01-01, 2027-04-05", "2027-02-20"]
    assert row[5].endswith("(UTC+8) Ada Lovelace")
    assert "The schedule of 2027 was loaded; 0 open deadlines were recounted." in shown.text
    # and loading it again replaces it (in Chinese)
    again = await console.post(
        CALENDARS,
        data={"csrf": form_csrf(shown.text), "year": "2027", "source": "v2",
              "daysOff": "2027-01-01, 2027-10-01", "workingWeekends": ""},
    )  # fmt: skip
    assert again.status_code == 303
    zh = await console.get(again.headers["location"], headers=ZH)
    assert year_row(zh.text, 2027)[:5] == ["2027", "正式", "v2", "2027-01-01, 2027-10-01", ""]
    assert "已载入 2027 年的安排；重新计算了 0 个未结期限。" in zh.text


async def test_bad_lines_are_named_by_number_and_nothing_is_stored(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(CALENDARS, headers=EN)
    async with db.sessions() as session:
        before = await row_counts(session)
    refused = await console.post(
        CALENDARS,
        data={"csrf": form_csrf(page.text), "year": "2027", "source": "",
              "daysOff": "2027-01-01\n2027-13-01\n2027-01-01\n2026-12-31",
              "workingWeekends": "2027-02-22"},
        headers=EN,
    )  # fmt: skip
    assert refused.status_code == 422
    assert field_error(refused.text, "source") == "is required: name the notice"
    assert field_error(refused.text, "daysOff") == (
        "line 2: '2027-13-01' is not a date (YYYY-MM-DD); "
        "line 3: 2027-01-01 is listed twice; line 4: 2026-12-31 is not in 2027"
    )
    assert field_error(refused.text, "workingWeekends") == (
        "line 1: 2027-02-22 is a Monday: only a Saturday or Sunday can be an adjusted working day"
    )
    # the same refusals on a Chinese page, said in Chinese
    zh = await console.post(
        CALENDARS,
        data={"csrf": form_csrf(page.text), "year": "2027", "source": "",
              "daysOff": "2027-01-01\n2027-13-01\n2027-01-01\n2026-12-31",
              "workingWeekends": "2027-02-22"},
        headers=ZH,
    )  # fmt: skip
    assert field_error(zh.text, "source") == "此项必填：请写明所依据的通知。"
    assert field_error(zh.text, "daysOff") == (
        "第 2 行：“2027-13-01”不是日期（YYYY-MM-DD）。 "
        "第 3 行：2027-01-01 重复列出。 第 4 行：2026-12-31 不在 2027 年内。"
    )
    assert field_error(zh.text, "workingWeekends") == (
        "第 1 行：2027-02-22 是星期一：只有星期六或星期日才能作为调休上班日。"
    )
    assert "2027-13-01" in refused.text  # what was pasted stays in the form
    zh = await console.post(
        CALENDARS,
        data={"csrf": form_csrf(page.text), "year": "1999", "source": "x", "daysOff": "x"},
        headers=ZH,
    )
    assert zh.status_code == 422
    assert field_error(zh.text, "year") == "必须是 2000 至 2100 之间的年份，收到的是 1999。"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_other_roles_and_forged_forms_change_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    form = {"year": "2027", "source": SOURCE, "daysOff": "2027-01-01", "workingWeekends": ""}
    for sign_in in (buyer, reviewer):
        await sign_in(client, db, world)
        csrf = form_csrf((await client.get("/", headers=EN)).text)
        async with db.sessions() as session:
            before = await row_counts(session)
        denied = await client.post(CALENDARS, data={**form, "csrf": csrf}, headers=EN)
        assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.text
        async with db.sessions() as session:
            assert await row_counts(session) == before


async def test_a_calendar_form_without_its_csrf_token_is_refused(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    form = {"year": "2027", "source": SOURCE, "daysOff": "2027-01-01", "workingWeekends": ""}
    forged = await console.post(CALENDARS, data=form, headers=EN)
    assert forged.status_code == 403
    async with db.sessions() as session:
        assert await row_counts(session) == before
