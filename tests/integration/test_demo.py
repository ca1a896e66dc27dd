"""The demo data set: screening gives a believable spread of verdicts with actionable findings,
the walked-through review cases show every kind of deadline situation, agreements are generated
in both languages, and loading it again is a no-op."""

from __future__ import annotations

from sqlalchemy import select

from procurement.agreements.reads import (
    ObligationsDueFilter,
    obligations_due,
    purchases_without_agreement,
)
from procurement.demo import load_demo
from procurement.models import Agreement, Purchase, ReviewCase, ScreeningRecord
from procurement.permissions import SYSTEM
from tests.support.databases import DatabaseUnderTest
from tests.support.world import row_counts


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
    assert (
        "Screening: 2 NEEDS_ASSESSMENT, 3 NO, 7 YES. Review cases: 1 DECLARED, 1 FAILED, "
        "1 NOT_REQUIRED, 1 PASSED, 4 PENDING_TRIAGE, 1 UNDER_REVIEW."
    ) in summary
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


async def test_demo_loads_agreements_once(db: DatabaseUnderTest) -> None:
    # when the demo is loaded twice
    async with db.sessions() as session:
        first = await load_demo(session)
        after_first = await row_counts(session)
        second = await load_demo(session)
        after_second = await row_counts(session)
    # then the second run changes nothing
    assert first.endswith("Generated 7 agreements (4 signed) and 3 supervision checks.")
    assert second == "The demo data set is already loaded; nothing changed."
    assert after_second == after_first
    async with db.sessions() as session:
        agreements = list(await session.execute(select(Agreement.language, Agreement.state)))
        without = await purchases_without_agreement(session, SYSTEM, None, None, 100)
        due = await obligations_due(session, SYSTEM, ObligationsDueFilter(), None, 100)
    # and the agreements are in both languages and several states
    assert sorted((lang, state.value) for lang, state in agreements) == [
        ("en", "DRAFT"),
        ("en", "SENT"),
        ("en", "SIGNED"),
        ("zh", "DRAFT"),
        ("zh", "SIGNED"),
        ("zh", "SIGNED"),
        ("zh", "SIGNED"),
    ]
    # and 8 of the 12 purchases have no signed agreement
    assert without.total_count == 8
    assert {p.title for p in without.items} >= {
        "Office Wi-Fi access points",
        "Staff intranet hosting",
    }
    assert "PERSONNEL_CHECKS" in {d.obligation.code for d in due.items}
