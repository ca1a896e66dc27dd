"""The administration index and the exposure data pages through the ASGI app: the index lists
only what the person may use, with its navigation link; an admin records an exchange rate and
stores a penalty schedule version (errors next to their fields, a stale version refused with
409); other roles are refused and nothing changes; a form without its CSRF token is refused."""

from __future__ import annotations

import html
import re

import httpx
import orjson

from tests.support.accounts import form_csrf
from tests.support.console import (
    EN,
    ZH,
    alert_text,
    buyer,
    field_error,
    huaxin,
    nav_labels,
    reviewer,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

RATES = "/console/admin/exchange-rates"
SCHEDULES = "/console/admin/penalty-schedules"
ADMIN_PAGES = [
    "/console/admin/exchange-rates",
    "/console/admin/penalty-schedules",
    "/console/admin/holiday-calendars",
    "/console/admin/screening-rules",
    "/console/admin/restriction-lists",
    "/console/advisories/import",
]


def index_links(page: str) -> list[str]:
    found = re.search(r'<ul id="admin-pages" class="cards">(.*?)</ul>', page, re.S)
    assert found is not None
    return re.findall(r'<a href="([^"]+)">', found.group(1))


def rate_rows(page: str) -> list[list[str]]:
    body = page[page.index('<table id="rates"') : page.index("</table>", page.index('id="rates"'))]
    return [
        re.findall(r"<td>([^<]*)</td>", row)
        for row in re.findall(r'<tr id="rate-[^"]+">(.*?)</tr>', body, re.S)
    ]


async def test_the_index_lists_the_admin_pages_and_each_opens(
    console: httpx.AsyncClient, world: World
) -> None:
    # given an administrator, when they open the index in English
    page = await console.get("/console/admin", headers=EN)
    # then every settings page is listed (the accounts page too) and the nav links to it
    assert page.status_code == 200
    links = index_links(page.text)
    assert [link for link in links if link in ADMIN_PAGES] == ADMIN_PAGES
    assert nav_labels(page.text)[-3:] == ["Administration", "API explorer", "API reference"]
    for path in ADMIN_PAGES:
        assert (await console.get(path, headers=EN)).status_code == 200, path
    # and in Chinese the titles are translated
    zh = await console.get("/console/admin", headers=ZH)
    assert "<h1>管理</h1>" in zh.text and "<strong>汇率</strong>" in zh.text
    assert "管理" in nav_labels(zh.text)


async def test_other_roles_get_no_index_and_no_admin_page(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    for sign_in in (buyer, reviewer, huaxin):
        await sign_in(client, db, world)
        home = await client.get("/", headers=EN)
        assert "Administration" not in nav_labels(home.text)
        for path in ["/console/admin", *ADMIN_PAGES[:-1]]:
            refused = await client.get(path, headers=EN)
            assert refused.status_code == 403, (sign_in.__name__, path)
            assert "<h1>Not allowed</h1>" in refused.text


async def test_an_admin_records_an_exchange_rate(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(RATES, headers=EN)
    assert rate_rows(page.text) == []
    # when the admin records a rate
    posted = await console.post(
        RATES,
        data={"csrf": form_csrf(page.text), "currency": "usd", "rateToCny": "7.1884",
              "validFrom": "2025-03-03", "source": "PBOC central parity"},
    )  # fmt: skip
    # then it is listed with its exact values
    assert posted.status_code == 303
    # (with the exposure cache fill the change enqueued: tests/e2e/test_exposure_fill_job.py)
    assert re.fullmatch(rf"{RATES}\?saved=USD-2025-03-03&job=\d+", posted.headers["location"])
    shown = await console.get(posted.headers["location"], headers=ZH)
    assert rate_rows(shown.text) == [
        ["USD", "7.1884", "2025-03-03", "PBOC central parity", "Ada Lovelace"]
    ]
    assert "汇率已记录。" in shown.text


async def test_a_bad_rate_is_refused_field_by_field_and_nothing_is_stored(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(RATES, headers=EN)
    async with db.sessions() as session:
        before = await row_counts(session)
    bad = {"csrf": form_csrf(page.text), "currency": "XYZ", "rateToCny": "-1",
           "validFrom": "2025-02-30", "source": " "}  # fmt: skip
    refused = await console.post(RATES, data=bad, headers=EN)
    assert refused.status_code == 422
    assert field_error(refused.text, "currency") == "'XYZ' is not an ISO 4217 currency code"
    assert field_error(refused.text, "rateToCny") == "must be a positive number"
    assert field_error(refused.text, "validFrom") == "'2025-02-30' is not a date (YYYY-MM-DD)"
    assert field_error(refused.text, "source") == "is required"
    assert 'value="XYZ"' in refused.text  # the form keeps what was typed
    # in Chinese, the detail is said in Chinese
    zh = await console.post(RATES, data={**bad, "currency": "USD", "rateToCny": "abc"}, headers=ZH)
    assert field_error(zh.text, "rateToCny") == "“abc”不是十进制数。"
    zh = await console.post(RATES, data={**bad, "currency": "CNY", "rateToCny": "0"}, headers=ZH)
    assert field_error(zh.text, "currency") == "人民币无需汇率。"
    assert field_error(zh.text, "rateToCny") == "必须是正数。"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_refused_rate_posts_change_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    csrf = form_csrf((await client.get("/", headers=EN)).text)
    async with db.sessions() as session:
        before = await row_counts(session)
    form = {"csrf": csrf, "currency": "USD", "rateToCny": "7.2", "validFrom": "2025-03-03",
            "source": "PBOC"}  # fmt: skip
    denied = await client.post(RATES, data=form, headers=EN)
    assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.text
    denied = await client.post(SCHEDULES, data={"csrf": csrf, "document": "[]"}, headers=EN)
    assert denied.status_code == 403
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_rate_form_without_its_csrf_token_is_refused(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    form = {"currency": "USD", "rateToCny": "7.2", "validFrom": "2025-03-03", "source": "PBOC"}
    forged = await console.post(RATES, data=form, headers=EN)
    assert forged.status_code == 403
    forged = await console.post(RATES, data={**form, "csrf": "forged"}, headers=EN)
    assert forged.status_code == 403
    async with db.sessions() as session:
        assert await row_counts(session) == before


def schedule_document(page: str) -> str:
    found = re.search(r'<textarea id="document" name="document"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


async def test_an_admin_stores_a_penalty_schedule_version(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(SCHEDULES, headers=EN)
    assert "The schedules shipped with the service are in force" in page.text
    assert (
        "<tr><td>cii-2021-art41-immediate</td><td>CII Security Protection Regulations (2021)</td>"
        "<td>41</td><td>At once (fine mandatory)</td><td>2021-09-01 – </td>"
        "<td>Multiple of the purchase amount</td><td>1 – 10</td><td>10000 – 100000</td></tr>"
    ) in page.text
    document = orjson.loads(schedule_document(page.text))
    # when the admin changes a record and stores the set
    document["schedules"][0]["person_max"] = "200000"
    stored = await console.post(
        SCHEDULES,
        data={"csrf": form_csrf(page.text), "basedOn": "0", "note": "person max raised",
              "document": orjson.dumps(document).decode()},
    )  # fmt: skip
    assert stored.status_code == 303
    # then version 1 is in force, with its note, and the record shows the new figure
    shown = await console.get(SCHEDULES, headers=EN)
    assert '<p id="in-force" class="hint">Version 1 is in force.</p>' in shown.text
    assert "<td>1</td>" in shown.text and "<td>person max raised</td>" in shown.text
    assert "<td>10000 – 200000</td>" in shown.text
    zh = await console.get(SCHEDULES, headers=ZH)
    assert (
        "<td>关键信息基础设施安全保护条例（2021）</td><td>41</td><td>立即（必须并处罚款）</td>"
        in zh.text
    )
    # and an editor who opened the page before the change is told it is stale (409)
    async with db.sessions() as session:
        before = await row_counts(session)
    stale = await console.post(
        SCHEDULES,
        data={"csrf": form_csrf(page.text), "basedOn": "0",
              "document": orjson.dumps(document).decode()},
        headers=EN,
    )  # fmt: skip
    assert stale.status_code == 409
    assert alert_text(stale.text).startswith("Someone changed this after you opened the page")
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_bad_schedule_document_names_its_problems_and_stores_nothing(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    page = await console.get(SCHEDULES, headers=EN)
    async with db.sessions() as session:
        before = await row_counts(session)
    refused = await console.post(
        SCHEDULES, data={"csrf": form_csrf(page.text), "basedOn": "0", "document": "{"},
        headers=EN,
    )  # fmt: skip
    assert refused.status_code == 422
    error = field_error(refused.text, "document") or ""
    assert error != "" and "JSON" in error
    async with db.sessions() as session:
        assert await row_counts(session) == before
