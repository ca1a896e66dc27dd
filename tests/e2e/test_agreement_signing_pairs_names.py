"""Issue 9, Art. 20 agreements through the API: due dates counted from signing (clauses 3.2,
11.1, 13.2, 16.3), the zh and en versions as one agreement (clause 16.4), Chinese names."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from procurement.agreements.terms import period_end
from procurement.clock import today_in_china
from tests.support.agreements import (
    FULL_OVERRIDES_GQL,
    PDF_BYTES,
    generate,
    gid,
    multipart,
    paragraph_texts,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, credit_code, gql, row_counts

GENERATE = """mutation($p: ID!, $l: String!, $o: AgreementOverridesInput) {
  generateAgreement(purchaseId: $p, language: $l, overrides: $o) {
    agreement { id number state document { downloadPath } } errors { field message code } } }"""
OBLIGATIONS = """query($id: ID!) { node(id: $id) { ... on Agreement {
  state signedOn obligations { code dueOn dueRule } } } }"""
PAIR = """query($id: ID!) { node(id: $id) { ... on Agreement {
  number state language prevails sentOn signedOn supersededBy { id }
  document { downloadPath } obligations { id }
  languageVersions { id number language state } } } }"""
SENT = """mutation($id: ID!, $d: Date!) { recordAgreementSent(id: $id, sentOn: $d) {
  agreement { state } errors { field message code } } }"""
SIGNED = """mutation($id: ID!, $d: Date!, $s: [SignatoryInput!]!, $f: Upload!) {
  recordAgreementSigned(id: $id, signedOn: $d, signatories: $s, signedCopy: $f) {
    agreement { state } errors { field message code } } }"""
PEOPLE = [{"name": "Zhang Wei", "party": "OPERATOR"}, {"name": "Wang Min", "party": "PROVIDER"}]


async def _sign(client: httpx.AsyncClient, secret: str, agreement: str, on: date) -> Any:
    variables = {"id": agreement, "d": str(on), "s": PEOPLE, "f": None}
    files = {"variables.f": ("signed.pdf", PDF_BYTES, "application/pdf")}
    status, body = await multipart(client, secret, SIGNED, variables, files)
    assert status == 200, body
    return body["data"]["recordAgreementSigned"]


async def test_due_dates_wait_for_the_signature_and_then_run_from_it(
    world: World, client: httpx.AsyncClient
) -> None:
    # given a purchase contracted on 1 March 2025 and its Chinese agreement generated today
    # (regression, issue 9: the draft was born with due dates in March 2025, long overdue)
    legal = world.secrets["legal"]
    purchase = gid("Purchase", world.purchase_a_cn)
    _s, body = await gql(
        client, legal, GENERATE, {"p": purchase, "l": "zh", "o": FULL_OVERRIDES_GQL}
    )
    agreement = body["data"]["generateAgreement"]["agreement"]
    # when its obligations and its document are read before signing
    _s, before = await gql(client, legal, OBLIGATIONS, {"id": agreement["id"]})
    rows = {o["code"]: o for o in before["data"]["node"]["obligations"]}
    headers = {"authorization": f"Bearer {legal}"}
    document = (await client.get(agreement["document"]["downloadPath"], headers=headers)).content
    texts = paragraph_texts(document)
    # then nothing is dated yet: each duty says when it falls due, counted from signing
    assert rows["CONTINUITY_PLAN"] == {
        "code": "CONTINUITY_PLAN", "dueOn": None, "dueRule": "签署生效后 30 日内",
    }  # fmt: skip
    assert rows["MAINTENANCE_PERIOD"]["dueRule"] == "签署生效满 5 年之日的前一日"
    assert rows["VULN_NOTICE"]["dueRule"] is None  # event-triggered: no rule, no date
    assert (
        "1.2\u3000本协议期限自本协议生效之日起至本协议生效满 3 年之日的前一日止。安全维护期按第二条的约定确定，不受本协议期限届满的影响。"
        in texts
    )
    assert texts.count("签署生效后 30 日内") == 3  # continuity plan, personnel, first SBOM
    assert not [t for t in texts if "2025年3月31日" in t]
    # when it is sent and signed two days ago
    signed_on = today_in_china() - timedelta(days=2)
    _s, sent = await gql(client, legal, SENT, {"id": agreement["id"], "d": str(signed_on)})
    assert sent["data"]["recordAgreementSent"]["errors"] == []
    assert (await _sign(client, legal, agreement["id"], signed_on))["errors"] == []
    _s, after = await gql(client, legal, OBLIGATIONS, {"id": agreement["id"]})
    dated = {o["code"]: o for o in after["data"]["node"]["obligations"]}
    # then the dates run from the signature, never from the contract date
    assert dated["CONTINUITY_PLAN"] == {
        "code": "CONTINUITY_PLAN", "dueOn": str(signed_on + timedelta(days=30)), "dueRule": None,
    }  # fmt: skip
    assert dated["MAINTENANCE_PERIOD"]["dueOn"] == str(period_end(signed_on, 5))
    assert min(o["dueOn"] for o in dated.values() if o["dueOn"]) > str(signed_on)


async def test_chinese_and_english_versions_are_one_agreement(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given the Chinese version of an agreement, then its English version
    # (regression, issue 9: generating the English version superseded the Chinese one)
    async with db.sessions() as session:
        zh = gid("Agreement", (await generate(session, world.purchase_a_cn, "zh")).id)
        en = gid("Agreement", (await generate(session, world.purchase_a_cn, "en")).id)
    legal = world.secrets["legal"]

    async def read(node: str) -> dict[str, Any]:
        _s, body = await gql(client, legal, PAIR, {"id": node})
        result: dict[str, Any] = body["data"]["node"]
        return result

    first, second = await read(zh), await read(en)
    # then both are drafts with one number, each pointing at the other, the Chinese prevailing
    assert (first["state"], second["state"]) == ("DRAFT", "DRAFT")
    assert first["number"] == second["number"] == f"SCA-2025-{world.purchase_a_cn:05d}-01"
    assert first["supersededBy"] is None
    assert first["languageVersions"] == [
        {"id": en, "number": first["number"], "language": "en", "state": "DRAFT"}
    ]
    assert [v["id"] for v in second["languageVersions"]] == [zh]
    assert (first["prevails"], second["prevails"]) == (True, False)
    # and one set of obligations is tracked for the pair
    assert second["obligations"] == first["obligations"] and len(first["obligations"]) == 15
    # when sending is recorded on the English version and signing on the Chinese one
    today = today_in_china()
    _s, sent = await gql(client, legal, SENT, {"id": en, "d": str(today)})
    assert sent["data"]["recordAgreementSent"] == {"agreement": {"state": "SENT"}, "errors": []}
    assert (await _sign(client, legal, zh, today))["errors"] == []
    # then the lifecycle was recorded once, for both versions
    first, second = await read(zh), await read(en)
    for version in (first, second):
        assert (version["state"], version["sentOn"], version["signedOn"]) == (
            "SIGNED", str(today), str(today),
        )  # fmt: skip
    # and both documents can be downloaded
    headers = {"authorization": f"Bearer {legal}"}
    for version, heading in (
        (first, "网络安全保密协议"),
        (second, "Security and Confidentiality Agreement"),
    ):
        response = await client.get(version["document"]["downloadPath"], headers=headers)
        assert response.status_code == 200
        assert paragraph_texts(response.content)[0] == heading
    # and the purchase's current agreement is the prevailing (Chinese) version
    query = "query($p: ID!) { purchase(id: $p) { currentAgreement { id } } }"
    _s, current = await gql(client, legal, query, {"p": gid("Purchase", world.purchase_a_cn)})
    assert current["data"]["purchase"]["currentAgreement"] == {"id": zh}


VENDOR = """mutation($id: ID!, $n: String) { updateVendor(id: $id, input: {nameZh: $n}) {
  vendor { name nameZh } errors { field message code } } }"""
PURCHASE = """mutation($id: ID!, $t: String) { updatePurchase(id: $id, input: {titleZh: $t}) {
  purchase { title titleZh } errors { field message code } } }"""
OPERATOR = """mutation { registerOperator(input: {name: "Harbour Power", nameZh: "港湾电力有限公司",
  creditCode: "%s", sector: ENERGY, isCiiOperator: true,
  ciiSystems: [{name: "Grid SCADA", nameZh: "电网监控系统", businessCritical: true}]}) {
  operator { name nameZh ciiSystems { name nameZh } } errors { field message code } } }"""


async def test_chinese_agreement_refuses_english_only_facts_until_chinese_is_recorded(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    admin = world.secrets["admin"]
    purchase = gid("Purchase", world.purchase_a_cn)
    base = {k: v for k, v in FULL_OVERRIDES_GQL.items() if k != "vendor"}
    base["operator"] = {"representative": "张三", "address": "上海市浦东新区世纪大道 100 号"}
    base["vendor"] = {
        "registrationId": "91440300MA5D00011X",
        "address": "深圳市南山区科技园 1 号",
        "contact": "security@huaxin.example.cn",
    }
    base["purchase"] = {"description": "两台核心路由器", "updateChannel": "签名离线升级包"}
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a Chinese agreement is generated from the world's English-only names
    _s, body = await gql(client, admin, GENERATE, {"p": purchase, "l": "zh", "o": base})
    payload = body["data"]["generateAgreement"]
    # then it is refused, each error naming the input that gives the Chinese text; nothing stored
    assert payload["agreement"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("overrides.operator.nameZh", "REQUIRED"),
        ("overrides.vendor.nameZh", "REQUIRED"),
        ("overrides.purchase.titleZh", "REQUIRED"),
        ("overrides.purchase.ciiSystem", "REQUIRED"),
    ]
    assert payload["errors"][1]["message"] == (
        "The provider's name is in English only ('Huaxin Networks'); the Chinese text prevails "
        "(clause 16.4) and must be in Chinese: record the vendor's nameZh (updateVendor) or give "
        "overrides.vendor.nameZh."
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before
    # when the Chinese names are recorded (a name without Chinese is refused) ...
    _s, bad = await gql(
        client, admin, VENDOR, {"id": gid("Vendor", world.vendor_cn), "n": "Huaxin"}
    )
    assert bad["data"]["updateVendor"]["errors"] == [
        {
            "field": "nameZh",
            "message": "must be written in Chinese (it is used in Chinese documents)",
            "code": "INVALID",
        }
    ]
    _s, vendor = await gql(
        client, admin, VENDOR, {"id": gid("Vendor", world.vendor_cn), "n": "华信网络有限公司"}
    )
    _s, bought = await gql(client, admin, PURCHASE, {"id": purchase, "t": "核心路由器"})
    assert vendor["data"]["updateVendor"]["vendor"] == {
        "name": "Huaxin Networks",
        "nameZh": "华信网络有限公司",
    }
    assert bought["data"]["updatePurchase"]["purchase"] == {
        "title": "Core routers",
        "titleZh": "核心路由器",
    }
    _s, registered = await gql(client, admin, OPERATOR % credit_code("91310000MA1FL0XQ0"))
    assert registered["data"]["registerOperator"]["errors"] == [], registered
    assert registered["data"]["registerOperator"]["operator"] == {
        "name": "Harbour Power",
        "nameZh": "港湾电力有限公司",
        "ciiSystems": [{"name": "Grid SCADA", "nameZh": "电网监控系统"}],
    }
    # ... and the operator's name and the system are given for this agreement
    base["operator"] |= {"nameZh": "甲方能源有限公司"}
    base["purchase"] |= {"ciiSystem": "调度监控系统"}
    _s, body = await gql(client, admin, GENERATE, {"p": purchase, "l": "zh", "o": base})
    payload = body["data"]["generateAgreement"]
    assert payload["errors"] == []
    headers = {"authorization": f"Bearer {admin}"}
    document = await client.get(payload["agreement"]["document"]["downloadPath"], headers=headers)
    text = "\n".join(paragraph_texts(document.content))
    # then the Chinese text names everything in Chinese, codes and positions included
    for chinese in (
        "甲方（关键信息基础设施运营者）：甲方能源有限公司",
        "乙方（网络产品和服务提供者）：华信网络有限公司",
        "核心路由器",
        "调度监控系统",
        "类别\n核心网络设备\n",
    ):
        assert chinese in text, chinese
    for english in (
        "Huaxin Networks",
        "Core routers",
        "Operator A",
        "Dispatch SCADA",
        "core-network-equipment",
        "CONTINUITY_PLAN",
    ):
        assert english not in text, english
