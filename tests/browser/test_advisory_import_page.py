"""Uploading an OSV dump from the console in a real browser: the upload answers with the job that
imports it, which the page follows to its report."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from tests.browser.conftest import sign_in_through_the_page
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs
from tests.support.osv_dumps import dump_of, record
from tests.support.world import World


async def test_an_admin_uploads_a_dump_and_reads_the_report_in_chinese(
    served: str, page_zh: Page, world: World, tmp_path: Path, person: int, db: DatabaseUnderTest
) -> None:
    # given the upload page and a dump of two records
    dump = dump_of(tmp_path / "npm-all.zip", record("GHSA-35jh-r3h4-6jhm"), record("GO-2021-0113"))
    await sign_in_through_the_page(page_zh, served, "/console/advisories/import")
    assert await page_zh.inner_text("h1") == "导入 OSV 漏洞公告"
    # when the admin pastes the token, chooses the file and uploads it
    await page_zh.fill("#token", world.secrets["admin"])
    await page_zh.set_input_files("#dump", str(dump))
    await page_zh.click("#osv-import button[type=submit]")
    # then the page links the job that imports it
    await page_zh.wait_for_selector("#job-link:not([hidden])")
    link = await page_zh.get_attribute("#job-link", "href")
    assert link is not None and link.startswith("/console/jobs/")
    assert await page_zh.inner_text("#job-link") == "任务 " + link.rsplit("/", 1)[1]
    # and once a worker has run it (the test's, as a worker process would on PostgreSQL),
    # the bar is full and the report is shown in Chinese
    await run_jobs(db)
    await page_zh.wait_for_selector("#result:not(:empty)")
    assert await page_zh.inner_text("#status") == "导入完成。"
    assert await page_zh.eval_on_selector("#progress", "p => p.value") == 100
    report = (await page_zh.inner_text("#result")).splitlines()
    assert report[:4] == ["读取的记录: 2", "新增: 2", "更新: 0", "跳过（未变化）: 0"]


async def test_a_wrong_token_is_refused_with_the_reason(
    served: str, page_en: Page, world: World, tmp_path: Path, person: int
) -> None:
    dump = dump_of(tmp_path / "all.zip", record("GO-2021-0113"))
    await sign_in_through_the_page(page_en, served, "/console/advisories/import")
    await page_en.fill("#token", world.secrets["auditor"])
    await page_en.set_input_files("#dump", str(dump))
    await page_en.click("#osv-import button[type=submit]")
    await page_en.wait_for_selector("#result:not(:empty)")
    assert await page_en.inner_text("#status") == "Refused: HTTP 403"
    assert (
        await page_en.inner_text("#result")
        == "role 'auditor' may not change screening rules, advisories or restriction lists"
    )
