"""The OSV upload page: served in Chinese by default and in English on request, referencing only
the service's own assets, with a script that uploads to the import API."""

from __future__ import annotations

import html
import json
import re

import httpx

from procurement.web.pages import CONTENT_SECURITY_POLICY

PAGE = "/console/advisories/import"


def references(text: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', text)


def messages(text: str) -> dict[str, object]:
    match = re.search(r'data-messages="([^"]*)"', text)
    assert match is not None
    parsed: dict[str, object] = json.loads(html.unescape(match.group(1)))
    return parsed


async def test_the_page_is_chinese_by_default_and_english_on_request(
    console: httpx.AsyncClient,
) -> None:
    # when a browser with no preference opens the page, then asks for English
    zh = await console.get(PAGE)
    en = await console.get(PAGE + "?lang=en")
    # then the first is Chinese, the script's messages too, and it offers English
    assert (zh.status_code, zh.headers["content-language"]) == (200, "zh-CN")
    assert "<h1>导入 OSV 漏洞公告</h1>" in zh.text
    assert f'<a class="language" href="{PAGE}?lang=en"' in zh.text
    assert messages(zh.text)["uploading"] == "正在上传：{percent}%"
    assert messages(zh.text)["labels"] == [
        ["read", "读取的记录"],
        ["added", "新增"],
        ["updated", "更新"],
        ["skipped", "跳过（未变化）"],
        ["withdrawn", "已撤回"],
        ["unmatchable", "无法匹配（生态系统或软件包 URL 未知）"],
        ["rematch.purchases", "已知漏洞发生变化的采购"],
        ["rescreen.screened", "重新筛查的采购"],
        ["invalidCount", "无效记录"],
    ]
    # and the second is English
    assert en.headers["content-language"] == "en"
    assert "<h1>Import OSV advisories</h1>" in en.text
    assert messages(en.text)["done"] == "Imported."


async def test_every_asset_is_the_services_own(console: httpx.AsyncClient) -> None:
    page = await console.get(PAGE)
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    linked = references(page.text)
    assert [u for u in linked if not u.startswith(("/", "#", "?"))] == []
    # every referenced asset is served here
    for url in (u for u in linked if u.startswith("/static/")):
        r = await console.get(url)
        assert r.status_code == 200, url
    script = await console.get("/static/advisory-import.js")
    assert "javascript" in script.headers["content-type"]
    # it posts to the import API and follows the upload's progress, and names no other host
    assert '"/api/advisories/import?name="' in script.text
    assert "xhr.upload.onprogress" in script.text
    assert "http" not in script.text.lower().replace("xmlhttprequest", "")
