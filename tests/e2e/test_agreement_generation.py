"""Generating an agreement through the API and downloading it: the .docx reopens with the exact
facts, markup characters in names included, and carries no unrendered tag."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import httpx
import pytest

from procurement.agreements.pdf import find_soffice
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from tests.support.agreements import (
    FULL_OVERRIDES_GQL,
    NASTY_VENDOR,
    NASTY_VENDOR_ZH,
    add_nasty_vendor,
    gid,
    paragraph_texts,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, purchase_input, row_counts

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GENERATE = """mutation G($p: ID!, $lang: String!, $o: AgreementOverridesInput) {
  generateAgreement(purchaseId: $p, language: $lang, overrides: $o) {
    agreement { id number state language templateId templateVersion
                document { fileName contentType sha256 sizeBytes downloadPath } }
    errors { field message code }
  }
}"""


async def _nasty_purchase(db: DatabaseUnderTest, world: World) -> int:
    async with db.sessions() as session:
        vendor = await add_nasty_vendor(session)
        data = purchase_input(
            world.operator_a,
            vendor,
            'Core routers & <edge> "switches"',
            cii_system_id=world.system_a,
            description="2 × 路由器 & <交换机>",
            title_zh='核心路由器 & <边缘> "交换机"',
        )
        return (await purchases.register_purchase(session, SYSTEM, data)).id


def _overrides() -> dict[str, object]:
    # The nasty vendor has its own address, registration number and contact on record.
    return {
        "operator": FULL_OVERRIDES_GQL["operator"],
        "vendor": {"nameZh": NASTY_VENDOR_ZH},
        "purchase": {"updateChannel": "签名离线升级包", "ciiSystem": "调度 SCADA 系统"},
        "terms": {"governingPlace": "上海市浦东新区"},
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh",
            [
                f"乙方（网络产品和服务提供者）：{NASTY_VENDOR_ZH}",
                "国家或地区：中国",
                '住所：上海市 <徐汇区> & "漕河泾" 9 号',
                "法定代表人：张三",
                "人民币 1,200,000.00 元（含税）",
                "2025年3月1日",
                '核心路由器 & <边缘> "交换机"',
                "调度 SCADA 系统",
            ],
        ),
        (
            "en",
            [
                f"The Provider (provider of network products and services): {NASTY_VENDOR}",
                "Country or region: China",
                'Registered address: 上海市 <徐汇区> & "漕河泾" 9 号',
                "Legal representative: 张三",
                "CNY 1,200,000.00 (tax included)",
                "1 March 2025",
                'Core routers & <edge> "switches"',
                "调度 SCADA 系统",
            ],
        ),
    ],
)
async def test_generated_agreement_downloads_with_exact_facts(
    db: DatabaseUnderTest,
    world: World,
    client: httpx.AsyncClient,
    language: str,
    expected: list[str],
) -> None:
    # given a purchase whose vendor and title are full of XML markup characters
    purchase_id = await _nasty_purchase(db, world)
    # when legal generates the agreement and downloads it
    status, body = await gql(
        client,
        world.secrets["legal"],
        GENERATE,
        {"p": gid("Purchase", purchase_id), "lang": language, "o": _overrides()},
    )
    payload = body["data"]["generateAgreement"]
    assert (status, payload["errors"]) == (200, [])
    agreement = payload["agreement"]
    assert agreement["number"] == f"SCA-2025-{purchase_id:05d}-01"
    assert (agreement["state"], agreement["language"]) == ("DRAFT", language)
    assert (agreement["templateId"], agreement["templateVersion"]) == ("security-agreement", 2)
    path = agreement["document"]["downloadPath"]
    response = await client.get(path, headers={"authorization": f"Bearer {world.secrets['legal']}"})
    # then it is the stored .docx, and it reopens with the exact facts
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX
    assert len(response.content) == agreement["document"]["sizeBytes"]
    texts = paragraph_texts(response.content)
    for line in expected:
        assert line in texts, line
    assert "2 × 路由器 & <交换机>" in texts
    assert not [t for t in texts if "{{" in t or "{%" in t]
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if n.startswith("word/"))
    assert b"{{" not in xml and b"{%" not in xml


@pytest.mark.parametrize(
    ("language", "disposition"),
    [
        (
            "zh",
            'attachment; filename="SCA-2025-00001-01_zh.docx"; '
            "filename*=UTF-8''" + quote("网络安全保密协议_SCA-2025-00001-01_zh.docx", safe=""),
        ),
        (
            "en",
            'attachment; filename="Security-and-Confidentiality-Agreement_SCA-2025-00001-01_en.docx"; '
            "filename*=UTF-8''Security-and-Confidentiality-Agreement_SCA-2025-00001-01_en.docx",
        ),
    ],
)
async def test_download_names_the_file_for_every_client(
    world: World, client: httpx.AsyncClient, language: str, disposition: str
) -> None:
    # given an agreement generated for the world's first purchase
    _status, body = await gql(
        client,
        world.secrets["admin"],
        GENERATE,
        {"p": gid("Purchase", world.purchase_a_cn), "lang": language, "o": FULL_OVERRIDES_GQL},
    )
    document = body["data"]["generateAgreement"]["agreement"]["document"]
    # when downloading it
    r = await client.get(
        document["downloadPath"], headers={"authorization": f"Bearer {world.secrets['admin']}"}
    )
    # then the content type is Word's and the name has an ASCII fallback and the exact UTF-8 name
    assert r.status_code == 200
    assert r.headers["content-type"] == DOCX
    assert r.headers["content-disposition"] == disposition
    assert r.headers["cache-control"] == "private, no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert document["contentType"] == DOCX


async def test_missing_facts_name_what_to_fill_in_and_store_nothing(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given the world's purchase, whose vendor has no address, registration number or contact
    async with db.sessions() as session:
        before = await row_counts(session)
    # when generating without overrides
    status, body = await gql(
        client,
        world.secrets["legal"],
        GENERATE,
        {"p": gid("Purchase", world.purchase_a_cn), "lang": "en"},
    )
    # then every missing fact is a field error, and nothing was written
    payload = body["data"]["generateAgreement"]
    assert (status, payload["agreement"]) == (200, None)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("overrides.operator.address", "REQUIRED"),
        ("overrides.operator.representative", "REQUIRED"),
        ("overrides.vendor.registrationId", "REQUIRED"),
        ("overrides.vendor.address", "REQUIRED"),
        ("overrides.vendor.contact", "REQUIRED"),
        ("overrides.purchase.description", "REQUIRED"),
        ("overrides.purchase.updateChannel", "REQUIRED"),
        ("overrides.terms.governingPlace", "REQUIRED"),
    ]
    assert payload["errors"][3]["message"] == (
        "Fill in the provider's registered address: the agreement uses it. "
        "Record it on the vendor (updateVendor) or give it in overrides."
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_bad_overrides_and_language_are_field_errors(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    overrides = FULL_OVERRIDES_GQL | {
        "terms": {"governingPlace": "上海", "termStart": "2025-03-01", "termEnd": "2024-01-01"},
        "contacts": [{"name": " ", "role": "CISO"}],
    }
    status, body = await gql(
        client,
        world.secrets["legal"],
        GENERATE,
        {"p": gid("Purchase", world.purchase_a_cn), "lang": "fr", "o": overrides},
    )
    assert status == 200
    assert [(e["field"], e["code"]) for e in body["data"]["generateAgreement"]["errors"]] == [
        ("overrides.contacts.0.name", "REQUIRED"),
        ("language", "INVALID"),
    ]
    _status, body = await gql(
        client,
        world.secrets["legal"],
        GENERATE,
        {
            "p": gid("Purchase", world.purchase_a_cn),
            "lang": "zh",
            "o": overrides | {"contacts": []},
        },
    )
    assert body["data"]["generateAgreement"]["errors"] == [
        {
            "field": "overrides.terms.termEnd",
            "message": "must be after the term start",
            "code": "INVALID",
        },
        {
            "field": "overrides.contacts",
            "message": "Add at least one security contact: the agreement lists them. "
            "Give it in overrides.",
            "code": "REQUIRED",
        },
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
async def test_pdf_copy_through_libreoffice(world: World, client: httpx.AsyncClient) -> None:
    _status, body = await gql(
        client,
        world.secrets["legal"],
        GENERATE,
        {"p": gid("Purchase", world.purchase_a_cn), "lang": "en", "o": FULL_OVERRIDES_GQL},
    )
    path = body["data"]["generateAgreement"]["agreement"]["document"]["downloadPath"]
    r = await client.get(
        f"{path}?format=pdf", headers={"authorization": f"Bearer {world.secrets['legal']}"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert r.headers["content-disposition"].endswith("_en.pdf")


async def test_pdf_without_libreoffice_is_a_clear_503(
    world: World, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procurement.web import downloads

    monkeypatch.setattr(downloads, "find_soffice", lambda: None)
    _status, body = await gql(
        client,
        world.secrets["legal"],
        GENERATE,
        {"p": gid("Purchase", world.purchase_a_cn), "lang": "en", "o": FULL_OVERRIDES_GQL},
    )
    path = body["data"]["generateAgreement"]["agreement"]["document"]["downloadPath"]
    r = await client.get(
        f"{path}?format=pdf", headers={"authorization": f"Bearer {world.secrets['legal']}"}
    )
    assert (r.status_code, r.json()) == (
        503,
        {"error": "PDF output needs LibreOffice (soffice), which is not installed on this server"},
    )


REGISTER = """mutation R($input: RegisterPurchaseInput!) { registerPurchase(input: $input) {
  purchase { id screening { verdict reasons } exposure { conditionalMax items { article } notes } }
  errors { field } } }"""


async def test_a_purchase_that_is_no_network_product_owes_no_agreement(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    # given office chairs registered as NOT_NETWORK_PRODUCT by operator A
    variables = {
        "input": {
            "vendorId": gid("Vendor", world.vendor_cn),
            "operatorId": gid("Operator", world.operator_a),
            "title": "Office chairs",
            "category": "NOT_NETWORK_PRODUCT",
            "contractValue": {"amount": "50000", "currency": "CNY"},
            "taxIncluded": True,
            "contractDate": "2025-05-01",
            "persons": [{"name": "Zhang", "role": "PERSON_IN_CHARGE"}],
        }
    }
    status, body = await gql(client, world.secrets["admin"], REGISTER, variables)
    assert status == 200 and "errors" not in body, body
    purchase = body["data"]["registerPurchase"]["purchase"]
    # then screening says NO for that reason, and nothing is exposed
    assert purchase["screening"] == {
        "verdict": "NO",
        "reasons": ["not a network product or service: Arts. 19 and 20 do not apply"],
    }
    assert purchase["exposure"]["items"] == [] and purchase["exposure"]["conditionalMax"] == "0.00"
    assert purchase["exposure"]["notes"][0].startswith(
        "no fine exposure: the purchase is not a network product or service"
    )
    # when legal tries to generate an Art. 20 agreement for it
    async with db.sessions() as session:
        before = await row_counts(session)
    status, body = await gql(
        client, world.secrets["legal"], GENERATE, {"p": purchase["id"], "lang": "zh", "o": None}
    )
    # then it is refused, saying why, and nothing is stored
    assert status == 200
    assert body["data"]["generateAgreement"]["errors"] == [
        {
            "field": "purchaseId",
            "message": "the purchase is not a network product or service (category "
            "NOT_NETWORK_PRODUCT): Art. 20 asks for a security confidentiality agreement only "
            "with providers of network products and services; reclassify the purchase if it "
            "is one",
            "code": "INVALID_STATE",
        }
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before
