"""A complete, realistic set of agreement facts, for checking uploaded templates and benchmarks.

Every string is non-empty and the awkward characters (``&``, quotes, CJK) are present on purpose, so
a template rendered with it exercises escaping and every field.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from procurement.agreements.context import (
    AgreementFacts,
    OperatorParty,
    Person,
    ProviderParty,
    PurchaseFacts,
)
from procurement.agreements.terms import default_terms


def sample_facts(*, flags: bool = True) -> AgreementFacts:
    """Sample facts; ``flags`` sets every yes/no fact, so both branches of a template render."""
    purchase = PurchaseFacts(
        title="核心路由器及三年安全维护服务 (Core routers & 3-year maintenance)",
        description="2 台核心路由器、配套软件许可及驻场安全维护",
        category_code="core-network-equipment",
        category_label_zh="核心网络设备",
        category_label_en="Core network equipment",
        contract_value=Decimal("1234567.89"),
        currency="CNY",
        tax_included=True,
        contract_date=date(2025, 3, 1),
        cii_system="省级电力调度数据网",
        handles_personal_information=flags,
        personal_information_volume=120_000 if flags else 0,
        handles_important_data=flags,
        handles_core_data=False,
        remote_maintenance=flags,
        update_channel="供应商签名的离线升级包，经甲方测试后安装",
        single_source=flags,
        personal_information_categories="姓名、手机号码、用电户号" if flags else "",
        important_data_scope="省级电网调度运行数据" if flags else "",
    )
    return AgreementFacts(
        agreement_number="SEC-2025-0042",
        operator=OperatorParty(
            name="某省电力有限公司",
            credit_code="91110000100000000X",
            address="北京市西城区示例路 1 号",
            representative="张三",
        ),
        vendor=ProviderParty(
            name="A&B <Systems> \"Ltd\" 'x'",
            country="中国",
            registration_id="91310000000000000Y",
            address="上海市浦东新区示例大道 88 号",
            contact="security@example.com / 021-00000000",
        ),
        purchase=purchase,
        terms=dataclasses.replace(default_terms(purchase), governing_place="北京市西城区"),
        contacts=(
            Person("李四", "甲方网络安全负责人", "li.si@example.com"),
            Person("王五", "乙方安全联络人", "wang.wu@example.com"),
        ),
    )
