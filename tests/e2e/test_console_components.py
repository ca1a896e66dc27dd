"""Component search in the console ("which purchases contain log4j-core in vers:maven/<2.17.1"):
the where-used read behind GraphQL's componentUsages, scoped to what the person may see."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import httpx

from tests.support.console import EN, ZH, buyer, field_error, huaxin, nav_labels, northwind
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import firmware_sbom, maven
from tests.support.world import World

LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core"
OLD = maven("org.apache.logging.log4j", "log4j-core", "2.14.1")
FIXED = maven("org.apache.logging.log4j", "log4j-core", "2.17.1")
COMMONS = maven("org.apache.commons", "commons-text", "1.10.0")


async def upload(client: httpx.AsyncClient, world: World, purchase_id: int, body: bytes) -> None:
    answer = await client.put(
        f"/api/purchases/{purchase_id}/sbom",
        content=body,
        headers={"authorization": f"Bearer {world.secrets['admin']}"},
    )
    assert answer.status_code == 201, answer.text


async def three_sboms(client: httpx.AsyncClient, world: World) -> None:
    """A-CN: log4j 2.14.1 then 2.17.1 (version 2); A-US: 2.14.1; B-CN: 2.14.1."""
    await upload(client, world, world.purchase_a_cn, firmware_sbom([OLD, COMMONS]))
    await upload(
        client, world, world.purchase_a_cn, firmware_sbom([FIXED, COMMONS], product_version="1.1")
    )
    await upload(client, world, world.purchase_a_us, firmware_sbom([OLD]))
    await upload(client, world, world.purchase_b_cn, firmware_sbom([OLD]))


def search(purl: str, version_range: str = "", **more: str) -> str:
    return "/console/components?" + urlencode({"purl": purl, "range": version_range, **more})


def rows(page: str) -> list[list[str]]:
    body = page[page.index('<table id="usages"') :].split("<tbody>")[1].split("</tbody>")[0]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(
            r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def count(page: str) -> str:
    found = re.search(r'<p id="count" class="hint">([^<]*)</p>', page)
    assert found is not None
    return found.group(1)


async def test_which_purchases_contain_log4j_core_below_2_17_1(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given SBOMs of three purchases, and procurement staff of operator A
    await three_sboms(client, world)
    await buyer(client, db, world)
    # when they search for log4j-core in vers:maven/<2.17.1
    page = await client.get(search(LOG4J, "vers:maven/<2.17.1"), headers=EN)
    # then only A-US qualifies (A-CN's current SBOM has 2.17.1; B-CN is another operator's)
    assert page.status_code == 200
    assert count(page.text) == "1 components in 1 purchases"
    assert rows(page.text) == [
        ["Storage array", "Northwind Storage", "cn.huaxin/router-firmware, version 1", "2.14.1",
         "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"],
    ]  # fmt: skip
    # when superseded versions are searched too, A-CN's first version joins, marked
    page = await client.get(search(LOG4J, "vers:maven/<2.17.1", superseded="on"), headers=ZH)
    assert count(page.text) == "2 个采购项目中共 2 个组件"
    assert [r[:4] for r in rows(page.text)] == [
        ["Core routers", "Huaxin Networks", "cn.huaxin/router-firmware，第 1 版 已取代", "2.14.1"],
        ["Storage array", "Northwind Storage", "cn.huaxin/router-firmware，第 1 版", "2.14.1"],
    ]
    assert "Component search" in nav_labels(page.text) or "组件查询" in nav_labels(page.text)


async def test_results_are_paged(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, console: httpx.AsyncClient
) -> None:
    # given an admin, who sees all three purchases' current log4j
    await three_sboms(client, world)
    # when the page size is the smallest and the second page is asked for
    first = await client.get(search(LOG4J, size="25"), headers=EN)
    assert count(first.text) == "3 components in 3 purchases"
    assert [r[0] for r in rows(first.text)] == ["Core routers", "Storage array", "Branch switches"]
    assert "Page 1 of 1" in first.text
    past = await client.get(search(LOG4J, page="2"), headers=EN)
    # then the counts still cover every page, and the window is empty
    assert count(past.text) == "3 components in 3 purchases"
    assert rows(past.text) == [["No purchase contains this component."]]


async def test_a_vendor_finds_only_its_own_purchases(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await three_sboms(client, world)
    # when Northwind (A-US only) and Huaxin (A-CN, B-CN) search for every log4j-core
    await northwind(client, db, world)
    mine = await client.get(search(LOG4J), headers=EN)
    await huaxin(client, db, world)
    theirs = await client.get(search(LOG4J), headers=EN)
    # then each sees its own purchases only
    assert [r[0] for r in rows(mine.text)] == ["Storage array"]
    assert [r[0] for r in rows(theirs.text)] == ["Core routers", "Branch switches"]
    assert "Storage array" not in theirs.text


async def test_a_bad_package_url_or_range_is_said_next_to_its_field(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    # when
    bad_purl = await client.get(search("log4j-core"), headers=EN)
    bad_range = await client.get(search(LOG4J, "maven/<2.17.1"), headers=EN)
    other_scheme = await client.get(search(LOG4J, "vers:npm/<1.0"), headers=ZH)
    # then each is a 400 with the message under the field, never a 500
    assert bad_purl.status_code == 400
    assert field_error(bad_purl.text, "purl") == (
        "'log4j-core' is not a package URL: purl is missing the required \"pkg\" scheme "
        "component: 'log4j-core'."
    )
    assert bad_range.status_code == 400 and field_error(bad_range.text, "purl") is None
    assert field_error(bad_range.text, "range") == (
        "'maven/<2.17.1' is not a vers range: 'maven/<2.17.1' must start with the 'vers:' URI "
        "scheme."
    )
    assert field_error(other_scheme.text, "range") == (
        "版本范围适用于“npm”，而软件包类型是“maven”。"
    )
    # and the form keeps what was typed
    assert 'value="maven/&lt;2.17.1"' in bad_range.text


async def test_an_empty_form_searches_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    page = await client.get("/console/components", headers=EN)
    assert page.status_code == 200 and '<table id="usages"' not in page.text
    assert '<input id="purl" name="purl" type="text" value="" required' in page.text
