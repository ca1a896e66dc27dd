"""The console's exposure page: bar charts drawn on the server with a table of the same figures
beside each, the what-if switch and the CSV export for Excel; vendors are refused."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal

import httpx
import pytest

from procurement.enums import Ownership
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases, vendors
from procurement.screening.actions.rates import set_exchange_rate
from tests.support.console import EN, ZH, buyer, field_error, huaxin, nav_labels, section
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, purchase_input, row_counts

PAGE = "/console/exposure?as_of=2025-06-01"
CSV = "/console/exposure.csv?as_of=2025-06-01"


@pytest.fixture
async def usd(db: DatabaseUnderTest, world: World) -> None:
    """The USD rate in force on the contract date, so every purchase of the world is priced."""
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "7.1", "2025-01-01", "PBOC")


def bar_titles(page: str, anchor: str) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'<g class="bar"><title>([^<]*)</title>', section(page, anchor))
    ]


def table_rows(page: str, anchor: str) -> list[list[str]]:
    body = section(page, anchor).split("<tbody>")[1]
    return [
        [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


async def test_an_admin_sees_a_bar_per_vendor_with_its_figures_in_english(
    console: httpx.AsyncClient, world: World, usd: None
) -> None:
    # when
    page = await console.get(PAGE, headers=EN)
    # then one bar per vendor, largest worst case first, each titled with its figures
    assert page.status_code == 200
    assert bar_titles(page.text, "vendor") == [
        "Northwind Storage: CN¥1,795,003.55 to CN¥17,950,035.50 now, CN¥19,050,035.50 at worst;"
        " purchases: 1",
        "Huaxin Networks: CN¥0.00 to CN¥0.00 now, CN¥2,200,000.00 at worst; purchases: 2",
    ]
    # and the table beside the chart has the same figures
    assert table_rows(page.text, "vendor") == [
        ["Northwind Storage", "1", "CN¥1,795,003.55 – CN¥17,950,035.50", "CN¥19,050,035.50"],
        ["Huaxin Networks", "2", "CN¥0.00 – CN¥0.00", "CN¥2,200,000.00"],
    ]
    assert table_rows(page.text, "category") == [
        ["Mass storage device", "1", "CN¥1,795,003.55 – CN¥17,950,035.50", "CN¥19,050,035.50"],
        ["Core network equipment", "2", "CN¥0.00 – CN¥0.00", "CN¥2,200,000.00"],
    ]
    assert table_rows(page.text, "article") == [
        ["Art. 41, CII Regulations (2021)", "1", "CN¥1,795,003.55 – CN¥17,950,035.50",
         "CN¥17,950,035.50"],
        ["Art. 39(9), CII Regulations (2021)", "3", "CN¥0.00 – CN¥0.00", "CN¥3,300,000.00"],
    ]  # fmt: skip
    total = re.search(r'<p id="exposure-total">([^<]*)</p>', page.text)
    assert total is not None and total.group(1) == (
        "3 purchases as of Jun 1, 2025: CN¥1,795,003.55 to CN¥17,950,035.50 now, "
        "CN¥21,250,035.50 at worst."
    )
    assert "Exposure" in nav_labels(page.text)
    purchase = await console.get(f"/console/purchases/{world.purchase_a_us}", headers=EN)
    assert (
        '<a href="/console/exposure">Exposure of all purchases, by vendor, category and article</a>'
    ) in purchase.text


async def test_the_chart_in_chinese_and_the_what_if_switch(
    console: httpx.AsyncClient, world: World, usd: None
) -> None:
    # when the page is read in Chinese
    page = await console.get(PAGE, headers=ZH)
    # then the bars' titles and the article names are Chinese, money in yuan with separators
    assert bar_titles(page.text, "article") == [
        "第41条，《关键信息基础设施安全保护条例》（2021）：现可处罚款 ¥1,795,003.55 至"
        " ¥17,950,035.50，最坏情况 ¥17,950,035.50；采购项目数：1",
        "第39(9)条，《关键信息基础设施安全保护条例》（2021）：现可处罚款 ¥0.00 至 ¥0.00，"
        "最坏情况 ¥3,300,000.00；采购项目数：3",
    ]
    assert '<input type="radio" name="what_if" value="" checked>' in page.text
    # when the what-if switch is flipped (as if reviews passed and agreements were signed)
    what_if = await console.get(PAGE + "&what_if=1", headers=ZH)
    # then nothing is exposed any more, and the switch shows it
    assert '<input type="radio" name="what_if" value="1" checked>' in what_if.text
    assert "<strong>假设情形：审查已通过、协议已签订。</strong>" in what_if.text
    assert table_rows(what_if.text, "vendor") == [
        ["Huaxin Networks", "2", "¥0.00 – ¥0.00", "¥0.00"],
        ["Northwind Storage", "1", "¥0.00 – ¥0.00", "¥0.00"],
    ]
    assert 'href="/console/exposure.csv?as_of=2025-06-01&amp;what_if=1"' in what_if.text


async def test_the_csv_opens_in_excel_in_chinese(
    console: httpx.AsyncClient, world: World, usd: None
) -> None:
    # when
    answer = await console.get(CSV, headers=ZH)
    # then UTF-8 with a BOM, CRLF rows, a Chinese header, plain decimal money with its currency
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="exposure-2025-06-01.csv"'
    )
    assert answer.content[:3] == b"\xef\xbb\xbf"
    assert answer.content.count(b"\r\n") == 7 and answer.content.count(b"\n") == 7
    assert csv_rows(answer.content) == [
        ["分组方式", "分组", "采购", "现可处罚款下限", "现可处罚款上限", "最坏情况", "币种"],
        ["按供应商", "Northwind Storage", "1", "1795003.55", "17950035.50", "19050035.50", "CNY"],
        ["按供应商", "Huaxin Networks", "2", "0.00", "0.00", "2200000.00", "CNY"],
        ["按产品类别", "大容量存储设备", "1", "1795003.55", "17950035.50", "19050035.50", "CNY"],
        ["按产品类别", "核心网络设备", "2", "0.00", "0.00", "2200000.00", "CNY"],
        ["按条款", "第41条，《关键信息基础设施安全保护条例》（2021）", "1", "1795003.55",
         "17950035.50", "17950035.50", "CNY"],
        ["按条款", "第39(9)条，《关键信息基础设施安全保护条例》（2021）", "3", "0.00", "0.00",
         "3300000.00", "CNY"],
    ]  # fmt: skip
    # and in English the header is English, the what-if named in the file
    english = await console.get(CSV + "&what_if=1", headers=EN)
    assert csv_rows(english.content)[:2] == [
        ["Grouped by", "Group", "Purchases", "Fines now, minimum", "Fines now, maximum",
         "Worst case", "Currency"],
        ["By vendor", "Huaxin Networks", "2", "0.00", "0.00", "0.00", "CNY"],
    ]  # fmt: skip
    assert english.headers["content-disposition"].endswith('exposure-2025-06-01-what-if.csv"')


async def test_a_hostile_vendor_name_is_escaped_in_the_chart_and_defused_in_the_csv(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World, usd: None
) -> None:
    # given a vendor whose name starts like a spreadsheet formula and holds markup
    name = '=HYPERLINK("x") <b>&'
    async with db.sessions() as session:
        vendor = await vendors.register_vendor(
            session,
            SYSTEM,
            vendors.VendorInput(name=name, country="CN", ownership=Ownership.PRIVATE),
        )
        await purchases.register_purchase(
            session, SYSTEM,
            purchase_input(world.operator_a, vendor.id, "Firewalls", contract_value=Decimal("1000")),
        )  # fmt: skip
    # when
    page = await console.get(PAGE, headers=EN)
    answer = await console.get(CSV, headers=EN)
    # then the chart draws the name as text, and its title says it whole
    vendor_chart = section(page.text, "vendor")
    assert "<b>" not in vendor_chart
    assert "=HYPERLINK(&quot;x&quot;) &lt;b&gt;&amp;</text>" in vendor_chart
    assert any(
        t.startswith(name + ": CN¥0.00 to CN¥0.00 now") for t in bar_titles(page.text, "vendor")
    )
    # and the spreadsheet cell starts with an apostrophe, so Excel shows it as text
    vendor_cells = [row[1] for row in csv_rows(answer.content) if row[0] == "By vendor"]
    assert "'" + name in vendor_cells and name not in vendor_cells


async def test_procurement_staff_see_their_operator_only_and_vendors_are_refused(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, usd: None
) -> None:
    # given procurement staff of operator A
    await buyer(client, db, world)
    page = await client.get(PAGE, headers=EN)
    # then only operator A's purchases are counted (A-US and A-CN, not B-CN)
    assert table_rows(page.text, "vendor") == [
        ["Northwind Storage", "1", "CN¥1,795,003.55 – CN¥17,950,035.50", "CN¥19,050,035.50"],
        ["Huaxin Networks", "1", "CN¥0.00 – CN¥0.00", "CN¥1,100,000.00"],
    ]
    # given a vendor
    await huaxin(client, db, world)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when it asks for the page, the CSV, or looks at its navigation
    refused = await client.get(PAGE, headers=EN)
    refused_csv = await client.get(CSV, headers=EN)
    home = await client.get("/", headers=EN)
    # then it is refused, learns no figure, and has no link; nothing changed
    assert (refused.status_code, "<h1>Not allowed</h1>" in refused.text) == (403, True)
    assert refused_csv.status_code == 403 and "19,050,035.50" not in refused_csv.text
    assert "Exposure" not in nav_labels(home.text)
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_date_that_is_not_one_is_said_next_to_its_field(
    console: httpx.AsyncClient, world: World
) -> None:
    # when
    en = await console.get("/console/exposure?as_of=2025-13-01", headers=EN)
    zh = await console.get("/console/exposure?as_of=tomorrow", headers=ZH)
    bad_csv = await console.get("/console/exposure.csv?as_of=1.6.2025", headers=EN)
    # then
    assert en.status_code == 400
    assert field_error(en.text, "as_of") == "Give a date as YYYY-MM-DD, for example 2025-06-01."
    assert field_error(zh.text, "as_of") == "请按 YYYY-MM-DD 填写日期，例如 2025-06-01。"
    assert 'id="vendor"' not in en.text
    assert (bad_csv.status_code, bad_csv.text) == (
        400, "Give a date as YYYY-MM-DD, for example 2025-06-01."
    )  # fmt: skip


async def test_a_purchase_without_a_rate_is_listed_apart_with_its_reason(
    console: httpx.AsyncClient, world: World
) -> None:
    # given no USD rate: the US purchase cannot be priced
    page = await console.get(PAGE, headers=EN)
    # then it is listed with the reason, and the totals cover the two others
    unpriced = section(page.text, "unpriced")
    assert (
        f'<a href="/console/purchases/{world.purchase_a_us}">Purchase {world.purchase_a_us}</a>'
        in unpriced
    )
    assert "USD" in unpriced
    assert "2 purchases as of Jun 1, 2025" in page.text
