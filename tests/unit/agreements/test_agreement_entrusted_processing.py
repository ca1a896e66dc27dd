"""The entrusted-processing clause (template version 2): PIPL Art. 21 terms where the provider
processes personal information, the Network Data Security Management Regulations' terms (Art. 12)
where it processes important data, and neither where it processes none (issue 9)."""

from __future__ import annotations

import dataclasses

import pytest
from agreement_testkit import paragraph_texts

from contract_templates import find_template, template_bytes
from procurement.agreements.context import AgreementFacts, build_context
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.render import render
from procurement.agreements.sample import sample_facts

PIPL = {
    "zh": "《中华人民共和国个人信息保护法》第二十一条",
    "en": "Article 21 of the Personal Information",
}
NDSMR = {"zh": "《网络数据安全管理条例》第十二条", "en": "Article 12 of the Network Data Security"}
# The clause is the sixth; its first sub-clause states purpose, duration, method and scope.
HEADING = {
    "zh": "第六条\u3000委托处理个人信息和重要数据",
    "en": "Clause 6\u3000Entrusted Processing",
}


def _facts(*, pi: bool, important: bool) -> AgreementFacts:
    facts = sample_facts()
    purchase = dataclasses.replace(
        facts.purchase,
        handles_personal_information=pi,
        personal_information_volume=120_000 if pi else 0,
        handles_important_data=important,
        personal_information_categories="姓名、手机号码、用电户号" if pi else "",
        important_data_scope="省级电网调度运行数据" if important else "",
    )
    return dataclasses.replace(facts, purchase=purchase)


def _clause(facts: AgreementFacts, language: str) -> list[str]:
    """The paragraphs of clause 6 in the rendered shipped template."""
    context = build_context(
        facts, derive_obligations(facts.purchase, facts.terms, language), language
    )
    texts = paragraph_texts(
        render(template_bytes(find_template("security-agreement", language)), context)
    )
    start = next(i for i, t in enumerate(texts) if t.startswith(HEADING[language]))
    end = next(i for i, t in enumerate(texts) if i > start and t.startswith(("第七条", "Clause 7")))
    return [t for t in texts[start + 1 : end] if t]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_personal_information_brings_the_pipl_article_21_terms(language: str) -> None:
    # given a purchase whose provider processes personal information, no important data
    facts = _facts(pi=True, important=False)
    # when the agreement is rendered
    clause = _clause(facts, language)
    body = "\n".join(clause)
    # then the clause fixes purpose, duration, method, categories, protection, supervision,
    # return or deletion, no sub-entrustment, and cites PIPL Art. 21 only
    assert [t.split("\u3000")[0] for t in clause] == [
        "6.1",
        "6.2",
        "6.3",
        "6.4",
        "6.5",
        "6.6",
        "6.7",
    ]
    expected_zh = [
        "处理目的为仅限于向甲方提供附件一所列产品和服务",
        "处理期限为本协议期限",
        "处理方式为按照甲方的书面指示",
        "受托数据的种类和范围为个人信息：姓名、手机号码、用电户号。",
        "乙方应采取加密、去标识化、访问控制",
        "甲方有权对乙方处理受托数据的活动进行监督",
        "将受托数据（包括备份和副本）返还甲方或者予以删除，不得保留",
        "未经甲方书面同意，乙方不得转委托他人处理受托数据",
        "乙方应协助甲方响应个人查阅、复制、更正、删除其个人信息等请求",
    ]
    expected_en = [
        "the purpose is only as needed to supply the products and services in Schedule 1",
        "the duration is the term of this Agreement",
        "the method is storage, use, processing and transmission",
        "the categories and scope of the Entrusted Data are personal information: 姓名、手机号码、用电户号.",
        "encryption, de-identification, access control",
        "The Operator may supervise the Provider's processing of the Entrusted Data",
        "return the Entrusted Data (backups and copies included) to the Operator or delete it, keep none of it",
        "shall not entrust the processing of Entrusted Data to anyone else without the Operator's prior written consent",
        "help the Operator answer requests from individuals",
    ]
    for phrase in expected_zh if language == "zh" else expected_en:
        assert phrase in body, phrase
    assert PIPL[language] in clause[-1]
    assert NDSMR[language] not in body
    assert ("重要数据的" if language == "zh" else "includes important data") not in body


@pytest.mark.parametrize("language", ["zh", "en"])
def test_important_data_brings_the_regulations_terms(language: str) -> None:
    # given a purchase whose provider processes important data, no personal information
    clause = _clause(_facts(pi=False, important=True), language)
    body = "\n".join(clause)
    # then the scope of the important data, the risk assessment and the ban on onward provision
    # appear, citing the Regulations (Art. 12) and not PIPL Art. 21
    scope = {"zh": "重要数据：省级电网调度运行数据", "en": "important data: 省级电网调度运行数据"}
    onward = {
        "zh": "未经甲方书面同意不得向任何第三方提供重要数据",
        "en": "shall not provide important data to any third party without the Operator's written consent",
    }
    assert scope[language] in body and onward[language] in body
    assert NDSMR[language] in clause[-1]
    assert PIPL[language] not in body
    assert ("个人查阅" if language == "zh" else "requests from individuals") not in body


@pytest.mark.parametrize("language", ["zh", "en"])
def test_both_kinds_cite_both_and_none_needs_a_supplement(language: str) -> None:
    # given a purchase with both kinds of data, and one with neither
    both = _clause(_facts(pi=True, important=True), language)
    neither = _clause(_facts(pi=False, important=False), language)
    # then the first cites both laws; the second has one sub-clause: no entrusted data, and any
    # future processing needs a written supplement first
    assert PIPL[language] in both[-1] and NDSMR[language] in both[-1]
    assert len(neither) == 1
    assert neither[0].startswith(
        "6.1\u3000双方确认，乙方提供所供产品和服务不涉及受托处理"
        if language == "zh"
        else "6.1\u3000The Parties confirm that supplying the Supplied Products and Services does not"
    )
    assert PIPL[language] not in neither[0] and NDSMR[language] not in neither[0]
