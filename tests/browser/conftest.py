"""Real-browser tests: Debian's Chromium driven by Playwright, against the app on loopback.

Every request the browser makes is checked: a page that reaches for another host (a CDN, a font
service) fails its test, because operators run this on networks where no other host answers.
Chromium is found as ``chromium`` on PATH or at ``PROCUREMENT_TEST_CHROMIUM``; without it the
tests skip with the reason, unless ``PROCUREMENT_REQUIRE_BROWSER=1`` (set by ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, Route, async_playwright

from tests.support.accounts import PASSWORD, make_account
from tests.support.databases import DatabaseUnderTest
from tests.support.live_server import live_server

LOCAL_HOSTS = frozenset({"127.0.0.1"})


def chromium_path() -> str | None:
    return os.environ.get("PROCUREMENT_TEST_CHROMIUM") or shutil.which("chromium")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Chromium, launched per test: Playwright's async API shares the test's event loop, which
    the database fixtures need too (its sync API would hold a loop of its own in this thread)."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("PROCUREMENT_REQUIRE_BROWSER") == "1":
            pytest.fail("PROCUREMENT_REQUIRE_BROWSER=1 but no Chromium: apt-get install chromium")
        pytest.skip(
            "no Chromium found (apt-get install chromium, or set PROCUREMENT_TEST_CHROMIUM)"
        )
    async with async_playwright() as driver:
        launched = await driver.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        await launched.close()


@dataclass
class Traffic:
    """Every URL the page asked for; the ones to other hosts were refused (and fail the test)."""

    requested: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def served(db: DatabaseUnderTest) -> Iterator[str]:
    """The app on loopback, on the test's database (SQLite and PostgreSQL)."""
    with live_server(db.url) as base_url:
        yield base_url


async def _open_page(browser: Browser, traffic: Traffic, locale: str) -> AsyncIterator[Page]:
    context = await browser.new_context(locale=locale)

    async def gate(route: Route) -> None:
        url = route.request.url
        traffic.requested.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            await route.continue_()
        else:
            traffic.foreign.append(url)
            await route.abort()

    await context.route("**/*", gate)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    yield page
    await context.close()
    assert traffic.foreign == [], f"the page reached for other hosts: {traffic.foreign}"


@pytest.fixture
async def page_zh(browser: Browser, traffic: Traffic) -> AsyncIterator[Page]:
    """A browser tab whose language is Chinese (the console's default)."""
    async for page in _open_page(browser, traffic, "zh-CN"):
        yield page


@pytest.fixture
async def page_en(browser: Browser, traffic: Traffic) -> AsyncIterator[Page]:
    """A browser tab whose language is English."""
    async for page in _open_page(browser, traffic, "en-US"):
        yield page


async def sign_in_through_the_page(
    page: Page, served: str, next_path: str = "/", login: str = "ada", password: str = PASSWORD
) -> None:
    """Open a page, get sent to the sign-in form, fill it and land back on the page."""
    await page.goto(f"{served}{next_path}")
    await page.fill("#login", login)
    await page.fill("#password", password)
    await page.click("#sign-in button[type=submit]")
    await page.wait_for_url(f"{served}{next_path}")


@pytest.fixture
async def person(db: DatabaseUnderTest) -> int:
    """An administrator's account, login 'ada' (tests.support.accounts.PASSWORD)."""
    return await make_account(db)


async def snapshot(page: Page, name: str, language: str) -> None:
    """Save a full-page screenshot when PROCUREMENT_SCREENSHOTS names a folder (SQLite runs
    only, so that the two backends do not write the same file)."""
    folder = os.environ.get("PROCUREMENT_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        await page.screenshot(path=os.path.join(folder, f"{name}-{language}.png"), full_page=True)
