"""The pages a browser gets: language, security headers, and nothing from another host."""

from __future__ import annotations

import re

import httpx

from procurement.web.pages import CONTENT_SECURITY_POLICY

HTML = {"accept": "text/html"}


def local_references(html: str) -> list[str]:
    """Every src/href in the page."""
    return re.findall(r'(?:src|href)="([^"]*)"', html)


async def test_the_start_page_is_in_chinese_by_default(console: httpx.AsyncClient) -> None:
    # when a browser with no language preference opens /
    r = await console.get("/", headers=HTML)
    # then the page is in Chinese, says so, and offers English
    assert r.status_code == 200
    assert r.headers["content-language"] == "zh-CN"
    assert '<html lang="zh-CN">' in r.text
    assert "<h1>关键信息基础设施采购安全审查</h1>" in r.text
    assert '<a class="language" href="/?lang=en" lang="en" hreflang="en">English</a>' in r.text


async def test_the_browser_language_and_then_the_persons_choice_decide(
    console: httpx.AsyncClient,
) -> None:
    # given a browser that prefers English
    english = await console.get("/", headers={**HTML, "accept-language": "en-GB,en;q=0.9"})
    assert "<h1>Procurement review for critical information infrastructure</h1>" in english.text
    # when the person switches to Chinese
    switched = await console.get("/?lang=zh-CN", headers={"accept-language": "en"})
    # then the page is Chinese, the choice is remembered, and later pages follow it
    assert switched.headers["content-language"] == "zh-CN"
    assert "lang=zh-CN" in switched.headers["set-cookie"]
    later = await console.get("/explorer", headers={"accept-language": "en"})
    assert later.headers["content-language"] == "zh-CN"
    assert "<h1>API 调试台</h1>" in later.text


async def test_pages_forbid_other_hosts_and_reference_only_their_own_assets(
    console: httpx.AsyncClient,
) -> None:
    for path in ("/", "/explorer", "/explorer/reference"):
        r = await console.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "default-src 'self'" in CONTENT_SECURITY_POLICY
        foreign = [u for u in local_references(r.text) if not u.startswith(("/", "#", "?"))]
        assert foreign == [], path


async def test_the_assets_are_served_by_the_service(console: httpx.AsyncClient) -> None:
    css = await console.get("/static/console.css")
    js = await console.get("/static/explorer.js")
    icon = await console.get("/static/favicon.svg")
    assert (css.status_code, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert (icon.status_code, icon.headers["content-type"]) == (200, "image/svg+xml")
    assert "http" not in js.text.replace("HTTP {status}", "")  # no URL of another host
    missing = await console.get("/static/nothing.js")
    assert missing.status_code == 404


async def test_the_reference_lists_every_root_field_with_its_arguments(
    console: httpx.AsyncClient,
) -> None:
    r = await console.get("/explorer/reference", headers={"accept-language": "en"})
    # the root query type comes first, and a field shows its arguments with linked types
    assert r.text.index('<section id="Query"') < r.text.index('<section id="Mutation"')
    assert '<dt id="Query.purchases"><code>purchases</code>' in r.text
    assert '<li><code>first</code>: <a href="#Int"><code>Int</code></a>' in r.text
    assert '<section id="__Schema"' not in r.text  # introspection types are not listed
