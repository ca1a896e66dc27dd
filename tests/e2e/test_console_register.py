"""The console's home page by role, its navigation, the purchase register (filters, sorting,
paging) and the not-found page, through the ASGI app as a browser sees them."""

from __future__ import annotations

import re
from decimal import Decimal

import httpx

from procurement.enums import PurchaseCategory, Role
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from tests.support.console import (
    EN,
    ZH,
    buyer,
    huaxin,
    nav_labels,
    register_titles,
    signed_in_as,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, purchase_input


async def test_navigation_shows_only_what_the_role_may_use(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given nobody signed in: the sign-in page has no navigation
    signed_out = await client.get("/sign-in", headers=EN)
    assert nav_labels(signed_out.text) == []
    # when procurement staff sign in
    await buyer(client, db, world)
    staff = await client.get("/", headers=EN)
    assert nav_labels(staff.text) == [
        "Home", "Purchases", "Register a purchase", "Reviews", "Vendors", "Exposure",
        "Component search", "API explorer", "API reference",
    ]  # fmt: skip
    # when a vendor signs in, in Chinese
    await huaxin(client, db, world)
    vendor = await client.get("/", headers=ZH)
    assert nav_labels(vendor.text) == ["首页", "我的采购", "组件查询", "API 调试台", "API 参考"]


async def test_the_home_page_of_procurement_staff_lists_what_awaits_them(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    page = await client.get("/", headers=EN)
    assert page.status_code == 200
    # then both of operator A's purchases await an SBOM, and the core routers' case awaits triage
    sbom_part = page.text[page.text.index('id="awaiting-sbom"') :]
    assert "Purchases awaiting an SBOM <small>(2)</small>" in sbom_part
    assert register_titles(sbom_part.split("</section>")[0]) == ["Core routers", "Storage array"]
    triage = page.text[page.text.index('id="awaiting-triage"') :].split("</section>")[0]
    assert "Purchases awaiting triage" in triage
    assert "Branch switches" not in page.text  # operator B's


async def test_the_home_page_of_a_vendor_lists_its_own_purchases_and_agreements(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    page = await client.get("/", headers=ZH)
    assert "待提交 SBOM 的采购 <small>(2)</small>" in page.text
    sbom_part = page.text[page.text.index('id="awaiting-sbom"') :].split("</section>")[0]
    assert register_titles(sbom_part) == ["Core routers", "Branch switches"]
    assert "Storage array" not in page.text
    assert "没有待您签署的协议。" in page.text
    assert 'id="awaiting-triage"' not in page.text  # review cases are internal


async def test_the_register_lists_the_operators_purchases_with_money_and_dates(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    en = await client.get("/console/purchases", headers=EN)
    assert en.status_code == 200
    assert register_titles(en.text) == ["Core routers", "Storage array"]
    assert '<td class="money">CN¥1,200,000.00</td>' in en.text
    assert '<td class="money">$250,000.50</td>' in en.text
    assert "<td>Mar 1, 2025</td>" in en.text
    assert '<p id="count" class="hint">2 purchases</p>' in en.text
    zh = await client.get("/console/purchases", headers=ZH)
    assert '<td class="money">¥1,200,000.00</td>' in zh.text
    assert "<td>2025年3月1日</td>" in zh.text
    assert "<td>核心网络设备</td>" in zh.text


async def test_the_register_filters_by_status_verdict_vendor_category_and_system(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)

    async def titles(query: str) -> list[str]:
        page = await client.get(f"/console/purchases?{query}", headers=EN)
        assert page.status_code == 200, query
        return register_titles(page.text)

    assert await titles(f"vendor={world.vendor_us}") == ["Storage array"]
    assert await titles("category=CORE_NETWORK_EQUIPMENT") == ["Core routers"]
    assert await titles(f"system={world.system_a}") == ["Core routers"]
    assert await titles("status=CANCELLED") == []
    assert await titles("status=ACTIVE&q=array") == ["Storage array"]
    # the verdict filter keeps exactly the rows showing that verdict
    listed = await client.get("/console/purchases", headers=EN)
    rows = re.findall(
        r'<a href="/console/purchases/\d+">([^<]*)</a>.*?<td>([^<]*)</td>\s*</tr>',
        listed.text,
        re.S,
    )
    verdict_of = dict(rows)
    assert set(verdict_of) == {"Core routers", "Storage array"}
    codes = {"May affect national security": "YES", "Needs assessment": "NEEDS_ASSESSMENT",
             "Does not affect national security": "NO"}  # fmt: skip
    for title, shown in verdict_of.items():
        same = sorted(t for t, v in verdict_of.items() if v == shown)
        assert sorted(await titles(f"verdict={codes[shown]}")) == same, title
    # values that mean nothing are ignored, never an error page
    assert await titles("status=BOGUS&vendor=abc&category=x&page=zz&size=7&sort=nope") == [
        "Core routers", "Storage array",
    ]  # fmt: skip


async def test_the_register_sorts_and_pages(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given 26 more purchases of operator A (28 in all)
    async with db.sessions() as session:
        for n in range(26):
            await purchases.register_purchase(
                session,
                SYSTEM,
                purchase_input(
                    world.operator_a, world.vendor_cn, f"Switch {n:02d}",
                    category=PurchaseCategory.NOT_NETWORK_PRODUCT,
                    contract_value=Decimal(1000 + n),
                ),
            )  # fmt: skip
    await buyer(client, db, world)
    first = await client.get("/console/purchases?sort=title&dir=desc", headers=EN)
    assert register_titles(first.text)[:3] == ["Switch 25", "Switch 24", "Switch 23"]
    assert len(register_titles(first.text)) == 25
    assert "Page 1 of 2" in first.text
    assert 'href="/console/purchases?sort=title&amp;dir=desc&amp;page=2"' in first.text
    second = await client.get("/console/purchases?sort=title&dir=desc&page=2", headers=EN)
    assert register_titles(second.text) == ["Switch 00", "Storage array", "Core routers"]
    by_value = await client.get("/console/purchases?sort=value&size=50", headers=EN)
    assert register_titles(by_value.text)[:2] == ["Switch 00", "Switch 01"]
    assert register_titles(by_value.text)[-2:] == ["Storage array", "Core routers"]
    # the header of the sorted column says so, and its link turns the order round
    assert (
        'aria-sort="ascending"><a href="/console/purchases?sort=value&amp;size=50&amp;dir=desc"'
        in (by_value.text)
    )


async def test_a_vendor_sees_only_its_purchases_and_no_internal_filter(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    page = await client.get("/console/purchases?verdict=YES&system=1", headers=EN)
    # then the verdict and CII-system filters are neither offered nor applied
    assert register_titles(page.text) == ["Core routers", "Branch switches"]
    assert 'id="verdict"' not in page.text and 'id="system"' not in page.text
    assert "Verdict" not in page.text


async def test_an_unknown_address_is_a_not_found_page_for_people_only(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await signed_in_as(client, db, "ada", Role.ADMIN)
    page = await client.get("/console/nothing-here", headers=ZH)
    assert page.status_code == 404
    assert "<h1>未找到</h1>" in page.text
    api = await client.get("/api/nothing-here")
    assert (api.status_code, api.text) == (404, "Not Found")
