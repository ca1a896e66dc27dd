"""Demo agreements for the demo purchases: some signed (with supervision checks), some still in
progress, some purchases without any, so ``purchasesWithoutAgreement`` shows a believable subset.

Loaded through the same services as the API, as the local administrator; idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements.actions.generate import GenerateInput, generate_agreement
from procurement.agreements.actions.signing import (
    SignatoryInput,
    record_agreement_sent,
    record_agreement_signed,
)
from procurement.agreements.actions.supervision import (
    SupervisionCheckInput,
    record_supervision_check,
)
from procurement.agreements.lifecycle import CheckResult
from procurement.files import UploadedFile
from procurement.models import Agreement, AgreementObligation, Operator, Purchase
from procurement.permissions import SYSTEM

# Per operator (by credit code prefix order in demo.OPERATORS): representative, court, signer.
_OPERATOR_FACTS = [
    ("陈建国", "上海市浦东新区", "张伟"),
    ("林晓峰", "天津市滨海新区", "赵丽"),
    ("黄志明", "广州市天河区", "吴刚"),
]
_UPDATE_CHANNEL = {
    "zh": "乙方签名的离线升级包，经甲方测试环境验证后安装",
    "en": "Signed offline update packages, installed after testing in the Operator's lab",
}


@dataclass(frozen=True)
class DemoAgreement:
    title: str  # the demo purchase's title
    language: str
    description: str
    sent_on: date | None = None
    signed_on: date | None = None
    provider_signer: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # further overrides (fact path, text)


AGREEMENTS = [
    DemoAgreement(
        "Core routers for the dispatch backbone",
        "zh",
        "4 台核心路由器、软件许可及三年驻场安全维护",
        date(2025, 3, 10),
        date(2025, 3, 20),
        "王敏",
    ),
    DemoAgreement(
        "Dispatch centre high-performance servers",
        "en",
        "12 compute nodes with management controllers and five years of support",
        extra=(("vendor.contact", "legal@ironclad.example.com"),),
    ),
    DemoAgreement(
        "Billing data storage array",
        "en",
        "All-flash storage array (2 controllers, 400 TB) with replication licences",
        date(2026, 2, 20),
    ),
    DemoAgreement(
        "Distributed database licence for core banking",
        "zh",
        "分布式数据库企业版许可（64 节点）及原厂技术支持",
        date(2025, 11, 25),
        date(2025, 12, 1),
        "陈静",
    ),
    DemoAgreement(
        "Private cloud platform for mobile banking",
        "zh",
        "专属私有云平台（计算、存储、网络）及运维服务",
        date(2026, 1, 16),
        date(2026, 1, 20),
        "李强",
    ),
    DemoAgreement(
        "Next-generation firewalls and IPS",
        "en",
        "Six next-generation firewalls with IPS subscriptions for the core banking zone",
        date(2025, 8, 10),
        date(2025, 8, 20),
        "Jonas Weber",
    ),
    DemoAgreement(
        "Telemetry gateways for pump stations",
        "zh",
        "泵站遥测网关 40 台及配套管理软件",
    ),
]

# Supervision of the dispatch routers agreement: (obligation code, result, day, evidence).
CHECKS = [
    ("SBOM_INITIAL", CheckResult.MET, date(2025, 4, 10), "CycloneDX 1.5 SBOM received"),
    ("CONTINUITY_PLAN", CheckResult.MET, date(2025, 4, 15), "Continuity plan v1.0 received"),
    (
        "PERSONNEL_CHECKS",
        CheckResult.NOT_MET,
        date(2025, 4, 20),
        "Two contractors listed without background-check confirmation",
    ),
]


def stand_in_scan(text: str) -> bytes:
    """A one-page PDF saying what it stands in for (the demo has no real scans)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _overrides(item: DemoAgreement, operator_index: int, purchase: Purchase) -> dict[str, Any]:
    representative, court, _signer = _OPERATOR_FACTS[operator_index]
    return {
        "operator.representative": representative,
        "purchase.description": item.description,
        "purchase.update_channel": _UPDATE_CHANNEL[item.language],
        "terms.governing_place": court,
        **_FACTS.get(item.title, {}),
        **dict(item.extra),
    }


