"""Demo review cases moved along through the review services, with realistic legal dates:
one passed after a pause for supplementary materials, one failed, one still under a complex
review waiting for materials (clock stopped), one declared and overdue for the office's decision,
one closed as not required with a written justification, and the rest waiting for triage (one of
them already in use, so it is flagged)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import Role
from procurement.models import Operator, Purchase, ReviewCase
from procurement.permissions import Principal
from procurement.registry.actions.purchases import record_purchase_in_use
from procurement.reviews.actions import cases as reviews
from procurement.reviews.actions import notes as review_notes
from procurement.reviews.declaration import DeclarationMaterial

_FILING = (
    (DeclarationMaterial.DECLARATION_FORM, "网络安全审查申报书.pdf"),
    (DeclarationMaterial.IMPACT_ANALYSIS_REPORT, "国家安全影响分析报告.pdf"),
    (DeclarationMaterial.PROCUREMENT_DOCUMENTS, "采购文件及拟签订合同.pdf"),
)


def _reviewer(operator: Operator) -> Principal:
    # The demo has no tokens for people; a named reviewer principal of the operator acts.
    return Principal(
        role=Role.REVIEWER,
        name=f"Security review team, {operator.name[:40]}",
        operator_id=operator.id,
    )


def _buyer(operator: Operator) -> Principal:
    return Principal(
        role=Role.PROCUREMENT,
        name=f"Procurement office, {operator.name[:40]}",
        operator_id=operator.id,
    )


async def _case(session: AsyncSession, title: str) -> int:
    case_id = await session.scalar(
        select(ReviewCase.id)
        .join(Purchase, Purchase.id == ReviewCase.purchase_id)
        .where(Purchase.title == title, ReviewCase.open_purchase_id.is_not(None))
    )
    assert case_id is not None, f"demo purchase '{title}' has no open review case"
    return case_id


async def _declare(
    session: AsyncSession, who: Principal, case_id: int, triaged: date, filed: date
) -> None:
    await reviews.triage_review(
        session,
        who,
        case_id,
        "DECLARATION_REQUIRED",
        "HIGH findings: declare before contracting (Review Measures Art. 5)",
        triaged,
    )
    for material, file_name in _FILING:
        await review_notes.attach_declaration_material(
            session,
            who,
            case_id,
            material,
            file_name,
            f"Demo placeholder for {material.value}".encode(),
            max_bytes=1_000_000,
        )
    await reviews.record_declaration(session, who, case_id, filed)


async def walk_review_cases(session: AsyncSession, operators: Sequence[Operator]) -> str:
    grid, bank = _reviewer(operators[0]), _reviewer(operators[1])

    # Passed after the office asked for source-code audit results (clock stopped 2 weeks).
    routers = await _case(session, "Core routers for the dispatch backbone")
    await _declare(session, grid, routers, date(2025, 1, 20), date(2025, 2, 10))
    await reviews.record_office_decision(
        session, grid, routers, "REVIEW_STARTED", date(2025, 2, 21)
    )
    await reviews.request_supplementary_materials(
        session, grid, routers, date(2025, 3, 10), "Source-code audit report of the firmware"
    )
    await reviews.record_supplementary_materials_received(session, grid, routers, date(2025, 3, 24))
    await reviews.record_review_outcome(
        session,
        grid,
        routers,
        "PASSED",
        date(2025, 4, 18),
        "Passed with the vendor's Art. 6 commitments signed",
    )
    await record_purchase_in_use(
        session, _buyer(operators[0]), await _purchase(session, routers), date(2025, 5, 6)
    )

    # Overdue: declared in October 2026, the office has not decided within 10 working days.
    servers = await _case(session, "Dispatch centre high-performance servers")
    await _declare(session, grid, servers, date(2026, 9, 14), date(2026, 10, 9))
    await review_notes.comment_on_review(
        session, grid, servers, "Supplier is on our restriction list; chase the office weekly."
    )

    # Complex preliminary review, now waiting for materials: the clock is stopped.
    database = await _case(session, "Distributed database licence for core banking")
    await _declare(session, bank, database, date(2025, 8, 25), date(2025, 9, 12))
    await reviews.record_office_decision(
        session, bank, database, "REVIEW_STARTED", date(2025, 9, 26), complex=True
    )
    await reviews.request_supplementary_materials(
        session,
        bank,
        database,
        date(2025, 11, 3),
        "Data-flow diagram and the foreign parent's access to production data",
    )

    # Failed: the product must not be used.
    fraud = await _case(session, "Fraud-analytics appliance (other important product)")
    await _declare(session, bank, fraud, date(2026, 2, 2), date(2026, 2, 16))
    await reviews.record_office_decision(session, bank, fraud, "REVIEW_STARTED", date(2026, 3, 2))
    await reviews.record_review_outcome(
        session,
        bank,
        fraud,
        "FAILED",
        date(2026, 4, 10),
        "Remote access path into the core banking network could not be closed",
    )

    # Not required, with the written justification the law expects.
    intranet = await _case(session, "Staff intranet hosting")
    await reviews.triage_review(
        session,
        bank,
        intranet,
        "NOT_REQUIRED",
        "Domestic state-owned provider; staff portal holds no core, important or customer data; "
        "not connected to the core banking network. SBOM requested for the file.",
        date(2026, 2, 20),
    )

    # Waiting for triage but already in use: flagged on the case.
    cloud = await _case(session, "Private cloud platform for mobile banking")
    await record_purchase_in_use(
        session, _buyer(operators[1]), await _purchase(session, cloud), date(2026, 3, 1)
    )

    states = Counter(
        s.value for s in await session.scalars(select(ReviewCase.state).order_by(ReviewCase.id))
    )
    return ", ".join(f"{n} {state}" for state, n in sorted(states.items()))


async def _purchase(session: AsyncSession, case_id: int) -> int:
    purchase_id = await session.scalar(
        select(ReviewCase.purchase_id).where(ReviewCase.id == case_id)
    )
    assert purchase_id is not None
    return purchase_id
