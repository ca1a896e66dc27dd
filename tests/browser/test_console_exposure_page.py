"""The exposure page in a real browser, in Chinese: the charts are drawn by the server (inline
SVG, nothing fetched from another host), the what-if switch is a plain form, and the CSV link
downloads a file that Excel opens in Chinese."""

from __future__ import annotations

import csv
import io

from playwright.async_api import Page

from procurement.permissions import SYSTEM
from procurement.screening.actions.rates import set_exchange_rate
from tests.browser.conftest import sign_in_through_the_page
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def test_exposure_charts_what_if_and_csv_in_chinese(
    served: str, page_zh: Page, db: DatabaseUnderTest, world: World, person: int
) -> None:
    # given every purchase priced, and an administrator signed in
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "7.1", "2025-01-01", "PBOC")
    await sign_in_through_the_page(page_zh, served, "/console/exposure")
    # when the day is set and the page shown
    await page_zh.fill("#as_of", "2025-06-01")
    await page_zh.click("#exposure-filters button[type=submit]")
    await page_zh.wait_for_url("**/console/exposure?as_of=2025-06-01*")
    # then each chart has a bar per group, and the table beside it the same figures
    assert await page_zh.locator("#chart-vendor g.bar").count() == 2
    assert await page_zh.locator("#chart-vendor g.bar title").all_text_contents() == [
        "Northwind Storage：现可处罚款 ¥1,795,003.55 至 ¥17,950,035.50，最坏情况 ¥19,050,035.50；"
        "采购项目数：1",
        "Huaxin Networks：现可处罚款 ¥0.00 至 ¥0.00，最坏情况 ¥2,200,000.00；采购项目数：2",
    ]
    assert await page_zh.inner_text("#exposure-total") == (
        "截至 2025年6月1日 共 3 个采购项目：现可处罚款 ¥1,795,003.55 至 ¥17,950,035.50，"
        "最坏情况 ¥21,250,035.50。"
    )
    # when the what-if switch is flipped
    await page_zh.check('input[name="what_if"][value="1"]')
    await page_zh.click("#exposure-filters button[type=submit]")
    await page_zh.wait_for_url("**/console/exposure?as_of=2025-06-01&what_if=1")
    # then nothing would be exposed
    assert (await page_zh.inner_text("#exposure-total")).endswith(
        "现可处罚款 ¥0.00 至 ¥0.00，最坏情况 ¥0.00。 假设情形：审查已通过、协议已签订。"
    )
    # when the CSV is downloaded
    async with page_zh.expect_download() as started:
        await page_zh.click("#exposure-csv")
    download = await started.value
    path = await download.path()
    content = path.read_bytes()
    # then it is the page's figures (no article applies in the what-if), in Chinese, BOM, CRLF
    assert download.suggested_filename == "exposure-2025-06-01-what-if.csv"
    assert content[:3] == b"\xef\xbb\xbf" and content.count(b"\r\n") == 5
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "分组方式",
        "分组",
        "采购",
        "现可处罚款下限",
        "现可处罚款上限",
        "最坏情况",
        "币种",
    ]
    assert rows[1] == ["按供应商", "Huaxin Networks", "2", "0.00", "0.00", "0.00", "CNY"]
