"""An administrator's settings work in a real browser, in Chinese: record an exchange rate, add
a supplier to a restriction list, follow the rescreen job to its end on its page (which reloads
itself while the job runs). The fixtures fail the test on any request to another host."""

from __future__ import annotations

from playwright.async_api import Page

from procurement.permissions import SYSTEM
from procurement.screening.actions import restrictions
from tests.browser.conftest import sign_in_through_the_page
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs
from tests.support.world import World


async def test_an_admin_records_a_rate_and_changes_a_list_in_chinese(
    served: str, page_zh: Page, db: DatabaseUnderTest, world: World, person: int
) -> None:
    async with db.sessions() as session:
        await restrictions.update_restriction_list(
            session, SYSTEM,
            restrictions.RestrictionListInput(
                name="不可靠实体清单", source="商务部", published_on="2025-01-02", entries=[]
            ),
        )  # fmt: skip
    await run_jobs(db)
    await sign_in_through_the_page(page_zh, served, "/console/admin")
    # the index is reached from the navigation too
    assert await page_zh.inner_text("h1") == "管理"
    await page_zh.click("#admin-pages >> text=汇率")
    await page_zh.wait_for_url(f"{served}/console/admin/exchange-rates")
    # when the admin records a USD rate, first with a bad figure
    await page_zh.fill("#currency", "USD")
    await page_zh.fill("#rateToCny", "0")
    await page_zh.fill("#validFrom", "2025-03-03")
    await page_zh.fill("#source", "人民银行中间价")
    await page_zh.click("#rate-form button[type=submit]")
    assert await page_zh.inner_text("#rateToCny-error") == "必须是正数。"
    await page_zh.fill("#rateToCny", "7.1884")
    await page_zh.click("#rate-form button[type=submit]")
    await page_zh.wait_for_selector("#saved")
    cells = await page_zh.locator("#rates tbody tr td").all_inner_texts()
    assert cells == ["USD", "7.1884", "2025-03-03", "人民银行中间价", "Ada Lovelace"]
    # when the admin adds Northwind Storage to the list
    await page_zh.goto(f"{served}/console/admin/restriction-lists")
    await page_zh.select_option("#listId", label="不可靠实体清单")
    await page_zh.fill("#entry-supplierName", "Northwind Storage")
    await page_zh.fill("#entry-reason", "出口管制")
    await page_zh.fill("#entry-listedOn", "2025-03-01")
    await page_zh.click("#entry-form button[type=submit]")
    await page_zh.wait_for_selector("#job-link")
    assert "<td>Northwind Storage</td>" in await page_zh.inner_html("section.panel")
    # then the rescreen job is shown; its page follows it to the end
    await page_zh.click("#job-link")
    await page_zh.wait_for_url(f"{served}/console/jobs/*")
    await run_jobs(db)  # PostgreSQL has no worker in the app; on SQLite the app's ran it
    await page_zh.wait_for_selector("#job-state:text('已完成')", timeout=15_000)
    assert await page_zh.inner_text("#job-kind") == "重新筛查所有有效采购"
    assert await page_zh.inner_text("#job-progress") == "3 / 3"
    outcome = await page_zh.locator("#job-outcome tr").all_inner_texts()
    assert outcome[0].split() == ["已筛查的采购", "3"]
