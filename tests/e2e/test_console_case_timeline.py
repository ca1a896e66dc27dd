"""A review case's timeline in the page's language: what screening wrote when it opened the case
(the verdict and why), attachments by their Art. 8 material, assignments, and the service's own
actors, in Chinese on a Chinese page; the API keeps its English note."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from procurement.models import ReviewEvent
from tests.e2e.test_console_reviews import case_of, declare, step
from tests.support.console import EN, ZH, reviewer, section
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


def entries(timeline: str) -> list[str]:
    """Each timeline entry's text, tags dropped and whitespace squeezed."""
    items = re.findall(r"<li>(.*?)</li>", timeline, re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]
    return [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+8\)", "T", t) for t in texts]


async def test_the_timeline_speaks_the_page_language(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a case screening opened, declared with its materials and assigned to the reviewer
    await reviewer(client, db, world)
    case_id = await case_of(db, world.purchase_a_cn)
    await declare(client, case_id)
    assert (await step(client, case_id, "assign-me")).status_code == 303
    # when the case page is read in Chinese
    zh = await client.get(f"/console/reviews/{case_id}", headers=ZH)
    # then screening's reasons, the materials, the assignment and the actors are in Chinese
    assert entries(section(zh.text, "timeline")) == [
        "立案时间 : 待初筛 · 2025年4月1日 本机命令行, T 筛查结论为“需评估”（得分 15）："
        "属于审查范围，仅有低或中等级的发现：SBOM_TRANSPARENCY；以下信息未知："
        "vendor.ultimate_parent_country",
        "状态变更 : 待初筛 → 申报材料已准备 · 2025年4月2日 Reviewer, T",
        "已添加附件 Reviewer, T 申报书: declaration_form.pdf",
        "已添加附件 Reviewer, T 关于影响或者可能影响国家安全的分析报告: impact_analysis_report.pdf",
        "已添加附件 Reviewer, T 采购文件、协议、拟签订的合同等: procurement_documents.pdf",
        "状态变更 : 申报材料已准备 → 已申报 · 2025年4月3日 Reviewer, T",
        "已分派 Reviewer, T 已分派给 Reviewer",
    ]
    assert 'lang="en"' not in section(zh.text, "timeline")
    # and in English the page says what the API says
    en = await client.get(f"/console/reviews/{case_id}", headers=EN)
    assert entries(section(en.text, "timeline"))[0] == (
        "Case opened : Awaiting triage · Apr 1, 2025 local command line, T Screening verdict "
        "NEEDS_ASSESSMENT (score 15): in scope with only LOW/MEDIUM findings in "
        "SBOM_TRANSPARENCY; facts unknown: vendor.ultimate_parent_country"
    )
    # and the stored note, which the API returns, is the English as before
    async with db.sessions() as session:
        opened = await session.scalar(
            select(ReviewEvent).where(ReviewEvent.case_id == case_id, ReviewEvent.kind == "OPENED")
        )
    assert opened is not None and opened.note == (
        "Screening verdict NEEDS_ASSESSMENT (score 15): in scope with only LOW/MEDIUM findings in "
        "SBOM_TRANSPARENCY; facts unknown: vendor.ultimate_parent_country"
    )
    assert opened.details is not None and opened.details["message"]["id"] == "screening.case.opened"
