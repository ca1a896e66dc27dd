"""The API explorer in a real browser: a person runs a query with a token, by mouse and by
keyboard, in both languages; the page asks nothing of any other host (the fixtures check)."""

from __future__ import annotations

import json

from playwright.async_api import Page

from tests.browser.conftest import sign_in_through_the_page
from tests.support.world import World


async def test_a_person_runs_a_query_in_chinese(
    served: str, page_zh: Page, world: World, person: int
) -> None:
    # given the explorer, opened from /graphql as a browser would, by a signed-in person
    await sign_in_through_the_page(page_zh, served)
    await page_zh.goto(f"{served}/graphql")
    assert page_zh.url == f"{served}/explorer"
    assert await page_zh.inner_text("h1") == "API 调试台"
    # when the person pastes an auditor token and presses the run button
    await page_zh.fill("#token", world.secrets["auditor"])
    await page_zh.fill("#query", "{ me { role } }")
    await page_zh.click("#explorer button[type=submit]")
    # then the answer is shown
    await page_zh.wait_for_selector("#result:not(:empty)")
    assert json.loads(await page_zh.inner_text("#result")) == {"data": {"me": {"role": "AUDITOR"}}}
    assert (await page_zh.inner_text("#status")).startswith("HTTP 200，用时 ")


async def test_a_keyboard_user_runs_a_query_in_english(
    served: str, page_en: Page, world: World, person: int
) -> None:
    # given the explorer in English
    await sign_in_through_the_page(page_en, served, "/explorer")
    # when the person tabs into the token field, types, and runs the query with Ctrl+Enter
    await page_en.keyboard.press("Tab")  # brand link, then the navigation (its length depends
    # on the role's pages) and the language switch
    for _ in range(40):
        if await page_en.evaluate("document.activeElement.id") == "token":
            break
        await page_en.keyboard.press("Tab")
    assert await page_en.evaluate("document.activeElement.id") == "token"
    await page_en.keyboard.type(world.secrets["admin"])
    await page_en.keyboard.press("Tab")
    assert await page_en.evaluate("document.activeElement.id") == "query"
    await page_en.keyboard.press("Control+Enter")
    # then the default query ran
    await page_en.wait_for_selector("#result:not(:empty)")
    answer = json.loads(await page_en.inner_text("#result"))
    assert answer["data"]["me"]["role"] == "ADMIN"


async def test_bad_variables_are_explained_and_nothing_is_sent(
    served: str, page_en: Page, world: World, person: int
) -> None:
    await sign_in_through_the_page(page_en, served, "/explorer")
    sent: list[str] = []
    page_en.on("request", lambda request: sent.append(request.url))
    # when the variables are not a JSON object
    await page_en.fill("#variables", "[1, 2]")
    await page_en.click("#explorer button[type=submit]")
    # then the page says so in English and nothing went to /graphql
    text = await page_en.inner_text("#result")
    assert text.startswith("The variables are not a JSON object: ")
    assert [u for u in sent if u.endswith("/graphql")] == []


async def test_without_a_token_the_explorer_runs_as_the_person_signed_in(
    served: str, page_en: Page, person: int
) -> None:
    # given a signed-in person on the explorer, with no token typed
    await sign_in_through_the_page(page_en, served, "/explorer")
    # when running the default query
    await page_en.fill("#query", "{ me { name role tokenId } }")
    await page_en.click("#explorer button[type=submit]")
    # then it ran as the person (the session and the page's CSRF token)
    await page_en.wait_for_selector("#result:not(:empty)")
    assert json.loads(await page_en.inner_text("#result")) == {
        "data": {"me": {"name": "Ada Lovelace", "role": "ADMIN", "tokenId": None}}
    }
