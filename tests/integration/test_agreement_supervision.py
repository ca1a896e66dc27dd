"""Supervision checks and the obligations-due list, judged on fixed days."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from procurement.agreements.actions import supervision
from procurement.agreements.actions.supervision import SupervisionCheckInput
from procurement.agreements.lifecycle import CheckResult, ObligationStatus
from procurement.agreements.reads import ObligationsDueFilter, obligations_due
from procurement.errors import InputError
from procurement.files import UploadedFile
from procurement.models import AgreementObligation
from procurement.permissions import SYSTEM
from tests.support.agreements import generate, obligation_id, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts


async def _signed_agreement(db: DatabaseUnderTest, world: World) -> int:
    """Operator A's first purchase (contract 1 March 2025), signed on 1 March 2025."""
    async with db.sessions() as session:
        agreement = (await generate(session, world.purchase_a_cn)).id
        await send(session, agreement, date(2025, 2, 20))
        await sign(session, agreement, date(2025, 3, 1))
    return agreement


async def _check(
    db: DatabaseUnderTest, agreement: int, code: str, result: CheckResult, on: date
) -> None:
    async with db.sessions() as session:
        ob = await obligation_id(session, agreement, code)
        data = SupervisionCheckInput(ob, result, on, evidence=f"{code} reviewed")
        await supervision.record_supervision_check(session, SYSTEM, data)


async def _due(db: DatabaseUnderTest, as_of: date, **filters: Any) -> list[tuple[Any, ...]]:
    async with db.sessions() as session:
        page = await obligations_due(
            session, SYSTEM, ObligationsDueFilter(as_of=as_of, **filters), None, 100
        )
    return [
        (d.obligation.code, d.state.overdue, d.state.failed, d.state.due_on, d.state.days_overdue)
        for d in page.items
    ]


async def test_unchecked_dated_obligations_fall_due(db: DatabaseUnderTest, world: World) -> None:
    # given a signed agreement and no checks at all
    await _signed_agreement(db, world)
    # then on 1 June 2026 the onboarding deliverables and the first annual ones are overdue
    assert await _due(db, date(2026, 6, 1)) == [
        ("CONTINUITY_PLAN", True, False, date(2025, 3, 31), 427),
        ("PERSONNEL_CHECKS", True, False, date(2025, 3, 31), 427),
        ("SBOM_INITIAL", True, False, date(2025, 3, 31), 427),
        ("ATTESTATION", True, False, date(2026, 3, 1), 92),
        ("SBOM_ANNUAL", True, False, date(2026, 3, 1), 92),
    ]
    # and on the day the first ones fall due nothing is overdue yet
    assert await _due(db, date(2025, 3, 31)) == []


