"""The reviewer's and the lawyer's main jobs in the console, from sign-in to result, in a real
browser: a reviewer (in Chinese) opens a case from the queue, triages it, attaches the Art. 8
materials and files the declaration, then reads its deadline; a lawyer (in English) opens an
unsigned purchase from the home page, generates its agreement with the overrides form and
downloads the .docx by clicking. The fixtures fail a test whose page reaches for another host."""

from __future__ import annotations

import asyncio
from pathlib import Path

from playwright.async_api import Page

from procurement.enums import Role
from tests.browser.conftest import sign_in_through_the_page, snapshot
from tests.support.accounts import make_account
from tests.support.agreements import FULL_OVERRIDES
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import open_case_id
from tests.support.world import World

MATERIALS = ("DECLARATION_FORM", "IMPACT_ANALYSIS_REPORT", "PROCUREMENT_DOCUMENTS")


async def test_a_reviewer_files_a_declaration_in_chinese(
    served: str, page_zh: Page, db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    await make_account(db, "reviewer", Role.REVIEWER, name="Zhao Lei", operator_id=world.operator_a)
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_cn)
    await sign_in_through_the_page(page_zh, served, "/", login="reviewer")
    assert await page_zh.inner_text("#overdue-cases h2") == "已逾期的审查案件 (0)"
    # when the reviewer opens the case from the queue
    await page_zh.click("nav >> text=审查")
    await page_zh.wait_for_url(f"{served}/console/reviews")
    await page_zh.click(f"#queue a[href='/console/reviews/{case_id}']")
    await page_zh.wait_for_url(f"{served}/console/reviews/{case_id}")
    # and decides to prepare the declaration
    await page_zh.fill("#prepare-on", "2025-04-02")
    await page_zh.click("#step-prepare button[type=submit]")
    await page_zh.wait_for_selector("#state:text('申报材料已准备')")
    # and attaches each Art. 8 material
    for material in MATERIALS:
        document = tmp_path / f"{material.lower()}.pdf"
        document.write_bytes(f"%PDF-1.4 {material}".encode())
        await page_zh.select_option("#attach-material", material)
        await page_zh.set_input_files("#attach-file", str(document))
        await page_zh.click("#step-attach button[type=submit]")
        await page_zh.wait_for_selector(f"#material-{material} >> text={document.name}")
    # and records the filing
    await page_zh.fill("#declare-on", "2025-04-03")
    await page_zh.click("#step-declare button[type=submit]")
    # then the case is declared and its deadline says how it was counted
    await page_zh.wait_for_selector("#state:text('已申报')")
    assert await page_zh.inner_text("#due") == "2025年4月18日到期已逾期"
    assert "自2025年4月3日起计 10 个工作日" in await page_zh.inner_text("#counted")
    await snapshot(page_zh, "review-case", "zh")


async def test_a_lawyer_generates_an_agreement_and_downloads_it_in_english(
    served: str, page_en: Page, db: DatabaseUnderTest, world: World
) -> None:
    await make_account(db, "lawyer", Role.LEGAL, name="Sun Li", operator_id=world.operator_a)
    await sign_in_through_the_page(page_en, served, "/", login="lawyer")
    purchase = world.purchase_a_cn
    # when the lawyer opens an unsigned purchase's agreements from the home page
    await page_en.click(f"#unsigned a[href='/console/purchases/{purchase}/agreements']")
    await page_en.wait_for_url(f"{served}/console/purchases/{purchase}/agreements")
    # and generates one in Chinese, giving the facts the service does not hold
    await page_en.select_option("#language", "zh")
    for path, value in FULL_OVERRIDES.items():
        await page_en.fill(f"#{path.replace('.', '-')}", value)
    await page_en.click("#generate-form button[type=submit]")
    # then the draft is listed, and its .docx downloads by clicking
    await page_en.wait_for_selector("section[id^=agreement-] h2:has-text('Draft')")
    async with page_en.expect_download() as started:
        await page_en.click("a.download-docx")
    download = await started.value
    assert download.suggested_filename.endswith(".docx")
    saved = await download.path()
    assert saved is not None
    assert (await asyncio.to_thread(Path(saved).read_bytes))[:2] == b"PK"
    await snapshot(page_en, "agreements", "en")


async def test_a_keyboard_user_triages_a_case(
    served: str, page_en: Page, db: DatabaseUnderTest, world: World
) -> None:
    await make_account(db, "reviewer", Role.REVIEWER, name="Zhao Lei", operator_id=world.operator_a)
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_cn)
    await sign_in_through_the_page(page_en, served, f"/console/reviews/{case_id}", login="reviewer")
    # given the focus on the "no declaration needed" form's date
    await page_en.focus("#not-required-on")
    keys = page_en.keyboard
    await keys.type("04022025")  # a date field takes the digits in the browser's order
    for _ in range(5):  # past the date field's own parts (its picker button)
        await keys.press("Tab")
        if await page_en.evaluate("document.activeElement.id") != "not-required-on":
            break
    assert await page_en.evaluate("document.activeElement.id") == "not-required-justification"
    await keys.type("Below the Art. 21 thresholds")
    await keys.press("Tab")
    assert await page_en.evaluate("document.activeElement.textContent") == (
        "Decide: no declaration needed"
    )
    await keys.press("Enter")
    # then the case is closed with the decision and its justification in the timeline
    await page_en.wait_for_selector("#state:text('Review not required')")
    timeline = await page_en.inner_text("#timeline")
    assert "Awaiting triage → Review not required · Apr 2, 2025" in timeline
    assert "Below the Art. 21 thresholds" in timeline