_GRID_ZH = {"operator.name_zh": "华东电网调度有限公司", "vendor.name_zh": "华信网络设备有限公司"}
_BANK_ZH = {"operator.name_zh": "滨海城市商业银行股份有限公司"}
# Facts the demo records hold in English only or not at all: the Chinese text of the names for
# the Chinese agreements (clause 16.4: the Chinese text prevails), and the scope of the data
# entrusted to the provider (PIPL Art. 21; Network Data Security Management Regulations Art. 12).
_FACTS: dict[str, dict[str, str]] = {
    "Core routers for the dispatch backbone": _GRID_ZH
    | {
        "purchase.title_zh": "调度骨干网核心路由器",
        "purchase.cii_system": "电网调度监控系统",
        "purchase.important_data_scope": "电网调度运行数据，以及调度网络的拓扑和设备配置",
    },
    "Dispatch centre high-performance servers": {
        "purchase.important_data_scope": "grid dispatch operating data processed on the servers",
    },
    "Billing data storage array": {
        "purchase.personal_information_categories": "customer names, addresses, meter numbers "
        "and billing records",
    },
    "Distributed database licence for core banking": _BANK_ZH
    | {
        "vendor.name_zh": "上海慧数数据库软件有限公司",
        "purchase.title_zh": "核心银行分布式数据库许可",
        "purchase.cii_system": "核心银行系统",
        "purchase.personal_information_categories": "客户姓名、身份证件号码、手机号码、账户及交易"
        "记录",
        "purchase.important_data_scope": "核心银行账户和交易数据",
    },
    "Private cloud platform for mobile banking": _BANK_ZH
    | {
        "vendor.name_zh": "中云计算服务有限公司",
        "purchase.title_zh": "手机银行专属私有云平台",
        "purchase.cii_system": "手机银行系统",
        "purchase.personal_information_categories": "客户姓名、手机号码、设备标识、登录和交易日志",
        "purchase.important_data_scope": "手机银行业务数据",
    },
    "Telemetry gateways for pump stations": {
        "operator.name_zh": "西江水务集团",
        "vendor.name_zh": "华信网络设备有限公司",
        "purchase.title_zh": "泵站遥测网关",
        "purchase.cii_system": "泵站遥测系统",
    },
}


async def load_demo_agreements(session: AsyncSession, operator_codes: list[str]) -> str:
    """Generate the demo agreements unless the demo operators already have some."""
    operators = {
        row.credit_code: row
        for row in await session.scalars(
            select(Operator).where(Operator.credit_code.in_(operator_codes))
        )
    }
    operator_ids = [operators[code].id for code in operator_codes if code in operators]
    existing = await session.scalar(
        select(Agreement.id)
        .join(Purchase, Purchase.id == Agreement.purchase_id)
        .where(Purchase.operator_id.in_(operator_ids))
        .limit(1)
    )
    if existing is not None or len(operator_ids) != len(operator_codes):
        return ""
    signed = 0
    for item in AGREEMENTS:
        purchase = await session.scalar(
            select(Purchase).where(
                Purchase.title == item.title, Purchase.operator_id.in_(operator_ids)
            )
        )
        assert purchase is not None, item.title
        index = operator_ids.index(purchase.operator_id)
        data = GenerateInput(
            purchase.id, item.language, overrides=_overrides(item, index, purchase)
        )
        agreement = await generate_agreement(session, SYSTEM, data)
        if item.sent_on is not None:
            await record_agreement_sent(session, SYSTEM, agreement.id, item.sent_on)
        if item.signed_on is not None:
            signers = [
                SignatoryInput(_OPERATOR_FACTS[index][2], "OPERATOR"),
                SignatoryInput(item.provider_signer, "PROVIDER"),
            ]
            scan = UploadedFile(
                f"{agreement.number}-signed.pdf",
                "application/pdf",
                stand_in_scan(f"Signed copy of {agreement.number} (demo stand-in)"),
            )
            await record_agreement_signed(
                session, SYSTEM, agreement.id, item.signed_on, signers, scan
            )
            signed += 1
        if item is AGREEMENTS[0]:
            await _supervise(session, agreement.id)
    return (
        f" Generated {len(AGREEMENTS)} agreements ({signed} signed) and "
        f"{len(CHECKS)} supervision checks."
    )


async def _supervise(session: AsyncSession, agreement_id: int) -> None:
    for code, result, day, evidence in CHECKS:
        obligation = await session.scalar(
            select(AgreementObligation.id).where(
                AgreementObligation.agreement_id == agreement_id, AgreementObligation.code == code
            )
        )
        assert obligation is not None, code
        await record_supervision_check(
            session, SYSTEM, SupervisionCheckInput(obligation, result, day, evidence=evidence)
        )
