"""The domain's sentences in the console's Chinese catalog: every message id translated with the
same parameters, citations in the official texts' wording, deadlines and exposure bases."""

from __future__ import annotations

import string
from datetime import date

import pytest

from procurement.enums import DeclarationMaterial
from procurement.errors import InputError
from procurement.reviews.calendar import DateRange
from procurement.reviews.deadlines import deadline_for
from procurement.reviews.state_machine import CaseState, FileDeclaration, transition
from procurement.web.console.domain_texts import (
    TEMPLATES,
    Said,
    _citations,
    chinese_article,
    speaker,
)
from procurement.web.i18n import translations

ZH = speaker("zh-CN")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("message_id", sorted(TEMPLATES))
def test_every_message_id_has_a_chinese_translation_with_its_parameters(message_id: str) -> None:
    # given a domain message (a new id fails here until the catalog translates it)
    template = TEMPLATES[message_id]
    # when the console's catalog translates it
    chinese = translations("zh-CN").gettext(template)
    # then there is a translation, using only the template's parameters (it may leave one out:
    # the Chinese of the applicability notes names the category, not its raw enum value)
    assert chinese != template, f"{message_id} is not translated (scripts/update_catalog.py)"
    assert fields(chinese) <= fields(template)
    assert fields(template) - fields(chinese) <= {"code"}


def test_every_citation_is_translated_and_names_the_law() -> None:
    for english, chinese in _citations("zh-CN").items():
        assert chinese != english
        assert chinese.startswith(("《关键信息基础设施安全保护条例》第", "《网络安全审查办法》第",
                                   "《中华人民共和国网络安全法》第"))  # fmt: skip


@pytest.mark.parametrize(
    ("number", "chinese"),
    [
        ("19", "第十九条"),
        ("20", "第二十条"),
        ("41", "第四十一条"),
        ("39(9)", "第三十九条第（九）项"),
        ("10(1)", "第十条第（一）项"),
        ("201", "第二百零一条"),
        ("110", "第一百一十条"),
    ],
)
def test_article_numbers_as_the_chinese_texts_write_them(number: str, chinese: str) -> None:
    assert chinese_article(number) == chinese


def test_unknown_citation_stays_english() -> None:
    basis = "CII Regulations Art. 19; Some Other Rule Art. 3"
    assert ZH.cite(basis) == Said(basis, "en")


def test_deadline_basis_and_warning_in_chinese() -> None:
    # given a special review of a complex case, with a pause for materials, in a year without
    # a holiday schedule
    deadline = deadline_for(
        CaseState.SPECIAL_REVIEW,
        date(2031, 3, 3),
        complex=True,
        pauses=[DateRange(date(2031, 3, 10), date(2031, 3, 14))],
    )
    assert deadline is not None
    # then the English is what the API says, and the Chinese says the same
    assert deadline.basis == (
        "Review Measures Arts. 13-14: 90 working days from the start of the special review "
        "procedure; supplementary-material periods excluded (Review Measures Art. 15; the request "
        "day counts, Civil Code Art. 201)"
    )
    assert ZH(deadline.basis_text, deadline.basis) == Said(
        "《网络安全审查办法》第十三条、第十四条：自启动特别审查程序之日起 90 个工作日；"
        "不计入补充、更正材料的时间（《网络安全审查办法》第十五条；提出要求当日计入，"
        "《中华人民共和国民法典》第二百零一条）"
    )
    assert [w.text for w in ZH.each(deadline.warning_texts, deadline.warnings)] == [
        "2031 年的中国节假日安排未知：按周一至周五为工作日计算，未计入法定节假日和调休上班的周末；"
        "在载入 2031 年节假日安排之前，该日期为暂定",
        "《网络安全审查办法》第十三条、第十四条：情况复杂的可以延长，延长期限由网络安全审查办公室决定；"
        "截止日期仅按基本的 90 个工作日计算",
    ]
    assert len(deadline.warnings) == 2


def test_a_refused_review_step_says_why_in_chinese() -> None:
    # given a declaration filed with only the declaration form
    event = FileDeclaration(date(2025, 4, 3), frozenset({DeclarationMaterial.DECLARATION_FORM}))
    # when the state machine refuses it
    with pytest.raises(InputError) as refused:
        transition(CaseState.DECLARATION_PREPARED, event)
    [error] = refused.value.errors
    # then the API's English names the materials and their bases, as before
    assert error.message == (
        "cannot file the declaration, materials missing: IMPACT_ANALYSIS_REPORT (Review Measures "
        "Art. 8(2)), PROCUREMENT_DOCUMENTS (Review Measures Arts. 8(3), 6)"
    )
    # and the console's Chinese names them as the Measures do
    assert ZH(error.text, error.message) == Said(
        "无法提交申报，缺少材料：关于影响或者可能影响国家安全的分析报告（《网络安全审查办法》第八条第（二）项）、"
        "采购文件、协议、拟签订的合同等（《网络安全审查办法》第八条第（三）项、第六条）。"
    )
