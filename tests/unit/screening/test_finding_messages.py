"""Every screening finding carries a message id that the console renders in Chinese, and the
rendering of a given finding is the exact expected sentence; English stays the API's text."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import orjson
import pytest

from procurement.screening.engine import screen
from procurement.screening.facts import (
    AnalysisState,
    ComponentRef,
    RestrictionEntry,
    ScreeningFacts,
    VulnerabilityFact,
)
from procurement.screening.model import Finding, Ownership, Severity
from procurement.screening.rules import RULE_FUNCTIONS
from procurement.screening.store.rescreen import fingerprint
from procurement.web.console.domain_texts import Said, speaker

FactsFactory = Callable[..., ScreeningFacts]  # the make_facts fixture in conftest.py
UEL = RestrictionEntry(
    subject="Skyline Defense Systems LLC",
    list_name="Unreliable Entity List",
    source="MOFCOM announcement (example)",
    listed_on=date(2024, 1, 2),
    reason="example listing for tests",
    aliases=("Skyline Defence Systems",),
)
ZH, EN = speaker("zh-CN"), speaker("en")


def vulnerability(ident: str, severity: Severity | None) -> VulnerabilityFact:
    return VulnerabilityFact(
        id=ident,
        severity=severity,
        affected_purl="pkg:maven/org.apache.logging.log4j/log4j-core",
        affected_version="2.14.1",
        analysis_state=AnalysisState.EXPLOITABLE,
        source="VEX",
    )


@pytest.fixture
def risky(make_facts: FactsFactory) -> ScreeningFacts:
    """A purchase every rule has something to say about."""
    return make_facts(
        purchase={
            "vendor_remote_maintenance": True,
            "vendor_update_channel": True,
            "handles_core_data": True,
            "handles_important_data": True,
            "handles_personal_information": True,
            "personal_information_subjects": 2_000_000,
            "single_source": True,
            "value_cny": Decimal("25000000.00"),
            "certification_reference": None,
        },
        vendor={
            "name": "Skyline Defence Systems",
            "country": "US",
            "ultimate_parent_country": "US",
            "ultimate_parent_name": "Skyline Holdings",
            "ownership": Ownership.FOREIGN_CONTROLLED,
        },
        sbom={
            "quality_score": 40,
            "components_without_supplier": 30,
            "components": (
                ComponentRef.from_purl("pkg:npm/left-pad@1.3.0", "Skyline Defense Systems"),
            ),
        },
        restriction_list=(UEL,),
        vulnerabilities=(
            vulnerability("CVE-2021-44228", Severity.CRITICAL),
            vulnerability("CVE-2000-0005", None),
        ),
    )


@pytest.fixture
def unknown(make_facts: FactsFactory) -> ScreeningFacts:
    """A purchase whose facts are mostly unrecorded: the missing-fact findings."""
    return make_facts(
        purchase={
            "vendor_remote_maintenance": None,
            "vendor_update_channel": None,
            "handles_core_data": None,
            "handles_important_data": None,
            "handles_personal_information": True,
            "single_source": None,
            "value_cny": None,
            "operator_is_cii": None,
        },
        vendor={"country": None, "ultimate_parent_country": None, "ownership": None},
        sboms=(),
    )


def chinese(found: Finding) -> str:
    assert found.message is not None
    said = ZH(found.to_dict()["message"], found.explanation)
    assert said.lang is None, f"{found.message.id} has no Chinese rendering"
    return said.text


def test_every_rule_finding_has_a_message_with_a_chinese_rendering(
    risky: ScreeningFacts, unknown: ScreeningFacts
) -> None:
    # given purchases that make every rule and the applicability notes speak
    findings = [*screen(risky).findings, *screen(unknown).findings]
    # then every rule is among them
    assert set(RULE_FUNCTIONS) <= {f.rule_id for f in findings}
    for found in findings:
        # and each has a message id, whose Chinese rendering is Chinese and not the English
        text = chinese(found)
        assert text != found.explanation
        assert any("\u4e00" <= c <= "\u9fff" for c in text)
        # and the English page shows exactly the API's explanation
        assert EN(found.to_dict()["message"], found.explanation) == Said(found.explanation)


def only(facts: ScreeningFacts, message_id: str) -> Finding:
    [found] = [f for f in screen(facts).findings if f.message and f.message.id == message_id]
    return found


RM = "《网络安全审查办法》"


def test_restriction_list_finding_in_chinese(risky: ScreeningFacts) -> None:
    found = only(risky, "screening.restriction.vendor")
    assert chinese(found) == (
        "供应商 Skyline Defence Systems 被列入 Unreliable Entity List（2024-01-02）。"
        "被列入清单，是关于提供者遵守中国法律、行政法规情况的发现（" + RM + "第十条第（四）项），"
        "向被列入清单的一方采购本身也可能违反该清单所依据的措施。签约前请核实清单的适用范围；"
        "如其涵盖本产品，未经法务同意不得继续。"
    )


def test_foreign_control_finding_joins_its_reasons_in_chinese(risky: ScreeningFacts) -> None:
    found = only(risky, "screening.foreign.abroad")
    assert chinese(found) == (
        "供应商 Skyline Defence Systems：供应商位于 US；其最终母公司 Skyline Holdings 位于 US；"
        "其所有权记录为外资控制（位于中国大陆以外）。供应和技术支持可能因政治、外交、贸易等因素中断。"
        "请核查是否有替代来源，并确保合同包含" + RM + "第六条规定的承诺"
        "（无正当理由不中断产品供应或者必要的技术支持服务）。"
    )


def test_vulnerability_finding_counts_by_severity_in_chinese(risky: ScreeningFacts) -> None:
    found = only(risky, "screening.vulnerabilities.open_unrated")
    assert chinese(found) == (
        "2 个已知漏洞未经分析确认不影响产品（严重 1 个、中 1 个；其中 1 个未评级，按“中”计）；"
        "最严重的：pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 中的 CVE-2021-44228。"
        "请要求供应商针对每个漏洞提供修复计划或 VEX 声明；"
        "可被利用的缺陷可能让攻击者控制关键信息基础设施系统。"
    )


def test_personal_information_finding_in_chinese(risky: ScreeningFacts) -> None:
    found = only(risky, "screening.data.personal_above")
    assert chinese(found) == (
        "采购 P-1 处理 2,000,000 人的个人信息，超过大量个人信息的阈值 1,000,000（规则集 v1）。"
        "请核实数据存储在何处、谁能接触，并要求数据留存在中国境内，未经运营者批准供应商不得访问。"
    )


def test_missing_fact_finding_nests_question_and_reason_in_chinese(
    unknown: ScreeningFacts,
) -> None:
    [found] = [
        f for f in screen(unknown).findings if f.missing_facts == ("purchase.single_source",)
    ]
    assert chinese(found) == (
        "未知：是否存在替代供应商（purchase.single_source）。"
        "请记录：关键系统只有单一来源属于" + RM + "第十条第（二）项所列风险。"
    )


def test_certification_finding_cites_the_csl_in_its_own_words(risky: ScreeningFacts) -> None:
    found = only(risky, "screening.certification.missing")
    assert chinese(found).startswith(
        "采购 P-1 属于核心网络设备：网络关键设备和网络安全专用产品应当按照相关国家标准的强制性要求，"
        "由具备资格的机构安全认证合格或者安全检测符合要求后，方可销售或者提供"
        "（《中华人民共和国网络安全法》第二十三条"
    )
    assert ZH.cite(found.legal_basis) == Said(
        RM + "第十条第（四）项；《中华人民共和国网络安全法》第二十三条；"
        "《关键信息基础设施安全保护条例》第十九条"
    )


def test_stored_finding_round_trips_through_json(risky: ScreeningFacts) -> None:
    found = only(risky, "screening.sbom.no_supplier")
    stored = orjson.loads(orjson.dumps(found.to_dict()))
    assert stored["explanation"] == found.explanation  # the API's text is unchanged
    assert ZH(stored["message"], stored["explanation"]) == Said(
        "SBOM hd-router-fw 4.2：120 个组件中有 30 个（25%）未注明供应商，"
        "因此无法对照限制清单核查其来源。请要求供应商补充供应商信息。"
    )


@pytest.mark.parametrize(
    "stored",
    [
        None,  # stored before messages had ids
        {"id": "screening.no_such_message", "params": {}},  # an id since removed
        {"id": "screening.sbom.none", "params": {"wrong": "P-1"}},  # parameters it does not take
        {"id": "screening.sbom.none"},  # damaged: no parameters at all
        "screening.sbom.none",  # damaged: not an object
    ],
)
def test_finding_that_cannot_be_rendered_falls_back_to_english(stored: object) -> None:
    english = "No SBOM has been supplied for purchase P-1."
    assert ZH(stored, english) == Said(english, "en")  # type: ignore[arg-type]
    assert EN(stored, english) == Said(english)  # type: ignore[arg-type]


def test_message_ids_do_not_change_a_results_fingerprint(risky: ScreeningFacts) -> None:
    # given a result, and the same result as stored before findings had message ids
    result = screen(risky)
    legacy = result.to_dict()
    for found in legacy["findings"]:
        del found["message"]
    # then both have one fingerprint: re-screening after the upgrade changes no outcome
    expected = hashlib.sha256(orjson.dumps(legacy, option=orjson.OPT_SORT_KEYS)).hexdigest()
    assert fingerprint(result) == expected
