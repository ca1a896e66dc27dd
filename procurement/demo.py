"""A realistic demo data set, loaded through the same services the API uses.

Three operators in different CII Regulations Art. 2 sectors, domestic and foreign vendors (one on a
restriction list), and purchases in every Review Measures Art. 21 category plus a few outside it,
valued in CNY and in foreign currencies, each with its directly responsible persons. Screening runs
through the services as the data is loaded; then a few review cases are moved along with dated
decisions (see :mod:`procurement.demo_reviews`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.clock import pinned_today
from procurement.demo_reviews import walk_review_cases
from procurement.enums import Ownership, PersonRole, PurchaseCategory, Sector
from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import run_inline
from procurement.models import CiiSystem, Operator, ScreeningRecord, Vendor
from procurement.permissions import SYSTEM
from procurement.reference_data import credit_code_check_char
from procurement.registry.actions.operators import CiiSystemInput, OperatorInput, register_operator
from procurement.registry.actions.purchases import PersonInput, PurchaseInput, register_purchase
from procurement.registry.actions.vendors import VendorInput, register_vendor
from procurement.screening.actions.rates import set_exchange_rate
from procurement.screening.actions.restrictions import (
    RestrictionEntryInput,
    RestrictionListInput,
    update_restriction_list,
)


def _credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


OPERATORS = [
    OperatorInput(
        name="华东电网调度有限公司 (East China Grid Dispatch Co., Ltd.)",
        credit_code=_credit_code("91310000MA1FL0001"),
        sector=Sector.ENERGY,
        is_cii_operator=True,
        address="上海市浦东新区世纪大道 100 号",
        cii_systems=[
            CiiSystemInput("Dispatch SCADA", "Grid dispatch supervisory control", True),
            CiiSystemInput(
                "Customer billing", "Electricity billing for 12 million households", True
            ),
        ],
    ),
    OperatorInput(
        name="滨海城市商业银行股份有限公司 (Binhai City Commercial Bank)",
        credit_code=_credit_code("91120000MA05T0002"),
        sector=Sector.FINANCE,
        is_cii_operator=True,
        address="天津市滨海新区金融街 8 号",
        cii_systems=[
            CiiSystemInput("Core banking", "Accounts, deposits, loans", True),
            CiiSystemInput("Mobile banking", "Retail mobile app back end", True),
            CiiSystemInput("Staff intranet", "Internal portal", False),
        ],
    ),
    OperatorInput(
        name="西江水务集团 (Xijiang Water Group)",
        credit_code=_credit_code("91440100MA59W0003"),
        sector=Sector.WATER_CONSERVANCY,
        is_cii_operator=False,  # not (yet) identified as a CII operator
        address="广州市天河区水务路 3 号",
        cii_systems=[CiiSystemInput("Pump station telemetry", None, True)],
    ),
]

VENDORS = [
    VendorInput(
        "华信网络设备有限公司 (Huaxin Network Equipment)",
        "CN",
        Ownership.PRIVATE,
        _credit_code("91440300MA5D00011"),
        None,
        "CN",  # no parent group: it is its own ultimate parent
        "深圳市南山区科技园 1 号",
        "王敏",
        "sales@huaxin.example.cn",
        "+86 755 0000 0001",
    ),
    VendorInput(
        "中云计算服务有限公司 (Zhongyun Cloud)",
        "CN",
        Ownership.STATE,
        _credit_code("91110000MA01C0012"),
        "中国信息产业控股集团",
        "CN",
        "北京市海淀区中关村 5 号",
        "李强",
        "gov@zhongyun.example.cn",
        None,
    ),
    VendorInput(
        "Northwind Storage Systems Inc.",
        "US",
        Ownership.PRIVATE,
        "DE-0045123",
        "Northwind Holdings LLC",
        "US",
        "1 Harbor Way, Boston, MA",
        "Jane Miller",
        "cn-sales@northwind.example.com",
        "+1 617 555 0100",
    ),
    VendorInput(
        "Sentinel Security GmbH",
        "DE",
        Ownership.PRIVATE,
        "HRB 123456",
        None,
        None,
        "Alexanderplatz 1, Berlin",
        "Jonas Weber",
        "contracts@sentinel.example.de",
        None,
    ),
    VendorInput(
        "上海慧数数据库软件有限公司 (Huishu Database)",
        "CN",
        Ownership.FOREIGN_CONTROLLED,
        _credit_code("91310115MA1K00015"),
        "Pacific Data Holdings Ltd.",
        "SG",
        "上海市徐汇区漕河泾 9 号",
        "陈静",
        "legal@huishu.example.cn",
        None,
    ),
    VendorInput(
        "Kestrel Compute K.K.",
        "JP",
        Ownership.PRIVATE,
        "0100-01-123456",
        None,
        None,
        "2-1 Marunouchi, Tokyo",
        "Sato Hiroshi",
        None,
        None,
    ),
    VendorInput(
        "Ironclad Microsystems Ltd.",
        "US",
        Ownership.PRIVATE,
        "US-DE-7788",
        "Ironclad Group",
        "US",
        "100 Silicon Ave, San Jose, CA",
        None,
        None,
        None,
    ),
]


@dataclass(frozen=True)
class DemoPurchase:
    operator: int  # index into OPERATORS
    vendor: int  # index into VENDORS
    system: str | None
    title: str
    category: PurchaseCategory
    value: str
    currency: str
    tax_included: bool
    contract_date: date
    persons: tuple[tuple[str, PersonRole, str], ...]
    core: bool = False
    important: bool = False
    pi_subjects: int | None = None
    remote: bool = False
    updates: bool = False
    single_source: bool = False


_GRID = (
    ("张伟", PersonRole.PERSON_IN_CHARGE, "CIO"),
    ("刘洋", PersonRole.OTHER_RESPONSIBLE, "Head of procurement"),
)
_BANK = (
    ("赵丽", PersonRole.PERSON_IN_CHARGE, "Chief information security officer"),
    ("孙浩", PersonRole.OTHER_RESPONSIBLE, "IT procurement manager"),
    ("周婷", PersonRole.OTHER_RESPONSIBLE, "Head of infrastructure"),
)
_WATER = (("吴刚", PersonRole.PERSON_IN_CHARGE, "Deputy general manager"),)

PURCHASES = [
    DemoPurchase(
        0,
        0,
        "Dispatch SCADA",
        "Core routers for the dispatch backbone",
        PurchaseCategory.CORE_NETWORK_EQUIPMENT,
        "8600000.00",
        "CNY",
        True,
        date(2025, 3, 14),
        _GRID,
        important=True,
        remote=True,
        updates=True,
    ),
    DemoPurchase(
        0,
        6,
        "Dispatch SCADA",
        "Dispatch centre high-performance servers",
        PurchaseCategory.HIGH_PERFORMANCE_COMPUTER_SERVER,
        "1450000.00",
        "USD",
        False,
        date(2025, 6, 2),
        _GRID,
        important=True,
        updates=True,
        single_source=True,
    ),
    DemoPurchase(
        0,
        2,
        "Customer billing",
        "Billing data storage array",
        PurchaseCategory.MASS_STORAGE_DEVICE,
        "920000.00",
        "USD",
        False,
        date(2026, 2, 10),
        _GRID,
        pi_subjects=12_000_000,
        remote=True,
    ),
    DemoPurchase(
        0,
        0,
        None,
        "Office Wi-Fi access points",
        PurchaseCategory.OUTSIDE_SCOPE,
        "186000.00",
        "CNY",
        True,
        date(2025, 9, 1),
        _GRID,
    ),
    DemoPurchase(
        1,
        4,
        "Core banking",
        "Distributed database licence for core banking",
        PurchaseCategory.LARGE_DATABASE_APPLICATION_SOFTWARE,
        "23500000.00",
        "CNY",
        True,
        date(2025, 11, 20),
        _BANK,
        core=True,
        important=True,
        pi_subjects=31_000_000,
        remote=True,
        updates=True,
        single_source=True,
    ),
    DemoPurchase(
        1,
        1,
        "Mobile banking",
        "Private cloud platform for mobile banking",
        PurchaseCategory.CLOUD_COMPUTING_SERVICE,
        "12800000.00",
        "CNY",
        True,
        date(2026, 1, 15),
        _BANK,
        important=True,
        pi_subjects=8_500_000,
        remote=True,
        updates=True,
    ),
    DemoPurchase(
        1,
        3,
        "Core banking",
        "Next-generation firewalls and IPS",
        PurchaseCategory.NETWORK_SECURITY_EQUIPMENT,
        "640000.00",
        "EUR",
        False,
        date(2025, 8, 5),
        _BANK,
        updates=True,
    ),
    DemoPurchase(
        1,
        0,
        "Mobile banking",
        "5G private network modules for branches",
        PurchaseCategory.IMPORTANT_TELECOM_PRODUCT,
        "2300000.00",
        "CNY",
        True,
        date(2026, 4, 1),
        _BANK,
    ),
    DemoPurchase(
        1,
        5,
        "Core banking",
        "Fraud-analytics appliance (other important product)",
        PurchaseCategory.OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE,
        "98000000",
        "JPY",
        False,
        date(2026, 5, 20),
        _BANK,
        pi_subjects=9_000_000,
        remote=True,
    ),
    DemoPurchase(
        1,
        1,
        "Staff intranet",
        "Staff intranet hosting",
        PurchaseCategory.CLOUD_COMPUTING_SERVICE,
        "96000.00",
        "CNY",
        True,
        date(2026, 3, 3),
        _BANK,
    ),
    DemoPurchase(
        2,
        0,
        "Pump station telemetry",
        "Telemetry gateways for pump stations",
        PurchaseCategory.CORE_NETWORK_EQUIPMENT,
        "410000.00",
        "CNY",
        True,
        date(2025, 10, 8),
        _WATER,
        remote=True,
    ),
    DemoPurchase(
        2,
        3,
        None,
        "Printer fleet management service",
        PurchaseCategory.OUTSIDE_SCOPE,
        "38000.00",
        "EUR",
        True,
        date(2026, 6, 30),
        _WATER,
    ),
]

DEMO_REGISTERED_ON = date(2025, 1, 6)

RESTRICTION_LIST = (
    "Demo restriction list (operator's internal supplier ban list)",
    "Internal decision of the demo security committee, minute 2025-17",
    date(2025, 12, 1),
)


async def load_demo(session: AsyncSession) -> str:
    from procurement.demo_agreements import load_demo_agreements

    codes = [data.credit_code for data in OPERATORS]
    first_code = OPERATORS[0].credit_code
    if await session.scalar(select(Operator.id).where(Operator.credit_code == first_code)):
        # A data set loaded before agreements existed gets them now; otherwise nothing happens.
        added = await load_demo_agreements(session, codes)
        return "The demo data set is already loaded;" + (added or " nothing changed.")
    summary = await _load_base(session)
    return summary + await load_demo_agreements(session, codes)


async def _load_base(session: AsyncSession) -> str:

    operators = [await register_operator(session, SYSTEM, data) for data in OPERATORS]
    vendors = [await register_vendor(session, SYSTEM, data) for data in VENDORS]
    systems = {(op.id, s.name): s.id for op in operators for s in await _systems(session, op.id)}
    # The purchases are recorded as of early January 2025, so their review cases open before
    # the dated triages of the walk below (a triage may not precede its case's opening).
    with pinned_today(DEMO_REGISTERED_ON):
        for item in PURCHASES:
            await _register(session, operators, vendors, systems, item)
    await _restrict(session, vendors[6])
    await _exchange_rates(session)
    reviews = await walk_review_cases(session, operators)
    verdicts = await _verdict_counts(session)
    return (
        f"Loaded {len(operators)} operators, {len(vendors)} vendors and {len(PURCHASES)} "
        f"purchases; vendor '{vendors[6].name}' is on a restriction list. Screening: "
        + ", ".join(f"{n} {v}" for v, n in verdicts)
        + f". Review cases: {reviews}."
    )


# Illustrative rates so the demo's foreign-currency purchases convert; an operator records the
# official rate of each contract date (e.g. the PBOC central parity) instead.
DEMO_RATES = (("USD", "7.1000"), ("EUR", "7.8000"), ("JPY", "0.0480"))


async def _exchange_rates(session: AsyncSession) -> None:
    for currency, rate in DEMO_RATES:
        await set_exchange_rate(
            session, SYSTEM, currency, rate, date(2025, 1, 1),
            "Illustrative demo rate: replace with the official rate of each contract date",
        )  # fmt: skip


async def _verdict_counts(session: AsyncSession) -> list[tuple[str, int]]:
    rows = await session.execute(
        select(ScreeningRecord.verdict, func.count())
        .where(ScreeningRecord.superseded_at.is_(None))
        .group_by(ScreeningRecord.verdict)
        .order_by(ScreeningRecord.verdict)
    )
    return [(verdict.value, count) for verdict, count in rows]


async def _register(
    session: AsyncSession,
    operators: list[Operator],
    vendors: list[Vendor],
    systems: dict[tuple[int, str], int],
    item: DemoPurchase,
) -> None:
    operator = operators[item.operator]
    await register_purchase(
        session,
        SYSTEM,
        PurchaseInput(
            operator_id=operator.id,
            vendor_id=vendors[item.vendor].id,
            cii_system_id=systems[(operator.id, item.system)] if item.system else None,
            title=item.title,
            category=item.category,
            contract_value=Decimal(item.value),
            currency=item.currency,
            tax_included=item.tax_included,
            contract_date=item.contract_date,
            persons=[PersonInput(n, r, p) for n, r, p in item.persons],
            handles_core_data=item.core,
            handles_important_data=item.important,
            handles_personal_information=item.pi_subjects is not None,
            personal_information_subjects=item.pi_subjects,
            vendor_remote_maintenance=item.remote,
            vendor_update_channel=item.updates,
            single_source=item.single_source,
        ),
    )


async def _systems(session: AsyncSession, operator_id: int) -> list[CiiSystem]:
    return list(
        await session.scalars(select(CiiSystem).where(CiiSystem.operator_id == operator_id))
    )


async def _restrict(session: AsyncSession, vendor: Vendor) -> None:
    name, source, published = RESTRICTION_LIST
    data = RestrictionListInput(
        name=name,
        source=source,
        published_on=published,
        entries=[
            RestrictionEntryInput(
                supplier_name=vendor.name,
                reason="Undisclosed remote management interface found in a 2025 audit",
                listed_on=published,
                vendor_id=vendor.id,
            )
        ],
    )
    _listed, job = await update_restriction_list(session, SYSTEM, data)
    # The rescreen is a job; the demo's verdict counts need it done before going on.
    await run_inline(session, REGISTRY, job.id)
