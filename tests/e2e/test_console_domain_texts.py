"""The purchase page says its findings and exposure bases in the page's language: Chinese from
the catalog through the findings' message ids, English as the API says it; a finding stored
before it had a message id is shown in English, marked as such."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from procurement.enums import PurchaseStatus
from procurement.models import Purchase, ScreeningRecord
from tests.support.accounts import form_csrf
from tests.support.console import EN, ZH, buyer, field_error, lawyer, section
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

# The Art. 39(9) tier that needs a refusal or harm: in force since 2021, whatever today is.
ZH_BASIS = (
    "<td>《关键信息基础设施安全保护条例》第三十九条第（九）项（拒不改正或者导致危害网络安全等后果的）："
    "固定幅度 CNY 100,000.00 - 1,000,000.00；仅对直接负责的主管人员处 CNY 10,000.00 - 100,000.00</td>"
)
EN_BASIS = (
    "<td>CII Regulations Art. 39(9) (if rectification is refused or harm results): fixed range "
    "CNY 100,000.00 - 1,000,000.00; CNY 10,000.00 - 100,000.00 on the person in charge only</td>"
)


async def test_purchase_page_in_chinese_shows_chinese_findings_and_bases(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given procurement staff and a purchase without an SBOM
    await buyer(client, db, world)
    pid = world.purchase_a_cn
    # when they open its page in Chinese
    page = await client.get(f"/console/purchases/{pid}", headers=ZH)
    # then the finding's explanation and its legal basis are Chinese, in the regulation's words
    screening = section(page.text, "screening")
    assert (
        f"<p>采购 {pid} 尚未提供 SBOM，因此无法核查其组件、组件来源和已知漏洞。"
        "请要求供应商上传 CycloneDX SBOM。</p>"
    ) in screening
    assert (
        '<p class="hint">《网络安全审查办法》第十条第（三）项；'
        "《关键信息基础设施安全保护条例》第十九条</p>"
    ) in screening
    # and so is the basis of each exposure item
    exposure = section(page.text, "exposure")
    assert ZH_BASIS in exposure
    # and nothing there is left in English
    assert 'lang="en"' not in screening + exposure


async def test_purchase_page_in_english_shows_the_apis_english(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    await buyer(client, db, world)
    pid = world.purchase_a_cn
    page = await client.get(f"/console/purchases/{pid}", headers=EN)
    screening = section(page.text, "screening")
    assert (
        f"<p>No SBOM has been supplied for purchase {pid}, so its components, their origin and "
        "known vulnerabilities cannot be checked. Ask the vendor to upload a CycloneDX SBOM.</p>"
    ) in screening
    assert '<p class="hint">Review Measures Art. 10(3); CII Regulations Art. 19</p>' in screening
    assert EN_BASIS in section(page.text, "exposure")


async def test_finding_stored_without_a_message_id_is_shown_in_english_on_a_chinese_page(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a screening stored before findings had message ids
    async with db.sessions() as session:
        record = (
            await session.execute(
                select(ScreeningRecord).where(
                    ScreeningRecord.purchase_id == world.purchase_a_cn,
                    ScreeningRecord.superseded_at.is_(None),
                )
            )
        ).scalar_one()
        record.findings = [{k: v for k, v in f.items() if k != "message"} for f in record.findings]
        await session.commit()
    await buyer(client, db, world)
    # when the page is opened in Chinese
    page = await client.get(f"/console/purchases/{world.purchase_a_cn}", headers=ZH)
    # then the explanation is the stored English, marked as English
    screening = section(page.text, "screening")
    assert (
        f'<p lang="en">No SBOM has been supplied for purchase {world.purchase_a_cn}, so its '
        "components"
    ) in screening
    assert "尚未提供 SBOM" not in screening


async def test_agreement_generation_names_each_missing_fact_in_chinese(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given legal staff on a purchase's agreements page in Chinese
    await lawyer(client, db, world)
    url = f"/console/purchases/{world.purchase_a_cn}/agreements"
    page = await client.get(url, headers=ZH)
    form = {"csrf": form_csrf(page.text), "template": "security-agreement", "language": "zh"}
    # when they generate with no facts filled in
    refused = await client.post(url, data=form, headers=ZH)
    # then each missing fact is named at its field, in Chinese, with where to record it
    assert refused.status_code == 422
    assert field_error(refused.text, "vendor.registration_id") == (
        "请填写提供者注册号：协议中要用到。请在供应商信息中记录，或在此处填写。"
    )
    # and in English as the API says it
    page = await client.get(url, headers=EN)
    form["csrf"] = form_csrf(page.text)
    refused = await client.post(url, data=form, headers=EN)
    assert field_error(refused.text, "vendor.registration_id") == (
        "Fill in the provider's registration number: the agreement uses it. Record it on the "
        "vendor (updateVendor) or give it in overrides."
    )


async def test_why_a_purchase_has_no_exposure_is_said_in_chinese(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a cancelled purchase
    async with db.sessions() as session:
        purchase = await session.get(Purchase, world.purchase_a_cn)
        assert purchase is not None
        purchase.status = PurchaseStatus.CANCELLED
        await session.commit()
    await buyer(client, db, world)
    pid = world.purchase_a_cn
    # when its page is opened, then the exposure panel says why there is no figure
    zh = section((await client.get(f"/console/purchases/{pid}", headers=ZH)).text, "exposure")
    assert f'<p class="hint">采购 {pid} 已取消：仅对有效的采购评估处罚风险</p>' in zh
    en = section((await client.get(f"/console/purchases/{pid}", headers=EN)).text, "exposure")
    assert (
        f'<p class="hint">purchase {pid} is cancelled: exposure is assessed for active purchases '
        "only</p>"
    ) in en


async def test_the_exposure_page_says_why_a_purchase_is_unpriced_in_chinese(
    console: httpx.AsyncClient, world: World
) -> None:
    # given no USD rate: the US purchase cannot be priced
    page = await console.get("/console/exposure?as_of=2025-06-01", headers=ZH)
    # then the reason is said in Chinese, not in English
    unpriced = section(page.text, "unpriced")
    assert "没有 " in unpriced and " 有效的 USD 兑人民币汇率；请添加自 " in unpriced
    assert 'lang="en"' not in unpriced
