"""An administrator walks through the pages other tests do not photograph, in both languages:
each page answers under its own heading in the tab's language, with nothing fetched from another
host (the fixtures fail the test otherwise). With ``PROCUREMENT_SCREENSHOTS`` set, these are the
README's screenshots of the reviewer, legal, exposure, audit and administration pages."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.conftest import sign_in_through_the_page, snapshot
from tests.support.world import World

# (path, screenshot name, heading in English, heading in Chinese)
PAGES = (
    ("/console/reviews", "reviews", "Pending reviews", "待审案件"),
    ("/console/agreement-templates", "agreement-templates", "Agreement templates", "协议模板"),
    ("/console/exposure", "exposure", "Exposure", "处罚风险"),
    ("/console/components?purl=pkg:maven/org.apache.logging.log4j/log4j-core", "components",
     "Component search", "组件查询"),
    ("/console/audit", "audit", "Audit log", "审计日志"),
    ("/console/admin", "admin", "Administration", "管理"),
    ("/console/admin/accounts", "accounts", "Accounts and tokens", "账号与令牌"),
)  # fmt: skip


async def tour(page: Page, served: str, language: str) -> list[str]:
    await sign_in_through_the_page(page, served, "/")
    headings = []
    for path, name, _english, _chinese in PAGES:
        response = await page.goto(f"{served}{path}")
        assert response is not None and response.status == 200, path
        headings.append(await page.inner_text("h1"))
        await snapshot(page, name, language)
    return headings


async def test_an_administrator_tours_the_pages_in_chinese(
    served: str, page_zh: Page, world: World, person: int
) -> None:
    # when the administrator opens each page in a Chinese tab
    headings = await tour(page_zh, served, "zh")
    # then each answers under its Chinese heading
    assert headings == [chinese for _path, _name, _english, chinese in PAGES]


async def test_an_administrator_tours_the_pages_in_english(
    served: str, page_en: Page, world: World, person: int
) -> None:
    # when the administrator opens each page in an English tab
    headings = await tour(page_en, served, "en")
    # then each answers under its English heading
    assert headings == [english for _path, _name, english, _chinese in PAGES]
