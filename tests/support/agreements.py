"""Helpers for the agreement tests: complete overrides, multipart requests, .docx text, set-ups."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import docx
import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements.actions import generate as agreements
from procurement.agreements.actions import signing as agreement_lifecycle
from procurement.clock import today_in_china
from procurement.enums import Ownership
from procurement.files import UploadedFile
from procurement.models import Agreement, AgreementObligation
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases, vendors
from schema.core.ids import to_global_id
from tests.support.world import World, purchase_input

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NASTY_VENDOR = "A&B <Systems> \"Ltd\" 'x'"
NASTY_VENDOR_ZH = "甲&乙 <系统> \"有限\" 'x'"
PDF_BYTES = b"%PDF-1.4\n% signed scan stand-in\n%%EOF\n"

# The facts the test world's records lack, as the service takes them (flat fact paths) ...
# The world's records are in English: a Chinese agreement takes the Chinese names from here
# (an English one ignores the *_zh overrides).
FULL_OVERRIDES: dict[str, Any] = {
    "operator.name_zh": "甲方能源有限公司",
    "operator.address": "上海市浦东新区世纪大道 100 号",
    "operator.representative": "张三",
    "vendor.name_zh": "华信网络有限公司",
    "vendor.registration_id": "91440300MA5D00011X",
    "vendor.address": "深圳市南山区科技园 1 号",
    "vendor.contact": "security@huaxin.example.cn",
    "purchase.title_zh": "核心路由器",
    "purchase.description": "两台核心路由器及三年维护（Two core routers, three years of maintenance）",
    "purchase.cii_system": "调度监控系统",
    "purchase.update_channel": "签名离线升级包，经甲方测试后安装",
    "terms.governing_place": "上海市浦东新区",
}
# ... and as GraphQL takes them.
FULL_OVERRIDES_GQL: dict[str, Any] = {
    "operator": {
        "nameZh": "甲方能源有限公司",
        "address": "上海市浦东新区世纪大道 100 号",
        "representative": "张三",
    },
    "vendor": {
        "nameZh": "华信网络有限公司",
        "registrationId": "91440300MA5D00011X",
        "address": "深圳市南山区科技园 1 号",
        "contact": "security@huaxin.example.cn",
    },
    "purchase": {
        "titleZh": "核心路由器",
        "description": "两台核心路由器及三年维护（Two core routers, three years of maintenance）",
        "ciiSystem": "调度监控系统",
        "updateChannel": "签名离线升级包，经甲方测试后安装",
    },
    "terms": {"governingPlace": "上海市浦东新区"},
}


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


def paragraph_texts(document: bytes) -> list[str]:
    """Texts of all body paragraphs (tables included) in order, read back with python-docx."""
    body = docx.Document(io.BytesIO(document)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def signed_copy(name: str = "signed.pdf") -> UploadedFile:
    return UploadedFile(name, "application/pdf", PDF_BYTES)


async def multipart(
    client: httpx.AsyncClient,
    secret: str | None,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, bytes, str]],
) -> tuple[int, dict[str, Any]]:
    """A GraphQL multipart request; ``files`` maps a variable path ("variables.file") to
    (file name, bytes, content type), and that variable is sent as null."""
    mapping = {str(i): [path] for i, path in enumerate(files)}
    parts = {str(i): spec for i, spec in enumerate(files.values())}
    data = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps(mapping),
    }
    headers = {"authorization": f"Bearer {secret}"} if secret else {}
    response = await client.post("/graphql", data=data, files=parts, headers=headers)
    return response.status_code, response.json()


async def add_purchase(session: AsyncSession, world: World, title: str, **changes: Any) -> int:
    data = purchase_input(
        world.operator_a, world.vendor_cn, title, cii_system_id=world.system_a, **changes
    )
    return (await purchases.register_purchase(session, SYSTEM, data)).id


async def add_nasty_vendor(session: AsyncSession) -> int:
    vendor = await vendors.register_vendor(
        session,
        SYSTEM,
        vendors.VendorInput(
            name=NASTY_VENDOR,
            country="CN",
            ownership=Ownership.PRIVATE,
            registration_id="91310000MA1FL8XQ3B",
            address='上海市 <徐汇区> & "漕河泾" 9 号',
            contact_name="王敏",
            contact_email="security@ab.example.cn",
        ),
    )
    return vendor.id


async def generate(
    session: AsyncSession, purchase_id: int, language: str = "zh", **overrides: Any
) -> Agreement:
    data = agreements.GenerateInput(purchase_id, language, overrides=FULL_OVERRIDES | overrides)
    return await agreements.generate_agreement(session, SYSTEM, data)


async def send(session: AsyncSession, agreement_id: int, on: date | None = None) -> Agreement:
    return await agreement_lifecycle.record_agreement_sent(
        session, SYSTEM, agreement_id, on or today_in_china()
    )


async def sign(session: AsyncSession, agreement_id: int, on: date | None = None) -> Agreement:
    people = [
        agreement_lifecycle.SignatoryInput("Zhang Wei", "OPERATOR", "CIO"),
        agreement_lifecycle.SignatoryInput("Wang Min", "PROVIDER", "CEO"),
    ]
    return await agreement_lifecycle.record_agreement_signed(
        session, SYSTEM, agreement_id, on or today_in_china(), people, signed_copy()
    )


@dataclass
class AgreementWorld:
    """Operator A's agreements with vendor CN in every early state."""

    draft: int = 0  # on purchase_a_cn
    sent: int = 0
    signed: int = 0
    sent_purchase: int = 0
    signed_purchase: int = 0
    obligation: int = 0  # an obligation of the signed agreement


async def build_agreements(session: AsyncSession, world: World) -> AgreementWorld:
    a = AgreementWorld()
    a.draft = (await generate(session, world.purchase_a_cn)).id
    a.sent_purchase = await add_purchase(session, world, "Firewalls")
    a.sent = (await send(session, (await generate(session, a.sent_purchase, "en")).id)).id
    a.signed_purchase = await add_purchase(session, world, "Switches")
    signed = await generate(session, a.signed_purchase)
    # Signed on the contract date (1 March 2025): its obligations fall due from 31 March 2025.
    await send(session, signed.id, date(2025, 2, 20))
    a.signed = (await sign(session, signed.id, date(2025, 3, 1))).id
    a.obligation = await obligation_id(session, a.signed, "SBOM_INITIAL")
    return a


async def obligation_id(session: AsyncSession, agreement_id: int, code: str) -> int:
    found = await session.scalar(
        select(AgreementObligation.id).where(
            AgreementObligation.agreement_id == agreement_id, AgreementObligation.code == code
        )
    )
    assert found is not None, code
    return int(found)


def make_docx(*paragraphs: str, base: bytes | None = None) -> bytes:
    """A real .docx: ``base`` (or an empty document) with one paragraph added per argument."""
    document = docx.Document(io.BytesIO(base)) if base is not None else docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
