"""The audit log in the console: filtered by actor, object and China-time dates, newest first,
paged, with a CSV export; only admins and auditors (their operator's events) see it."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from procurement import audit
from procurement.enums import Role
from tests.support.console import EN, ZH, buyer, field_error, huaxin, nav_labels, signed_in_as
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts


def event(world: World, when: datetime, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "actor_token_id": None, "actor_name": "Wang Fang", "actor_role": "procurement",
        "operator_id": world.operator_a, "action": "probe.changed", "object_type": "Probe",
        "object_id": 7, "before": None, "after": None, "occurred_at": when,
    }  # fmt: skip
    return row | values


@pytest.fixture
async def probes(db: DatabaseUnderTest, world: World) -> None:
    """Four events of the object type "Probe", around midnight of 2025-06-01 in China, written
    in the order they occurred (the log is newest first in the order of writing)."""
    rows = [
        # 2025-05-31 23:59 in China: the day before
        event(world, datetime(2025, 5, 31, 15, 59, tzinfo=UTC), object_id=6),
        # 2025-06-01 00:30 in China
        event(world, datetime(2025, 5, 31, 16, 30, tzinfo=UTC), after={"note": "=1+2"}),
        # operator B's
        event(world, datetime(2025, 6, 1, 1, 0, tzinfo=UTC), operator_id=world.operator_b),
        # 2025-06-01 23:59 in China, by someone else
        event(world, datetime(2025, 6, 1, 15, 59, tzinfo=UTC), actor_name="Li Na",
              before={"title": "Core routers"}, after={"title": "核心路由器"}),
    ]  # fmt: skip
    async with db.sessions() as session:
        await audit.insert_rows(session, rows)
        await session.commit()


def rows(page: str) -> list[list[str]]:
    body = page[page.index('<table id="events"') :].split("<tbody>")[1].split("</tbody>")[0]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
         for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def without_changes(table: list[list[str]]) -> list[list[str]]:
    return [r[1:5] for r in table]


async def auditor(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    await signed_in_as(client, db, "auditor", Role.AUDITOR, operator_id=world.operator_a)


async def test_an_auditor_filters_by_object_and_china_dates_newest_first(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, probes: None
) -> None:
    # given an auditor of operator A
    await auditor(client, db, world)
    # when they ask for the Probe events of 2025-06-01 (China time)
    page = await client.get(
        "/console/audit?object_type=Probe&from=2025-06-01&to=2025-06-01", headers=EN
    )
    # then the two events of that day in China, of operator A only, newest first
    assert page.status_code == 200
    assert '<p id="count" class="hint">2 events, newest first</p>' in page.text
    assert without_changes(rows(page.text)) == [
        ["2025-06-01 23:59 (UTC+8)", "Li Na (Procurement staff)", "probe.changed", "Probe 7"],
        ["2025-06-01 00:30 (UTC+8)", "Wang Fang (Procurement staff)", "probe.changed", "Probe 7"],
    ]
    assert "Audit log" in nav_labels(page.text)
    # when filtered by actor (any case) and object number
    by_actor = await client.get("/console/audit?object_type=Probe&actor=wang", headers=ZH)
    assert without_changes(rows(by_actor.text)) == [
        ["2025-06-01 00:30 (UTC+8)", "Wang Fang (采购人员)", "probe.changed", "Probe 7"],
        ["2025-05-31 23:59 (UTC+8)", "Wang Fang (采购人员)", "probe.changed", "Probe 6"],
    ]
    by_object = await client.get("/console/audit?object_type=Probe&object_id=6", headers=ZH)
    assert '<p id="count" class="hint">共 1 条事件，最新的在前</p>' in by_object.text


async def test_the_csv_has_the_same_events_and_opens_in_excel(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, probes: None
) -> None:
    await auditor(client, db, world)
    # when
    answer = await client.get("/console/audit.csv?object_type=Probe&from=2025-06-01", headers=ZH)
    # then a BOM, CRLF rows, a Chinese header, China times, a formula defused
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="audit-log.csv"'
    assert answer.content[:3] == b"\xef\xbb\xbf"
    assert answer.content.count(b"\r\n") == 3 and answer.content.count(b"\n") == 3
    table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))
    assert [r[1:] for r in table] == [
        ["时间（北京时间）", "操作人", "角色", "操作", "对象类型", "对象", "运营者", "变更前", "变更后"],
        ["2025-06-01T23:59:00+08:00", "Li Na", "procurement", "probe.changed", "Probe", "7",
         str(world.operator_a), '{"title":"Core routers"}', '{"title":"核心路由器"}'],
        ["2025-06-01T00:30:00+08:00", "Wang Fang", "procurement", "probe.changed", "Probe", "7",
         str(world.operator_a), "", '{"note":"=1+2"}'],
    ]  # fmt: skip
    assert table[0][0] == "事件" and int(table[1][0]) > int(table[2][0])
    # and in English the header is English
    english = await client.get("/console/audit.csv?object_type=Probe&actor=wang", headers=EN)
    assert english.text.splitlines()[0] == (
        "\ufeffEvent,Time (China),Actor,Role,Action,Object type,Object,Operator,Before,After"
    )


async def test_a_formula_in_a_cell_is_defused(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given an event whose actor's name is a formula
    async with db.sessions() as session:
        await audit.insert_rows(
            session,
            [event(world, datetime(2025, 6, 1, tzinfo=UTC), actor_name="=HYPERLINK(1)",
                   object_type="Formula")],
        )  # fmt: skip
        await session.commit()
    await auditor(client, db, world)
    answer = await client.get("/console/audit.csv?object_type=Formula", headers=EN)
    table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))
    assert [r[2] for r in table] == ["Actor", "'=HYPERLINK(1)"]


async def test_only_admins_and_auditors_see_the_audit_log(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, probes: None
) -> None:
    for sign_in in (buyer, huaxin):
        # given someone who may not read the audit log
        await sign_in(client, db, world)
        async with db.sessions() as session:
            before = await row_counts(session)
        # when they open the page or the CSV
        page = await client.get("/console/audit", headers=EN)
        exported = await client.get("/console/audit.csv", headers=EN)
        home = await client.get("/", headers=EN)
        # then both are refused, no event shows, there is no link, and nothing changed
        assert (page.status_code, "<h1>Not allowed</h1>" in page.text) == (403, True)
        assert exported.status_code == 403 and "Wang Fang" not in exported.text
        assert "Audit log" not in nav_labels(home.text)
        async with db.sessions() as session:
            assert await row_counts(session) == before


async def test_an_admin_sees_every_operators_events_paged(
    console: httpx.AsyncClient, world: World, probes: None
) -> None:
    page = await console.get("/console/audit?object_type=Probe", headers=EN)
    assert '<p id="count" class="hint">4 events, newest first</p>' in page.text
    assert [r[1] for r in rows(page.text)] == [
        "2025-06-01 23:59 (UTC+8)", "2025-06-01 09:00 (UTC+8)", "2025-06-01 00:30 (UTC+8)",
        "2025-05-31 23:59 (UTC+8)",
    ]  # fmt: skip
    everything = await console.get("/console/audit?page=2", headers=EN)
    assert "Page 2 of" in everything.text and everything.status_code == 200


async def test_filters_that_are_not_valid_are_said_next_to_their_fields(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await auditor(client, db, world)
    page = await client.get(
        "/console/audit?object_id=abc&from=2025-06-02&to=2025-06-01", headers=EN
    )
    bad_day = await client.get("/console/audit?from=31.5.2025", headers=ZH)
    bad_csv = await client.get("/console/audit.csv?object_id=-1", headers=EN)
    assert page.status_code == 400
    assert field_error(page.text, "object_id") == "Give the object's number, for example 12."
    assert field_error(page.text, "to") == "The last day comes before the first."
    assert field_error(bad_day.text, "from") == "请按 YYYY-MM-DD 填写日期，例如 2025-06-01。"
    assert (bad_csv.status_code, bad_csv.text) == (
        400, "object_id: Give the object's number, for example 12."
    )  # fmt: skip


async def test_a_chinese_page_names_actions_object_types_roles_and_the_service_itself(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a purchase registered by the local command line (the world's setup) and an auditor
    await auditor(client, db, world)
    # when the auditor reads that purchase's events in Chinese
    page = await client.get(
        "/console/audit",
        params={"object_type": "Purchase", "object_id": str(world.purchase_a_cn)},
        headers=ZH,
    )
    # then the registration is named in Chinese, with the stored action beside it
    assert page.status_code == 200
    registered = [r[1:] for r in without_changes(rows(page.text)) if "purchase.registered" in r[2]]
    assert registered == [
        ["本机命令行 (管理员)", "登记采购purchase.registered", f"采购 {world.purchase_a_cn}"]
    ]


async def test_an_actor_text_too_long_to_search_is_said_in_the_pages_language(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given an actor text of 200 characters that is 400 once lower-cased ("İ" -> "i̇")
    await auditor(client, db, world)
    actor = "İ" * 200
    # when the auditor filters by it on a Chinese and on an English page
    zh = await client.get("/console/audit", params={"actor": actor}, headers=ZH)
    en = await client.get("/console/audit", params={"actor": actor}, headers=EN)
    # then the search is refused next to its field, in each page's language
    assert (zh.status_code, field_error(zh.text, "actor")) == (400, "超过 200 个字符。")
    assert (en.status_code, field_error(en.text, "actor")) == (400, "is longer than 200 characters")
