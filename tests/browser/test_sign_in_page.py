"""Signing in and out of the console in a real browser, in Chinese and English, by mouse and by
keyboard alone; the page asks nothing of any other host (the fixtures check)."""

from __future__ import annotations

from playwright.async_api import Page

from tests.support.accounts import PASSWORD


async def test_sign_in_and_out_in_chinese(served: str, page_zh: Page, person: int) -> None:
    # given a person who opens the start page without being signed in
    await page_zh.goto(f"{served}/")
    # then the sign-in page is shown, in Chinese
    assert page_zh.url == f"{served}/sign-in?next=%2F"
    assert await page_zh.inner_text("h1") == "登录"
    assert await page_zh.title() == "登录 · 采购安全审查"
    # when they sign in
    await page_zh.fill("#login", "ada")
    await page_zh.fill("#password", PASSWORD)
    await page_zh.click("#sign-in button[type=submit]")
    # then the start page says who is signed in and with which role
    await page_zh.wait_for_url(f"{served}/")
    assert await page_zh.inner_text("#who") == "当前登录：Ada Lovelace，角色：管理员。"
    # when they sign out
    await page_zh.click("form.sign-out button")
    # then they are back on the sign-in page, and the start page asks them to sign in again
    await page_zh.wait_for_url(f"{served}/sign-in")
    await page_zh.goto(f"{served}/")
    assert page_zh.url == f"{served}/sign-in?next=%2F"


async def test_sign_in_and_out_in_english(served: str, page_en: Page, person: int) -> None:
    await page_en.goto(f"{served}/explorer/reference")
    assert await page_en.inner_text("h1") == "Sign in"
    assert await page_en.inner_text("label[for=login]") == "Login"
    await page_en.fill("#login", "ADA")  # logins are not case-sensitive
    await page_en.fill("#password", PASSWORD)
    await page_en.click("#sign-in button[type=submit]")
    # then they land on the page they asked for
    await page_en.wait_for_url(f"{served}/explorer/reference")
    assert await page_en.inner_text("form.sign-out .person") == "Ada Lovelace"
    await page_en.click("text=Sign out")
    await page_en.wait_for_url(f"{served}/sign-in")
    assert await page_en.inner_text("h1") == "Sign in"


async def test_a_keyboard_user_signs_in_and_out(served: str, page_en: Page, person: int) -> None:
    # given the sign-in page: the login field has the focus
    await page_en.goto(f"{served}/sign-in")
    assert await page_en.evaluate("document.activeElement.id") == "login"
    # when the person types the login, tabs to the password, types it and presses Enter
    await page_en.keyboard.type("ada")
    await page_en.keyboard.press("Tab")
    assert await page_en.evaluate("document.activeElement.id") == "password"
    await page_en.keyboard.type(PASSWORD)
    await page_en.keyboard.press("Enter")
    # then they are signed in
    await page_en.wait_for_url(f"{served}/")
    assert await page_en.inner_text("#who") == "Signed in as Ada Lovelace, role: Administrator."
    # when they tab to the sign-out button and press Enter
    for _ in range(40):  # past a navigation of any length
        await page_en.keyboard.press("Tab")
        if await page_en.evaluate("document.activeElement.closest('form.sign-out') !== null"):
            break
    assert await page_en.evaluate("document.activeElement.textContent") == "Sign out"
    await page_en.keyboard.press("Enter")
    # then they are signed out
    await page_en.wait_for_url(f"{served}/sign-in")


async def test_a_wrong_password_says_so_without_naming_which(
    served: str, page_zh: Page, page_en: Page, person: int
) -> None:
    for page, message in (
        (page_zh, "登录名或密码错误。"),
        (page_en, "The login or the password is wrong."),
    ):
        # when a person types a wrong password
        await page.goto(f"{served}/sign-in")
        await page.fill("#login", "ada")
        await page.fill("#password", "not the password")
        await page.click("#sign-in button[type=submit]")
        # then the page says the login or the password is wrong, keeps the login, clears the
        # password and puts the focus there for another try
        await page.wait_for_selector("#sign-in-message")
        assert await page.inner_text("#sign-in-message") == message
        assert await page.input_value("#login") == "ada"
        assert await page.input_value("#password") == ""
        assert await page.evaluate("document.activeElement.id") == "password"
        assert page.url == f"{served}/sign-in"
