"""The harness itself: the browser reaches the app on loopback, and a page that reaches for
another host is caught."""

from __future__ import annotations

import json

from playwright.async_api import Page

from tests.browser.conftest import Traffic


async def test_the_browser_reads_the_health_probe_from_the_live_app(
    served: str, page_en: Page, traffic: Traffic
) -> None:
    # when the browser opens the health probe
    response = await page_en.goto(f"{served}/healthz")
    # then the app answered it, and nothing but the app was asked
    assert response is not None and response.status == 200
    assert json.loads(await page_en.inner_text("body")) == {"status": "ok"}
    assert traffic.requested == [f"{served}/healthz"]


async def test_a_request_to_another_host_is_refused_and_recorded(
    served: str, page_en: Page, traffic: Traffic
) -> None:
    # given a page that asks for a script from a CDN
    await page_en.goto(f"{served}/healthz")
    await page_en.set_content('<script src="https://unpkg.com/x.js"></script><p>x</p>')
    # then the request never left, and the harness saw it
    assert traffic.foreign == ["https://unpkg.com/x.js"]
    traffic.foreign.clear()  # this test wanted it; others fail on it


async def test_a_chinese_tab_announces_chinese(served: str, page_zh: Page) -> None:
    await page_zh.goto(f"{served}/healthz")
    assert await page_zh.evaluate("navigator.language") == "zh-CN"


async def test_an_english_tab_announces_english(served: str, page_en: Page) -> None:
    await page_en.goto(f"{served}/healthz")
    assert await page_en.evaluate("navigator.language") == "en-US"
