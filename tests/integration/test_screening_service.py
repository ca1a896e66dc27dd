"""Screening through the services: it runs when any input changes, keeps its history, records the
rule-set version, opens review cases, and never commits on its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from procurement.enums import PurchaseCategory
from procurement.errors import InputError
from procurement.models import AuditEvent, ScreeningRecord, ScreeningRuleSetVersion
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases, vendors
from procurement.reviews.actions import cases as reviews
from procurement.reviews.actions import notes as review_notes
from procurement.reviews.store import latest_case
from procurement.screening.actions import rates, restrictions
from procurement.screening.actions import rules as screening
from procurement.screening.store import rescreen
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import rescreen_summary, run_jobs
from tests.support.reviews import (
    Component,
    SbomSpec,
    cases_of,
    current_screening,
    insert_sbom,
    open_case_id,
    screenings_of,
)
from tests.support.world import World, purchase_input, row_counts


def rules_of(record: ScreeningRecord) -> list[tuple[str, str]]:
    return [
        (f["rule_id"], f["severity"]) for f in record.findings if f["rule_id"] != "APPLICABILITY"
    ]


async def test_registering_a_purchase_screens_it_and_opens_a_case(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the world's purchases, registered through the service
    async with db.sessions() as session:
        us = await screenings_of(session, world.purchase_a_us)
        cn = await screenings_of(session, world.purchase_a_cn)
        [case] = await cases_of(session, world.purchase_a_us)
    # then each has exactly one result, from rule set v1, triggered by the registration
    assert [(r.verdict.value, r.score, r.ruleset_version, r.trigger) for r in us] == [
        ("YES", 45, 1, "purchase.registered")
    ]
    assert rules_of(us[0]) == [
        ("FOREIGN_CONTROL", "HIGH"),
        ("SBOM_TRANSPARENCY", "MEDIUM"),
        ("FOREIGN_CONTROL", "INFO"),
        ("PURCHASE_VALUE", "INFO"),
    ]
    assert us[0].reasons == [
        "CII operator, Art. 21 category MASS_STORAGE_DEVICE, HIGH/CRITICAL findings in "
        "FOREIGN_CONTROL"
    ]
    assert [(r.verdict.value, r.score) for r in cn] == [("NEEDS_ASSESSMENT", 15)]
    assert cn[0].missing_facts == ["vendor.ultimate_parent_country"]
    # and the YES purchase has an open case waiting for triage, sorted by its risk
    assert (case.state.value, case.risk_score, case.max_severity, case.value_cny) == (
        "PENDING_TRIAGE",
        45,
        3,
        None,  # a USD value is not converted to CNY without an exchange rate
    )


async def test_the_purchase_value_is_converted_with_the_exchange_rate_table(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the USD purchase (USD 250,000.50, contracted 2025-03-01) screened with no USD rate
    async with db.sessions() as session:
        [before] = await screenings_of(session, world.purchase_a_us)
    # then its value finding says exactly which rate is missing
    [asked] = [f for f in before.findings if f["rule_id"] == "PURCHASE_VALUE"]
    assert asked["explanation"] == (
        "Unknown: the purchase value in CNY (purchase.value_cny). Record it: no exchange rate "
        "from USD to CNY in force on 2025-03-01; add a USD rate valid from 2025-03-01 or earlier"
    )
    # when an admin records a USD rate in force on the contract date
    async with db.sessions() as session:
        await rates.set_exchange_rate(session, SYSTEM, "USD", "7.1", "2025-01-01", "PBOC")
    async with db.sessions() as session:
        history = await screenings_of(session, world.purchase_a_us)
        [case] = await cases_of(session, world.purchase_a_us)
        cn_history = await screenings_of(session, world.purchase_a_cn)
    # then the USD purchase is screened again with the converted value, as exposure converts it
    assert [(r.trigger, r.superseded_at is None) for r in history] == [
        ("purchase.registered", False),
        ("exchange_rate.set", True),
    ]
    assert "PURCHASE_VALUE" not in [f["rule_id"] for f in history[1].findings]
    assert "purchase.value_cny" not in history[1].missing_facts
    assert case.value_cny == Decimal("1775003.55")
    # and a CNY purchase is not touched
    assert len(cn_history) == 1


async def test_a_purchase_change_rescreens_and_keeps_the_history(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # when the purchase turns out to process core data
        await purchases.update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"handles_core_data": True}
        )
        history = await screenings_of(session, world.purchase_a_cn)
        [case] = await cases_of(session, world.purchase_a_cn)
        verdict_events = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "screening.verdict_changed",
                AuditEvent.object_id == world.purchase_a_cn,
            )
        )
    # then a second result supersedes the first, and the open case follows its risk
    assert [(r.verdict.value, r.score, r.trigger, r.superseded_at is None) for r in history] == [
        ("NEEDS_ASSESSMENT", 15, "purchase.registered", False),
        ("YES", 65, "purchase.updated", True),
    ]
    assert ("DATA_EXPOSURE", "CRITICAL") in rules_of(history[1])
    assert (case.risk_score, case.max_severity, case.screening_id) == (65, 4, history[1].id)
    assert verdict_events == 2


async def test_a_change_that_does_not_affect_the_outcome_stores_nothing(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        await purchases.update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"title": "Core routers (phase 1)"}
        )
        assert len(await screenings_of(session, world.purchase_a_cn)) == 1
        before = await row_counts(session)
        # when everything is screened again with unchanged inputs
        summary = await rescreen.rescreen_purchases(
            session, [world.purchase_a_cn, world.purchase_a_us, world.purchase_b_cn], "manual"
        )
        await session.commit()
        # then nothing new is written
        assert (summary.screened, summary.changed, summary.cases_opened) == (3, 0, 0)
        assert await row_counts(session) == before


async def test_a_vendor_change_rescreens_all_its_purchases(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # when the domestic vendor's ultimate parent turns out to be in Singapore
        await vendors.update_vendor(
            session,
            SYSTEM,
            world.vendor_cn,
            {"ultimate_parent_name": "Pacific Holdings", "ultimate_parent_country": "SG"},
        )
        # then both operators' purchases from it are YES now, triggered by the vendor change
        for purchase_id in (world.purchase_a_cn, world.purchase_b_cn):
            record = await current_screening(session, purchase_id)
            assert (record.verdict.value, record.trigger) == ("YES", "vendor.updated")
            assert ("FOREIGN_CONTROL", "HIGH") in rules_of(record)
        # and the other vendor's purchase is untouched
        assert len(await screenings_of(session, world.purchase_a_us)) == 1


async def test_a_restriction_list_change_rescreens_every_purchase(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # when an admin lists the domestic vendor's name (spelled differently) on a new list
        data = restrictions.RestrictionListInput(
            name="Supplier ban list",
            source="Security committee minute 2025-17",
            published_on=date(2025, 12, 1),
            entries=[
                restrictions.RestrictionEntryInput(
                    supplier_name="HUAXIN NETWORKS CO., LTD.",
                    reason="Undisclosed remote management interface",
                    listed_on=date(2025, 12, 1),
                )
            ],
        )
        listed, _job = await restrictions.update_restriction_list(session, SYSTEM, data)
        [done] = await run_jobs(db)  # the rescreen job enqueued with the change
        summary = rescreen_summary(done.outcome)
        # then all three purchases were screened and the two from that vendor became YES
        assert (summary.screened, summary.changed, summary.verdicts_changed) == (3, 2, 2)
        record = await current_screening(session, world.purchase_b_cn)
        assert (record.verdict.value, record.trigger) == ("YES", "restriction_list.updated")
        [hit] = [f for f in record.findings if f["rule_id"] == "RESTRICTION_LIST"]
        assert hit["severity"] == "CRITICAL"
        assert hit["evidence"]["vendor_entries"] == [
            {
                "subject": "HUAXIN NETWORKS CO., LTD.",
                "list_name": "Supplier ban list",
                "source": "Security committee minute 2025-17",
                "listed_on": "2025-12-01",
                "reason": "Undisclosed remote management interface",
            }
        ]
        # when the entry is removed again, the listing finding goes away
        data = restrictions.RestrictionListInput(
            id=listed.id, name=listed.name, source=listed.source, published_on=date(2025, 12, 1)
        )
        await restrictions.update_restriction_list(session, SYSTEM, data)
        await run_jobs(db)
        session.expire_all()  # the job changed the rows in its own session
        record = await current_screening(session, world.purchase_b_cn)
        assert record.verdict.value == "NEEDS_ASSESSMENT"
        assert len(await screenings_of(session, world.purchase_b_cn)) == 3


async def test_new_rules_are_a_new_version_that_every_result_records(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # when the admin lowers the value threshold to CNY 1,000,000
        row, _job = await screening.update_screening_rules(
            session, SYSTEM, '{"thresholds": {"value_cny": "1000000"}}'
        )
        [done] = await run_jobs(db)
        summary = rescreen_summary(done.outcome)
        # then version 2 is stored with who made it, and every purchase was screened with it
        assert (row.version, row.created_by, row.rules["thresholds"]["value_cny"]) == (
            2,
            "local command line",
            "1000000",
        )
        assert (summary.screened, summary.changed) == (3, 3)
        record = await current_screening(session, world.purchase_a_cn)
        assert (record.ruleset_version, record.trigger) == (2, "screening_rules.updated")
        assert ("PURCHASE_VALUE", "MEDIUM") in rules_of(record)
        # and a stale editor sending version 2 again is told so, nothing written
        before = await row_counts(session)
        with pytest.raises(InputError) as stale:
            await screening.update_screening_rules(session, SYSTEM, {"version": 2})
        assert [(e.field, e.code.value) for e in stale.value.errors] == [
            ("rules.version", "CONFLICT")
        ]
        with pytest.raises(InputError) as bad:
            await screening.update_screening_rules(
                session, SYSTEM, {"thresholds": {"sbom_quality": 120}, "enabled_rules": ["X"]}
            )
        assert [e.field for e in bad.value.errors] == [
            "rules.thresholds.sbom_quality",
            "rules.enabled_rules",
        ]
        assert await row_counts(session) == before
        assert await session.scalar(select(func.count()).select_from(ScreeningRuleSetVersion)) == 1


async def test_rescreen_runs_in_the_callers_transaction_and_does_not_commit(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
        # given an SBOM stored by an upload that is still in its transaction
        await insert_sbom(
            session,
            world.purchase_a_cn,
            SbomSpec(quality=40.0, components=[Component("lodash", "npm", "4.17.21")]),
        )
        summary = await rescreen.rescreen_purchases(session, [world.purchase_a_cn], "sbom.uploaded")
        assert summary.changed == 1
        # when the upload fails and rolls back
        await session.rollback()
        # then the screening result went with it
        assert await row_counts(session) == before


async def test_cancelled_purchases_are_not_screened(db: DatabaseUnderTest, world: World) -> None:
    async with db.sessions() as session:
        await purchases.cancel_purchase(
            session, SYSTEM, world.purchase_a_us, "Tender annulled", date(2025, 7, 1)
        )
        summary = await rescreen.rescreen_purchases(session, [world.purchase_a_us], "manual")
        assert summary.screened == 0


async def test_a_case_closed_as_not_required_reopens_only_when_the_risk_rises(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # given the reviewer decided the domestic purchase needs no declaration
        case_id = await open_case_id(session, world.purchase_a_cn)
        await reviews.triage_review(
            session, SYSTEM, case_id, "NOT_REQUIRED", "Domestic, no remote access", date(2025, 4, 2)
        )
        # when something unrelated to risk changes, no new case opens
        await purchases.update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"contract_value": "1300000.00"}
        )
        assert [c.state.value for c in await cases_of(session, world.purchase_a_cn)] == [
            "NOT_REQUIRED"
        ]
        # when the vendor gets a remote maintenance channel into the system
        await purchases.update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"vendor_remote_maintenance": True}
        )
        # then a new case opens for triage, the decided one stays as it was
        assert [c.state.value for c in await cases_of(session, world.purchase_a_cn)] == [
            "NOT_REQUIRED",
            "PENDING_TRIAGE",
        ]


async def test_office_decisions_are_not_reopened_by_screening(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # given the US purchase's case was closed by the office
        case_id = await open_case_id(session, world.purchase_a_us)
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
        for material in ("DECLARATION_FORM", "IMPACT_ANALYSIS_REPORT", "PROCUREMENT_DOCUMENTS"):
            await review_notes.attach_declaration_material(
                session,
                SYSTEM,
                case_id,
                material,
                f"{material}.pdf",
                material.encode(),
                max_bytes=1000,
            )
        await reviews.record_declaration(session, SYSTEM, case_id, date(2025, 9, 26))
        await reviews.record_office_decision(
            session, SYSTEM, case_id, "NO_REVIEW_NEEDED", date(2025, 10, 14)
        )
        # when its risk rises
        await purchases.update_purchase(
            session, SYSTEM, world.purchase_a_us, {"handles_core_data": True}
        )
        # then the office's decision stands: no new case
        case = await latest_case(session, world.purchase_a_us)
        assert case is not None and case.state.value == "NO_REVIEW_NEEDED"
        assert len(await cases_of(session, world.purchase_a_us)) == 1


async def test_purchases_outside_scope_or_of_non_cii_operators_screen_no(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        outside = await purchases.register_purchase(
            session,
            SYSTEM,
            purchase_input(
                world.operator_a,
                world.vendor_us,
                "Printers",
                category=PurchaseCategory.OUTSIDE_SCOPE,
            ),
        )
        record = await current_screening(session, outside.id)
        assert (record.verdict.value, record.reasons) == (
            "NO",
            ["category outside the Art. 21 network products and services"],
        )
        assert await cases_of(session, outside.id) == []
