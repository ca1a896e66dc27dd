"""The OSV upload page: served in Chinese by default and in English on request, referencing only
the service's own assets, with a script that uploads to the import API."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import httpx

from procurement.web.pages import CONTENT_SECURITY_POLICY
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs
from tests.support.osv_dumps import dump_of, record
from tests.support.world import World

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
    assert messages(zh.text)["jobLink"] == "任务 {number}"
    assert '<a id="job-link" href="#" hidden></a>' in zh.text
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
    # the page's scripts: the shared upload helpers first, then the page's own
    scripts = [u for u in linked if u.endswith(".js")]
    assert scripts == ["/static/upload-job.js", "/static/advisory-import.js"]
    shared, own = [await console.get(u) for u in scripts]
    assert "javascript" in own.headers["content-type"]
    # it posts to the import API and follows the upload's progress, and names no other host
    assert '"/api/advisories/import?name="' in own.text
    assert "shared.showUploadProgress(xhr" in own.text
    assert "xhr.upload.onprogress" in shared.text
    for script in (shared, own):
        assert "http" not in script.text.lower().replace("xmlhttprequest", "")


async def test_the_import_jobs_page_shows_the_report(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    # given a dump uploaded as the signed-in admin, and a worker that ran its job
    dump = dump_of(tmp_path / "all.zip", record("GO-2021-0113"), extra={"bad.json": b"{"})
    upload = await console.post(
        "/api/advisories/import?name=go.zip",
        content=dump.read_bytes(),
        headers={"authorization": f"Bearer {world.secrets['admin']}"},
    )
    assert upload.status_code == 202, upload.text
    await run_jobs(db)
    # when the admin opens the job's page in English
    page = await console.get(upload.json()["job"]["url"] + "?lang=en")
    # then it names the kind and shows the report's counts, files and invalid records
    assert page.status_code == 200
    assert '<dd id="job-kind">Import an OSV dump</dd>' in page.text
    assert '<dd id="job-progress">2 of 2</dd>' in page.text
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>(.*?)</td></tr>', page.text)
    assert rows[:4] == [
        ("Files", "go.zip"),
        ("Records read", "2"),
        ("Added", "1"),
        ("Updated", "0"),
    ]
    assert ("Invalid records", "1") in rows
    assert (
        "Invalid records, one by one",
        "go.zip:bad.json: not valid JSON: unexpected end of data: line 1 column 2 (char 1)",
    ) in rows
