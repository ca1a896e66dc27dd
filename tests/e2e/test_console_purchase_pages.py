"""A purchase's page, the vendors page and a purchase's SBOM pages (upload with the session,
versions, quality, diff), for procurement staff and vendors, through the ASGI app."""

from __future__ import annotations

import html
import json
import re

import httpx

from procurement.permissions import SYSTEM
from procurement.screening.actions import restrictions
from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH, buyer, huaxin, northwind
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import firmware_sbom, maven
from tests.support.world import World, row_counts


async def test_procurement_staff_see_findings_case_and_exposure(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=EN)
    assert page.status_code == 200
    assert "<h1>Core routers</h1>" in page.text
    assert "<dt>CII system</dt><dd>Dispatch SCADA</dd>" in page.text
    assert "Zhang Wei, Liu Yang" in page.text
    screening = page.text[page.text.index('id="screening"') :].split("</section>")[0]
    assert '<th scope="col">What to do</th>' in screening
    assert screening.count("<tr>") >= 2  # the header and at least one finding
    assert 'id="review-case"' in page.text
    exposure = page.text[page.text.index('id="exposure"') :].split("</section>")[0]
    assert "Fines that can be imposed now: CN¥" in exposure
    zh = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=ZH)
    assert '<th scope="col">应对措施</th>' in zh.text
    assert '<dt>合同金额</dt><dd class="money">¥1,200,000.00 (含税)</dd>' in zh.text


async def test_a_vendor_sees_its_purchase_without_internal_parts(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=EN)
    assert page.status_code == 200
    assert "<h1>Core routers</h1>" in page.text
    for internal in ('id="screening"', 'id="review-case"', 'id="exposure"', "Zhang Wei",
                     "Dispatch SCADA", "/edit"):  # fmt: skip
        assert internal not in page.text, internal


