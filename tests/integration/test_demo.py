"""The demo data set loads through the services, with agreements, and loading it again is a no-op."""

from __future__ import annotations

from sqlalchemy import select

from procurement.demo import load_demo
from procurement.models import Agreement
from procurement.permissions import SYSTEM
from procurement.services.agreement_reads import purchases_without_agreement
from procurement.services.supervision import ObligationsDueFilter, obligations_due
from tests.support.databases import DatabaseUnderTest
from tests.support.world import row_counts


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
