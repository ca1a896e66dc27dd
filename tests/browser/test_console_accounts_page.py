"""The admin's accounts and tokens pages in a real browser, in Chinese: an administrator creates
a reviewer account and makes it a token, whose secret is shown once and is gone when the page
is opened again. The fixtures fail a test whose page reaches for another host."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.conftest import sign_in_through_the_page, snapshot
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def test_an_admin_creates_a_reviewer_and_a_token_in_chinese(
    served: str, page_zh: Page, db: DatabaseUnderTest, world: World, person: int
) -> None:
    await sign_in_through_the_page(page_zh, served, "/")
    # when the admin opens the accounts page from the administration index
    await page_zh.click("nav >> text=管理")
    await page_zh.wait_for_url(f"{served}/console/admin")
    await page_zh.click("#admin-pages >> text=账号与 API 令牌")
    await page_zh.wait_for_url(f"{served}/console/admin/accounts")
    # and creates a reviewer of operator A, leaving the password to be generated
    await page_zh.fill("#name", "赵磊")
    await page_zh.fill("#login", "zhao.lei")
    await page_zh.select_option("#role", "reviewer")
    await page_zh.select_option("#operator", str(world.operator_a))
    await page_zh.click("#account-form button[type=submit]")
    # then the new account is confirmed with its one-time password and listed
    await page_zh.wait_for_selector("#created >> text=账号 zhao.lei 已创建。")
    assert len(await page_zh.inner_text("#new-password")) >= 12
    assert await page_zh.inner_text("#count") == "2 个账号"
    # when the admin opens the account and makes it a token
    await page_zh.click("#created a")
    await page_zh.wait_for_selector("#token-form")
    account_page = page_zh.url
    await page_zh.fill("#name", "赵磊的流水线")
    await page_zh.click("#token-form button[type=submit]")
    # then the secret is shown once, and the token is listed by its first characters
    secret = await page_zh.inner_text("#new-secret")
    prefix = await page_zh.inner_text("#token-list code")
    assert prefix.endswith("…") and secret.startswith(prefix[:-1]) and len(secret) > len(prefix)
    listed = await page_zh.inner_text("#token-list tbody")
    assert "赵磊的流水线" in listed and "有效" in listed
    await snapshot(page_zh, "account-token", "zh")
    # when the account's page is opened again, the secret is gone
    await page_zh.goto(account_page)
    assert await page_zh.inner_text("#token-list code") == prefix
    assert secret not in await page_zh.content()
