"""What screening writes into a review case's timeline renders in Chinese from its message ids,
and its English is exactly the note the API has always returned."""

from __future__ import annotations

from procurement.screening.messages import TEMPLATES
from procurement.screening.model import ScreeningResult, Verdict
from procurement.screening.rules.common import text
from procurement.screening.timeline import case_opened, verdict_changed
from procurement.texts import english
from procurement.web.console.domain_texts import speaker


def yes_result() -> ScreeningResult:
    reason = text(
        "screening.reason.yes",
        code=text("screening.category_code.MASS_STORAGE_DEVICE"),
        rules="FOREIGN_CONTROL, VULNERABILITY",
    )
    return ScreeningResult(
        verdict=Verdict.YES,
        score=45,
        findings=(),
        reasons=(english(reason, TEMPLATES),),
        ruleset_version=1,
        reason_messages=(reason,),
    )


def test_a_case_opened_for_a_yes_verdict_in_both_languages() -> None:
    # given a YES result whose reason names the purchase's category
    result = yes_result()
    # when the opening entry is rendered
    message = case_opened(result)
    # then the English is the API's note, and the Chinese names the category in words
    assert english(message, TEMPLATES) == (
        "Screening verdict YES (score 45): CII operator, Art. 21 category MASS_STORAGE_DEVICE, "
        "HIGH/CRITICAL findings in FOREIGN_CONTROL, VULNERABILITY"
    )
    assert speaker("zh-CN")(message, "unused").text == (
        "筛查结论为“可能影响国家安全”（得分 45）：关键信息基础设施运营者采购《网络安全审查办法》"
        "第二十一条所列的大容量存储设备，以下规则有高或严重等级的发现：FOREIGN_CONTROL, VULNERABILITY"
    )


def test_a_changed_verdict_names_both_verdicts_in_chinese() -> None:
    # given a case whose purchase was NEEDS_ASSESSMENT and is now YES
    message = verdict_changed(Verdict.NEEDS_ASSESSMENT, yes_result())
    # when rendered in Chinese
    said = speaker("zh-CN")(message, "unused")
    # then both verdicts are named as the console names them
    assert said.lang is None
    assert said.text.startswith("筛查结论由“需评估”变为“可能影响国家安全”：关键信息基础设施运营者")