async def test_a_vendor_typing_another_vendors_purchase_gets_not_found(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await northwind(client, db, world)
    for path, headers, heading in (
        (f"/console/purchases/{world.purchase_a_cn}", ZH, "<h1>未找到</h1>"),
        (f"/console/purchases/{world.purchase_a_cn}/sboms", EN, "<h1>Not found</h1>"),
        ("/console/purchases/999999", EN, "<h1>Not found</h1>"),
        ("/console/purchases/abc", EN, "<h1>Not found</h1>"),
    ):
        page = await client.get(path, headers=headers)
        assert (page.status_code, heading in page.text) == (404, True), path
        assert "Core routers" not in page.text


async def test_the_vendors_page_shows_restriction_listings_to_staff_only(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        await restrictions.update_restriction_list(
            session,
            SYSTEM,
            restrictions.RestrictionListInput(
                name="Unreliable entities", source="MOFCOM", published_on="2025-01-02",
                entries=[restrictions.RestrictionEntryInput(
                    "Northwind Storage", "export control", "2025-01-02", world.vendor_us)],
            ),
        )  # fmt: skip
    await buyer(client, db, world)
    page = await client.get("/console/vendors", headers=EN)
    assert page.status_code == 200
    assert "Huaxin Networks" in page.text and "Northwind Storage" in page.text
    assert (
        '<p class="listed"><strong>Unreliable entities</strong>, listed on Jan 2, 2025: '
        '<span lang="en">export control</span></p>'
    ) in page.text
    assert page.text.count('<span class="hint">Not listed</span>') == 1
    await huaxin(client, db, world)
    refused = await client.get("/console/vendors", headers=EN)
    assert refused.status_code == 403 and "<h1>Not allowed</h1>" in refused.text


ROUTER_V1 = firmware_sbom([maven("org.apache.logging.log4j", "log4j-core", "2.14.1")])
ROUTER_V2 = firmware_sbom(
    [maven("org.apache.logging.log4j", "log4j-core", "2.17.1"), maven("com.acme", "zlib", "1.3")],
    product_version="1.1",
)


async def test_a_vendor_uploads_sboms_with_its_session_and_compares_versions(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    assert page.status_code == 200
    assert '<p id="no-sbom" class="hint">No SBOM yet.</p>' in page.text
    found = re.search(r'data-csrf="([^"]+)" data-url="([^"]+)"', page.text)
    assert found is not None
    csrf, url = found.groups()
    assert url == f"/api/purchases/{world.purchase_a_cn}/sbom"
    # when the page's script sends the file as the person (session cookie and CSRF header)
    first = await client.put(url, content=ROUTER_V1, headers={"x-csrf-token": csrf})
    assert first.status_code == 201, first.text
    second = await client.put(url, content=ROUTER_V2, headers={"x-csrf-token": csrf})
    assert second.status_code == 201, second.text
    # then the page shows both versions, the quality and what would raise it
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    assert "Current version 2: CYCLONEDX 1.6 (json), 2 components" in page.text
    assert page.text.count("<td>1</td>") >= 1
    diff_link = re.search(r'<a class="diff" href="([^"]+)">Compare with version 1</a>', page.text)
    assert diff_link is not None
    diff = await client.get(diff_link.group(1).replace("&amp;", "&"), headers=EN)
    assert diff.status_code == 200
    assert '<p id="diff-summary">1 added, 0 removed, 1 changed version, 0 unchanged.</p>' in (
        diff.text
    )
    assert "<td>2.14.1 → 2.17.1</td>" in diff.text
    zh = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=ZH)
    assert "质量：" in zh.text
    # and another vendor cannot open the diff
    await northwind(client, db, world)
    hidden = await client.get(diff_link.group(1).replace("&amp;", "&"), headers=EN)
    assert hidden.status_code == 404


async def test_quality_gaps_say_what_would_raise_the_score(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    csrf = form_csrf(page.text)
    unsupplied = firmware_sbom([maven("com.acme", "zlib", "1.3", supplier=None)])
    stored = await client.put(
        f"/api/purchases/{world.purchase_a_cn}/sbom", content=unsupplied,
        headers={"x-csrf-token": csrf},
    )  # fmt: skip
    assert stored.status_code == 201
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    assert (
        "<tr><td>Supplier</td><td>0%</td><td>+14.3</td>"
        "<td>Give each component its supplier name.</td></tr>"
    ) in page.text


async def test_an_upload_without_the_csrf_header_or_with_errors_stores_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await huaxin(client, db, world)
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    csrf = form_csrf(page.text)
    url = f"/api/purchases/{world.purchase_a_cn}/sbom"
    async with db.sessions() as session:
        before = await row_counts(session)
    forged = await client.put(url, content=ROUTER_V1)
    assert forged.status_code == 403
    broken = await client.put(
        url, content=b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": 3}',
        headers={"x-csrf-token": csrf},
    )  # fmt: skip
    assert broken.status_code == 422
    assert [e["location"] for e in broken.json()["errors"]] == ["/components"]
    async with db.sessions() as session:
        after = await row_counts(session)
    # the refusal is audited (as for any client); no SBOM row was written
    stored = [k for k in after if k.startswith("sbom") and "reject" not in k]
    assert {k: after[k] for k in stored} == {k: before[k] for k in stored}
    assert after["sboms"] == 0


async def test_the_upload_page_follows_the_job_of_a_large_document(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a vendor on its purchase's SBOM page, in English and in Chinese
    await huaxin(client, db, world)
    en = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=EN)
    zh = await client.get(f"/console/purchases/{world.purchase_a_cn}/sboms", headers=ZH)
    # then the page has the place for the job's link and the script's job messages
    assert '<p><a id="job-link" href="" hidden></a></p>' in en.text
    found = re.search(r'data-messages="([^"]*)"', en.text)
    zh_found = re.search(r'data-messages="([^"]*)"', zh.text)
    assert found is not None and zh_found is not None
    en_messages = json.loads(html.unescape(found.group(1)))
    zh_messages = json.loads(html.unescape(zh_found.group(1)))
    assert (en_messages["jobLink"], zh_messages["jobLink"]) == (
        "Follow job {number}",
        "查看任务 {number}",
    )
    assert zh_messages["jobStored"] == (
        "已保存为“{sbomName}”的第 {sbomVersion} 版：{componentCount} 个组件，质量 {qualityScore}。"
    )
