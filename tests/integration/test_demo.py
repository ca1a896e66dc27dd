"""The demo data set: screening gives a believable spread of verdicts with actionable findings,
and the walked-through review cases show every kind of deadline situation."""

from __future__ import annotations

from sqlalchemy import select

from procurement.demo import load_demo
from procurement.models import Purchase, ReviewCase, ScreeningRecord
from tests.support.databases import DatabaseUnderTest


async def test_demo_screens_and_moves_cases_along(db: DatabaseUnderTest) -> None:
    # when the demo is loaded
    async with db.sessions() as session:
        summary = await load_demo(session)
        verdicts = dict(
            (
                await session.execute(
                    select(Purchase.title, ScreeningRecord.verdict)
                    .join(ScreeningRecord, ScreeningRecord.purchase_id == Purchase.id)
                    .where(ScreeningRecord.superseded_at.is_(None))
                )
            ).all()
        )
        cases = {
            title: case
            for title, case in await session.execute(
                select(Purchase.title, ReviewCase)
                .join(ReviewCase, ReviewCase.purchase_id == Purchase.id)
                .order_by(ReviewCase.id)
            )
        }
        again = await load_demo(session)
    # then every purchase has a verdict, spread over the three answers
    assert {title: v.value for title, v in verdicts.items()} == {
        "Core routers for the dispatch backbone": "YES",
        "Dispatch centre high-performance servers": "YES",
        "Billing data storage array": "YES",
        "Office Wi-Fi access points": "NO",
        "Distributed database licence for core banking": "YES",
        "Private cloud platform for mobile banking": "YES",
        "Next-generation firewalls and IPS": "YES",
        "5G private network modules for branches": "NEEDS_ASSESSMENT",
        "Fraud-analytics appliance (other important product)": "YES",
        "Staff intranet hosting": "NEEDS_ASSESSMENT",
        "Telemetry gateways for pump stations": "NO",
        "Printer fleet management service": "NO",
    }
    assert summary.endswith(
        "Screening: 2 NEEDS_ASSESSMENT, 3 NO, 7 YES. Review cases: 1 DECLARED, 1 FAILED, "
        "1 NOT_REQUIRED, 1 PASSED, 4 PENDING_TRIAGE, 1 UNDER_REVIEW."
    )
    assert again == "The demo data set is already loaded; nothing changed."
    # and the cases show a pass after a pause, an overdue declaration, a stopped clock, a failure
    assert {
        t: (c.state.value, c.deadline_due and c.deadline_due.isoformat()) for t, c in cases.items()
    } == {
        "Core routers for the dispatch backbone": ("PASSED", None),
        "Dispatch centre high-performance servers": ("DECLARED", "2026-10-22"),
        "Billing data storage array": ("PENDING_TRIAGE", None),
        "Distributed database licence for core banking": ("UNDER_REVIEW", None),
        "Private cloud platform for mobile banking": ("PENDING_TRIAGE", None),
        "Next-generation firewalls and IPS": ("PENDING_TRIAGE", None),
        "5G private network modules for branches": ("PENDING_TRIAGE", None),
        "Fraud-analytics appliance (other important product)": ("FAILED", None),
        "Staff intranet hosting": ("NOT_REQUIRED", None),
    }
    assert cases["Distributed database licence for core banking"].complex is True
