"""Each person's main job in the console, from sign-in to result, in a real browser and in both
languages: procurement staff register a purchase (by mouse, and by keyboard alone) and find it
in the register; a vendor uploads an SBOM and reads its quality. A vendor typing another
vendor's purchase URL gets the not-found page; a form posted without its CSRF token is refused
and changes nothing. The fixtures fail a test whose page reaches for another host.

With ``PROCUREMENT_SCREENSHOTS=docs/screenshots`` the tests save screenshots of the main pages
(zh and en) there, for the README."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page

from procurement.enums import Role
from tests.browser.conftest import sign_in_through_the_page, snapshot
from tests.support.accounts import make_account
from tests.support.databases import DatabaseUnderTest
from tests.support.live_server import live_server
from tests.support.sbom_docs import firmware_sbom, maven
from tests.support.world import World, row_counts


async def buyer_account(db: DatabaseUnderTest, world: World) -> None:
    await make_account(db, "buyer", Role.PROCUREMENT, name="Li Na", operator_id=world.operator_a)


async def fill_purchase(page: Page, world: World, title: str) -> None:
    await page.select_option("#vendorId", str(world.vendor_us))
    await page.fill("#title", title)
    await page.select_option("#category", "MASS_STORAGE_DEVICE")
    await page.fill("#amount", "1234567.80")
    await page.fill("#contractDate", "2025-03-15")
    await page.fill("#persons-0-name", "Chen Jie")


async def test_procurement_registers_a_purchase_and_finds_it_in_chinese(
    served: str, page_zh: Page, db: DatabaseUnderTest, world: World
) -> None:
    await buyer_account(db, world)
    await sign_in_through_the_page(page_zh, served, "/", login="buyer")
    assert await page_zh.inner_text("#awaiting-sbom h2") == "待提交 SBOM 的采购 (2)"
    await snapshot(page_zh, "home-procurement", "zh")
    # when the buyer opens the form from the navigation and forgets the title
    await page_zh.click("nav >> text=登记采购")
    await page_zh.wait_for_url(f"{served}/console/purchases/new")
    await fill_purchase(page_zh, world, "")
    await page_zh.click("#purchase-form button[type=submit]")
    # then the error is next to the title, in Chinese, and what was typed is kept
    assert await page_zh.inner_text("#title-error") == "此项必填。"
    assert await page_zh.input_value("#amount") == "1234567.80"
    await snapshot(page_zh, "purchase-form-errors", "zh")
    # when the buyer gives the title and registers again
    await page_zh.fill("#title", "备份存储阵列")
    await page_zh.click("#purchase-form button[type=submit]")
    # then the purchase page shows it, with the money as a Chinese reader expects
    await page_zh.wait_for_selector("h1:text('备份存储阵列')")
    assert "¥1,234,567.80 (含税)" in await page_zh.inner_text("#facts")
    await snapshot(page_zh, "purchase", "zh")
    # and the register, filtered by vendor, lists it
    await page_zh.click("nav >> text=采购")
    await page_zh.select_option("#vendor", str(world.vendor_us))
    await page_zh.click("#filters button[type=submit]")
    await page_zh.wait_for_url(f"**/console/purchases?*vendor={world.vendor_us}*")
    rows = await page_zh.locator("#register tbody tr td:nth-child(2)").all_inner_texts()
    assert rows == ["Storage array", "备份存储阵列"]
    await snapshot(page_zh, "register", "zh")


async def test_procurement_registers_a_purchase_and_sorts_the_register_in_english(
    served: str, page_en: Page, db: DatabaseUnderTest, world: World
) -> None:
    await buyer_account(db, world)
    await sign_in_through_the_page(page_en, served, "/console/purchases/new", login="buyer")
    await fill_purchase(page_en, world, "Backup array")
    await page_en.click("#purchase-form button[type=submit]")
    await page_en.wait_for_selector("h1:text('Backup array')")
    assert "CN¥1,234,567.80 (tax included)" in await page_en.inner_text("#facts")
    await snapshot(page_en, "purchase", "en")
    await page_en.goto(f"{served}/console/purchases")
    await page_en.click("#register th >> text=Title")
    await page_en.click("#register th >> text=Title")  # again: descending
    rows = await page_en.locator("#register tbody tr td:nth-child(2)").all_inner_texts()
    assert rows == ["Storage array", "Core routers", "Backup array"]
    await snapshot(page_en, "register", "en")
    await page_en.goto(f"{served}/")
    await snapshot(page_en, "home-procurement", "en")


async def test_a_keyboard_user_registers_a_purchase(
    served: str, page_en: Page, db: DatabaseUnderTest, world: World
) -> None:
    await buyer_account(db, world)
    await sign_in_through_the_page(page_en, served, "/console/purchases/new", login="buyer")
    # given the focus on the first field of the form (the vendor)
    await page_en.focus("#vendorId")
    keys = page_en.keyboard
    await keys.press("ArrowDown")  # the first vendor: Huaxin Networks
    await keys.press("Tab")
    assert await page_en.evaluate("document.activeElement.id") == "title"
    await keys.type("Keyboard firewall")
    await keys.press("Tab")  # description
    await keys.press("Tab")  # category
    await keys.press("ArrowDown")
    await keys.press("Tab")
    await keys.type("5000")
    await keys.press("Tab")
    assert await page_en.evaluate("document.activeElement.id") == "currency"
    await keys.press("Tab")  # tax included: on already
    await keys.press("Tab")
    assert await page_en.evaluate("document.activeElement.id") == "contractDate"
    await keys.type("03152025")  # a date field takes the digits in the browser's order
    # tab on to the name of the person in charge
    for _ in range(20):
        await keys.press("Tab")
        if await page_en.evaluate("document.activeElement.id") == "persons-0-name":
            break
    await keys.type("Zhou Min")
    await keys.press("Enter")  # submits the form
    await page_en.wait_for_selector("h1:text('Keyboard firewall')")
    facts = await page_en.inner_text("#facts")
    assert "Huaxin Networks" in facts and "Core network equipment" in facts
    assert "Mar 15, 2025" in facts


async def test_a_vendor_uploads_an_sbom_and_reads_its_quality(
    served: str, page_zh: Page, page_en: Page, db: DatabaseUnderTest, world: World,
    tmp_path: Path,
) -> None:  # fmt: skip
    await make_account(db, "huaxin", Role.VENDOR, name="Huaxin", vendor_id=world.vendor_cn)
    good = tmp_path / "router.cdx.json"
    good.write_bytes(firmware_sbom([maven("com.acme", "zlib", "1.3", supplier=None)]))
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": 3}')
    for page, lang, purchase, stored, gap in (
        (page_zh, "zh", world.purchase_a_cn, "已保存为", "为每个组件填写供应商名称。"),
        (page_en, "en", world.purchase_b_cn, "Stored as", "Give each component its supplier name."),
    ):
        await sign_in_through_the_page(page, served, "/", login="huaxin")
        await snapshot(page, "home-vendor", lang)
        await page.click(f"#awaiting-sbom a[href='/console/purchases/{purchase}/sboms']")
        await page.wait_for_url(f"{served}/console/purchases/{purchase}/sboms")
        # when the vendor sends a broken document, the error shows its JSON pointer
        await page.set_input_files("#document", str(broken))
        await page.click("#sbom-upload button[type=submit]")
        await page.wait_for_selector("#problems li")
        assert "/components" in await page.inner_text("#problems")
        # when it sends a good one, the bar fills and the outcome is said
        await page.set_input_files("#document", str(good))
        await page.click("#sbom-upload button[type=submit]")
        await page.wait_for_selector("#reload:not([hidden])")
        assert stored in await page.inner_text("#status")
        assert await page.eval_on_selector("#progress", "p => p.value") == 100
        await page.click("#reload a")
        await page.wait_for_selector("table.quality")
        assert gap in await page.inner_text("table.quality")
        await snapshot(page, "sboms-vendor", lang)


@pytest.fixture
def served_with_every_upload_as_a_job(db: DatabaseUnderTest) -> Iterator[str]:
    """The app with PROCUREMENT_SBOM_ASYNC_BYTES at 1: every SBOM upload is answered 202 with
    the job that stores it (on SQLite the app's own worker runs it)."""
    with live_server(db.url, settings={"PROCUREMENT_SBOM_ASYNC_BYTES": "1"}) as base_url:
        yield base_url


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_vendors_large_upload_is_followed_as_a_job_until_stored(
    served_with_every_upload_as_a_job: str, page_en: Page, db: DatabaseUnderTest, world: World,
    tmp_path: Path,
) -> None:  # fmt: skip
    # given a vendor on its purchase's SBOM page, and an upload the app hands to a job
    served = served_with_every_upload_as_a_job
    await make_account(db, "huaxin", Role.VENDOR, name="Huaxin", vendor_id=world.vendor_cn)
    sbom = tmp_path / "router.cdx.json"
    sbom.write_bytes(firmware_sbom([maven("com.acme", "zlib", "1.3")]))
    path = f"/console/purchases/{world.purchase_a_cn}/sboms"
    await sign_in_through_the_page(page_en, served, path, login="huaxin")
    # when the vendor sends it
    await page_en.set_input_files("#document", str(sbom))
    await page_en.click("#sbom-upload button[type=submit]")
    # then the page links the job, follows it to its end and says what was stored
    await page_en.wait_for_selector("#job-link:not([hidden])")
    link = await page_en.get_attribute("#job-link", "href")
    assert link is not None and link.startswith("/console/jobs/")
    await page_en.wait_for_selector("#reload:not([hidden])")
    assert await page_en.inner_text("#status") == (
        "Stored as version 1 of “cn.huaxin/router-firmware”: 1 components, quality 100."
    )
    assert await page_en.eval_on_selector("#progress", "p => p.value") == 100


async def test_a_vendor_typing_another_vendors_purchase_gets_not_found(
    served: str, page_zh: Page, db: DatabaseUnderTest, world: World
) -> None:
    await make_account(db, "northwind", Role.VENDOR, name="Northwind", vendor_id=world.vendor_us)
    await sign_in_through_the_page(page_zh, served, "/", login="northwind")
    response = await page_zh.goto(f"{served}/console/purchases/{world.purchase_a_cn}")
    assert response is not None and response.status == 404
    assert await page_zh.inner_text("h1") == "未找到"
    assert "Core routers" not in await page_zh.content()
    await snapshot(page_zh, "not-found", "zh")


async def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(
    served: str, page_en: Page, db: DatabaseUnderTest, world: World
) -> None:
    await buyer_account(db, world)
    await sign_in_through_the_page(page_en, served, "/console/purchases/new", login="buyer")
    await fill_purchase(page_en, world, "Forged purchase")
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the form loses its token (as a form on another site would not have it)
    await page_en.eval_on_selector("#purchase-form input[name=csrf]", "e => e.remove()")
    await page_en.click("#purchase-form button[type=submit]")
    # then the refusal page is shown and nothing changed
    await page_en.wait_for_selector("h1:text('Refused')")
    async with db.sessions() as session:
        after = await row_counts(session)
    assert after == before