async def test_checks_settle_or_fail_obligations(db: DatabaseUnderTest, world: World) -> None:
    # given checks: two met, one not met, an event duty failed
    agreement = await _signed_agreement(db, world)
    met, not_met = CheckResult.MET, CheckResult.NOT_MET
    await _check(db, agreement, "SBOM_INITIAL", met, date(2025, 3, 20))
    await _check(db, agreement, "CONTINUITY_PLAN", met, date(2025, 4, 15))  # late, but done
    await _check(db, agreement, "PERSONNEL_CHECKS", not_met, date(2026, 1, 10))
    await _check(db, agreement, "SBOM_ANNUAL", met, date(2025, 12, 1))  # early for 2026
    await _check(db, agreement, "VULN_NOTICE", not_met, date(2026, 2, 1))
    # then on 1 June 2026
    assert await _due(db, date(2026, 6, 1)) == [
        ("PERSONNEL_CHECKS", True, True, date(2025, 3, 31), 427),
        ("ATTESTATION", True, False, date(2026, 3, 1), 92),
        ("VULN_NOTICE", False, True, None, None),
    ]
    # and a year later the early SBOM delivery no longer covers the 2027 occurrence
    assert [row[0] for row in await _due(db, date(2027, 6, 1))] == [
        "PERSONNEL_CHECKS",
        "ATTESTATION",
        "SBOM_ANNUAL",
        "VULN_NOTICE",
    ]
    # and judged on 31 December 2025, later checks do not count yet
    assert await _due(db, date(2025, 12, 31), failed=True) == []
    assert [r[0] for r in await _due(db, date(2025, 12, 31))] == ["PERSONNEL_CHECKS"]
    # and the filters narrow the list
    assert [r[0] for r in await _due(db, date(2026, 6, 1), overdue=False)] == ["VULN_NOTICE"]
    assert await _due(db, date(2026, 6, 1), operator_id=world.operator_b) == []
    # and each obligation shows its latest result
    async with db.sessions() as session:
        rows = await session.execute(
            select(AgreementObligation.code, AgreementObligation.status)
            .where(AgreementObligation.status != ObligationStatus.OPEN)
            .order_by(AgreementObligation.code)
        )
        assert list(rows) == [
            ("CONTINUITY_PLAN", ObligationStatus.MET),
            ("PERSONNEL_CHECKS", ObligationStatus.NOT_MET),
            ("SBOM_ANNUAL", ObligationStatus.MET),
            ("SBOM_INITIAL", ObligationStatus.MET),
            ("VULN_NOTICE", ObligationStatus.NOT_MET),
        ]


async def test_a_met_check_after_a_failed_one_clears_it(
    db: DatabaseUnderTest, world: World
) -> None:
    agreement = await _signed_agreement(db, world)
    await _check(db, agreement, "VULN_NOTICE", CheckResult.NOT_MET, date(2026, 2, 1))
    await _check(db, agreement, "VULN_NOTICE", CheckResult.MET, date(2026, 3, 1))
    assert await _due(db, date(2026, 6, 1), failed=True) == []


async def test_drafts_and_bad_checks_are_refused(db: DatabaseUnderTest, world: World) -> None:
    # given a draft (not supervised) and a signed agreement
    async with db.sessions() as session:
        draft = (
            await generate(session, world.purchase_a_us, **{"purchase.cii_system": "存储系统"})
        ).id
        draft_ob = await obligation_id(session, draft, "SBOM_INITIAL")
    signed = await _signed_agreement(db, world)
    async with db.sessions() as session:
        signed_ob = await obligation_id(session, signed, "SBOM_INITIAL")
        before = await row_counts(session)
    cases = [
        (
            SupervisionCheckInput(draft_ob, "MET", date(2026, 1, 1), evidence="x"),
            [
                (
                    "obligationId",
                    "the agreement is DRAFT; only signed (or terminated) agreements are supervised",
                )
            ],
        ),
        (
            SupervisionCheckInput(signed_ob, "MAYBE", date(2024, 1, 1)),
            [
                ("result", "'MAYBE' is not one of MET, NOT_MET"),
                ("checkedOn", "2024-01-01 is before the agreement was signed (2025-03-01)"),
            ],
        ),
        (
            SupervisionCheckInput(signed_ob, "MET", date(2026, 1, 1)),
            [("evidence", "say what shows the duty was met, or attach it")],
        ),
        (
            SupervisionCheckInput(signed_ob, "NOT_MET", date(2099, 1, 1)),
            [("checkedOn", "2099-01-01 is in the future")],
        ),
        (
            SupervisionCheckInput(
                signed_ob, "MET", attachment=UploadedFile("x.exe", "application/pdf", b"MZ\x90")
            ),
            [("attachment", "must be a PDF, PNG, JPEG, TIFF or .docx file")],
        ),
    ]
    for data, expected in cases:
        async with db.sessions() as session:
            with pytest.raises(InputError) as raised:
                await supervision.record_supervision_check(session, SYSTEM, data)
        assert [(e.field, e.message) for e in raised.value.errors] == expected
    async with db.sessions() as session:
        assert await row_counts(session) == before
