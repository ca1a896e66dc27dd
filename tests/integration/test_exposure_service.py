"""Exposure services on both backends: how stored screening, review and agreement state becomes
the calculator's legal facts, and the admin-maintained rates and penalty schedules.

The test world's purchase_a_cn: CNY 1,200,000.00, contract 2025-03-01, Zhang Wei (person in
charge) and Liu Yang (other responsible). purchase_a_us: USD 250,000.50, same date and persons.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.errors import InputError
from procurement.exposure import GroupBy, MissingExchangeRate, PurchaseExposure
from procurement.exposure import actions as exposure_data
from procurement.exposure import reads as exposure
from procurement.exposure import store as exposure_store
from procurement.models import AuditEvent, Purchase, ReviewCase, ScreeningRecord
from procurement.permissions import SYSTEM
from procurement.reviews.state_machine import CaseState
from procurement.screening.actions import rates
from procurement.screening.model import Verdict
from tests.support.agreements import add_purchase, generate, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

D = Decimal
AS_OF = date(2025, 6, 1)
DECIDED_ON = date(2025, 3, 10)
USD_RATE = "7.1"


async def set_state(
    session: AsyncSession,
    purchase_id: int,
    verdict: Verdict | None = None,
    case: CaseState | None = None,
    outcome_on: date | None = None,
    in_use: date | None = None,
) -> None:
    """Puts the stored screening verdict / review case / in-use date into the wanted state."""
    if verdict is not None:
        record = await session.scalar(
            select(ScreeningRecord).where(
                ScreeningRecord.purchase_id == purchase_id, ScreeningRecord.superseded_at.is_(None)
            )
        )
        assert record is not None
        record.verdict = verdict
    if case is not None:
        row = await session.scalar(select(ReviewCase).where(ReviewCase.purchase_id == purchase_id))
        assert row is not None
        # the decision dates: before AS_OF unless the test gives the outcome's date
        row.state, row.outcome_on = case, outcome_on
        row.state_since = outcome_on or DECIDED_ON
        if case not in (CaseState.PENDING_TRIAGE, CaseState.NOT_REQUIRED):
            row.declared_on = DECIDED_ON
    if in_use is not None:
        purchase = await session.get(Purchase, purchase_id)
        assert purchase is not None
        purchase.in_use_date = in_use
    await session.commit()


async def one(session: AsyncSession, purchase_id: int, as_of: date = AS_OF) -> PurchaseExposure:
    found = await exposure.purchase_exposure(session, SYSTEM, purchase_id, as_of)
    assert found is not None
    return found


def counted(e: PurchaseExposure) -> dict[str, bool]:
    """schedule id -> counted, for every item shown."""
    return {i.schedule_id: i.counted for i in e.items}


def art41(e: PurchaseExposure) -> list[Any]:
    return [i for i in e.items if i.article == "41"]


async def usd_rate(
    session: AsyncSession, rate: str = USD_RATE, on: date = date(2025, 1, 1)
) -> None:
    await rates.set_exchange_rate(session, SYSTEM, "USD", rate, on, "PBOC parity (test)")


async def test_screening_yes_without_review_counts_art41_with_exact_ranges(
    db: DatabaseUnderTest, world: World
) -> None:
    # given: screening YES and an untriaged case
    async with db.sessions() as s:
        await set_state(s, world.purchase_a_cn, Verdict.YES)
        # when
        e = await one(s, world.purchase_a_cn)
    # then: 1x-10x CNY 1,200,000 and CNY 10,000-100,000 on each of the two persons
    [item] = art41(e)
    assert item.counted and item.act_date == date(2025, 3, 1)
    assert (item.entity.min, item.entity.max) == (D("1200000.00"), D("12000000.00"))
    assert [(p.name, p.role.value, p.range.min, p.range.max) for p in item.persons] == [
        ("Zhang Wei", "PERSON_IN_CHARGE", D(10000), D(100000)),
        ("Liu Yang", "OTHER_RESPONSIBLE", D(10000), D(100000)),
    ]
    assert (e.total.min, e.total.max) == (D("1220000.00"), D("12200000.00"))
    # Art. 39(9) worst case adds CNY 1,000,000 + 100,000 (person in charge only)
    assert e.conditional_max == D("13300000.00")


@pytest.mark.parametrize(
    ("verdict", "state", "outcome_on", "has_41", "has_note"),
    [
        pytest.param(Verdict.YES, CaseState.PASSED, date(2025, 5, 1), False, False, id="passed"),
        pytest.param(
            Verdict.YES, CaseState.PASSED, date(2025, 7, 1), True, False, id="passed-after-asof"
        ),
        pytest.param(
            Verdict.YES, CaseState.NO_REVIEW_NEEDED, date(2025, 5, 1), False, False, id="office-no"
        ),
        pytest.param(Verdict.YES, CaseState.NOT_REQUIRED, None, False, False, id="not-required"),
        pytest.param(
            Verdict.NEEDS_ASSESSMENT, CaseState.PENDING_TRIAGE, None, False, True, id="pending"
        ),
        pytest.param(
            Verdict.NEEDS_ASSESSMENT, CaseState.DECLARED, None, True, False, id="confirmed"
        ),
        pytest.param(Verdict.NO, CaseState.PENDING_TRIAGE, None, False, False, id="no"),
    ],
)
async def test_review_state_table(
    db: DatabaseUnderTest,
    world: World,
    verdict: Any,
    state: Any,
    outcome_on: Any,
    has_41: Any,
    has_note: Any,
) -> None:
    # given
    async with db.sessions() as s:
        await set_state(s, world.purchase_a_cn, verdict, state, outcome_on)
        # when
        e = await one(s, world.purchase_a_cn)
    # then
    assert [i.counted for i in art41(e)] == ([True] if has_41 else [])
    assert any("NEEDS_ASSESSMENT" in n for n in e.notes) is has_note


@pytest.mark.parametrize(
    ("in_use", "as_of", "use_norm"),
    [
        (date(2025, 4, 1), AS_OF, "csl-2016-art65-immediate"),
        (date(2026, 2, 1), date(2026, 3, 1), "csl-2025-art67-immediate"),
    ],
)
async def test_failed_review_in_use_shows_use_norm_without_double_count(
    db: DatabaseUnderTest, world: World, in_use: Any, as_of: Any, use_norm: Any
) -> None:
    # given: the review failed and the product is in use
    async with db.sessions() as s:
        await set_state(s, world.purchase_a_cn, Verdict.YES, CaseState.FAILED, date(2025, 3, 20))
        await set_state(s, world.purchase_a_cn, in_use=in_use)
        # when
        e = await one(s, world.purchase_a_cn, as_of)
    # then: both shown, Art. 41 counted once, the use norm not counted
    flags = counted(e)
    assert flags["cii-2021-art41-immediate"] is True
    assert flags[use_norm] is False
    review = [i for i in e.items if i.act_kind.value != "NO_CONFIDENTIALITY_AGREEMENT"]
    assert sum(1 for i in review if i.counted) == 1
    # plus the missing agreement: Art. 39(9) (CNY 0 at once) while the act stays in 2025, the
    # amended CSL Art. 61 (up to CNY 100,000 at once) once it continues into 2026 (issue 9)
    agreement_max = D(0) if as_of < date(2026, 1, 1) else D(100_000)
    assert e.total.max == D("12200000.00") + agreement_max


ART_39_9 = {"cii-2021-art39-9-immediate", "cii-2021-art39-9-refusal-or-harm"}
ART_61 = {
    "csl-2025-art61-at-once",
    "csl-2025-art61-refusal-or-harm",
    "csl-2025-art61-serious-harm",
    "csl-2025-art61-especially-serious-harm",
}


@pytest.mark.parametrize(
    ("contract", "as_of", "counted_ids", "total_max", "worst"),
    [
        (date(2025, 12, 31), date(2025, 12, 31), ART_39_9, D(0), D("1100000")),
        # issue 9: still unsigned on 2026-01-01, the continuing act falls under the amended CSL
        (date(2025, 12, 31), date(2026, 1, 1), ART_61, D("100000"), D("12000000")),
        (date(2026, 1, 1), date(2026, 6, 1), ART_61, D("100000"), D("12000000")),
    ],
)
async def test_agreement_norm_boundary_2026(
    db: DatabaseUnderTest,
    world: World,
    contract: Any,
    as_of: Any,
    counted_ids: Any,
    total_max: Any,
    worst: Any,
) -> None:
    # given: a purchase screened NO (no review duty) without agreement
    async with db.sessions() as s:
        pid = await add_purchase(s, world, "Switches", contract_date=contract)
        await set_state(s, pid, Verdict.NO)
        # when
        e = await one(s, pid, as_of)
    # then: the law in force when the (continuing) act ends on as_of picks CII Art. 39(9) or
    # CSL 2025 Art. 61
    assert {k for k, v in counted(e).items() if v} == counted_ids
    assert (e.total.min, e.total.max, e.conditional_max) == (D(0), total_max, worst)


@pytest.mark.parametrize(
    ("as_of", "exposed"), [(date(2025, 4, 1), False), (date(2025, 3, 15), True)]
)
async def test_signed_agreement_removes_39_9_only_from_signing_date(
    db: DatabaseUnderTest, world: World, as_of: Any, exposed: Any
) -> None:
    # given: an agreement sent 2025-03-10 and signed 2025-03-20
    async with db.sessions() as s:
        agreement = await generate(s, world.purchase_a_cn)
        await send(s, agreement.id, date(2025, 3, 10))
        await sign(s, agreement.id, date(2025, 3, 20))
        await set_state(s, world.purchase_a_cn, Verdict.NO)
        # when
        e = await one(s, world.purchase_a_cn, as_of)
    # then
    assert any(i.article == "39(9)" for i in e.items) is exposed


async def test_purchase_contracted_after_as_of_is_excluded(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as s:
        await usd_rate(s)
        # when: the day before the world's contract date
        run = await exposure.assess(s, SYSTEM, as_of=date(2025, 2, 28))
        with pytest.raises(InputError) as single:
            await exposure.purchase_exposure(s, SYSTEM, world.purchase_a_cn, date(2025, 2, 28))
    # then the portfolio leaves it out, and the purchase alone says why
    assert run.exposures == ()
    assert [(e.field, e.code) for e in single.value.errors] == [("asOf", "OUT_OF_RANGE")]


@pytest.mark.parametrize(
    ("rates", "amount"),
    [
        ([("7.1", date(2025, 1, 1)), ("7.2", date(2025, 3, 2))], D("1775003.550")),
        ([("7.1", date(2025, 1, 1)), ("7.05", date(2025, 3, 1))], D("1762503.525")),
    ],
)
async def test_foreign_currency_uses_rate_in_force_on_contract_date(
    db: DatabaseUnderTest, world: World, rates: Any, amount: Any
) -> None:
    async with db.sessions() as s:
        for rate, on in rates:
            await usd_rate(s, rate, on)
        e = await one(s, world.purchase_a_us)
    assert e.amount_cny == amount
    [item] = art41(e)  # screened YES by the world's rules
    assert (item.entity.min, item.entity.max) == (amount, amount * 10)


async def test_missing_rate_names_currency_and_date(db: DatabaseUnderTest, world: World) -> None:
    async with db.sessions() as s:
        await usd_rate(s, on=date(2025, 3, 2))  # one day too late
        with pytest.raises(MissingExchangeRate) as caught:
            await one(s, world.purchase_a_us)
    assert isinstance(caught.value, InputError)
    assert "USD" in str(caught.value) and "2025-03-01" in str(caught.value)


async def audit_actions(s: AsyncSession, action: str) -> int:
    return int(await s.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


@pytest.mark.parametrize(
    ("currency", "rate", "field"),
    [("USD", 7.1, "rateToCny"), ("CNY", "1", "currency"), ("USD", "-2", "rateToCny")],
)
async def test_set_exchange_rate_validation(
    db: DatabaseUnderTest, world: World, currency: Any, rate: Any, field: Any
) -> None:
    async with db.sessions() as s:
        with pytest.raises(InputError) as caught:
            await rates.set_exchange_rate(s, SYSTEM, currency, rate, "2025-01-01", "x")
        assert field in [e.field for e in caught.value.errors]
        assert await audit_actions(s, "exchange_rate.set") == 0


async def test_set_exchange_rate_audited_and_same_day_replaces(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as s:
        await usd_rate(s, "7.1")
        await usd_rate(s, "7.15")
        rows = await exposure.exchange_rates(s, SYSTEM)
        assert [(r.currency, r.rate_to_cny) for r in rows] == [("USD", D("7.15"))]
        assert await audit_actions(s, "exchange_rate.set") == 2


def seed_document(**changes: Any) -> dict[str, Any]:
    from importlib.resources import files

    doc = orjson.loads((files("procurement.exposure") / "seed_schedules.json").read_bytes())
    doc["schedules"][0].update(changes)  # schedules[0] is cii-2021-art41-immediate
    result: dict[str, Any] = doc
    return result


async def test_update_penalty_schedules_rejects_bad_record_with_path(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as s:
        for bad, field in [
            ("{not json", "document"),
            (orjson.dumps(seed_document(entity_max="ten")).decode(), "document.schedules[0]"),
        ]:
            with pytest.raises(InputError) as caught:
                await exposure_data.update_penalty_schedules(s, SYSTEM, bad)
            fields = [e.field or "" for e in caught.value.errors]
            assert fields and all(f.startswith(field) for f in fields), fields
        assert await audit_actions(s, "penalty_schedules.updated") == 0
        assert (await exposure_store.current_schedules(s))[0] == 0


async def test_new_schedule_version_is_used_by_next_calculation(
    db: DatabaseUnderTest, world: World
) -> None:
    # given: Art. 41 edited to 1x-5x
    async with db.sessions() as s:
        await set_state(s, world.purchase_a_cn, Verdict.YES)
        document = orjson.dumps(seed_document(entity_max="5")).decode()
        row = await exposure_data.update_penalty_schedules(s, SYSTEM, document, "test edit")
        # when
        run = await exposure.assess(s, SYSTEM, purchase_ids=[world.purchase_a_cn], as_of=AS_OF)
        assert await audit_actions(s, "penalty_schedules.updated") == 1
    # then
    assert row.version == run.schedule_version == 1
    [item] = art41(run.exposures[0])
    assert item.entity.max == D("6000000.00")


async def test_what_if_never_increases_and_keeps_failed_review(
    db: DatabaseUnderTest, world: World
) -> None:
    # given: A-CN failed and in use, A-US pending YES, B-CN pending NEEDS_ASSESSMENT
    async with db.sessions() as s:
        await usd_rate(s)
        await set_state(s, world.purchase_a_cn, Verdict.YES, CaseState.FAILED, date(2025, 4, 1))
        # when
        real = await exposure.assess(s, SYSTEM, as_of=AS_OF)
        what_if = await exposure.assess(s, SYSTEM, as_of=AS_OF, what_if=True)
    # then: no purchase goes up; only the failed review (Art. 41, 1,220,000-12,200,000) is left
    for r, w in zip(real.exposures, what_if.exposures, strict=True):
        assert w.total.min <= r.total.min and w.total.max <= r.total.max
        assert w.conditional_max <= r.conditional_max
    totals = {e.purchase_id: (e.total.max, e.conditional_max) for e in what_if.exposures}
    assert totals == {
        str(world.purchase_a_cn): (D("12200000.00"), D("12200000.00")),
        str(world.purchase_a_us): (D(0), D(0)),
        str(world.purchase_b_cn): (D(0), D(0)),
    }


async def test_hand_reconcilable_three_purchases(db: DatabaseUnderTest, world: World) -> None:
    # given: A-CN YES pending; A-US YES pending (USD 250,000.50 x 7.1); B-CN NEEDS_ASSESSMENT
    async with db.sessions() as s:
        await usd_rate(s)
        await set_state(s, world.purchase_a_cn, Verdict.YES)
        # when
        run, summary = await exposure.summary(
            s, SYSTEM, operator_id=None, as_of=AS_OF, group_by=GroupBy.VENDOR
        )
    # then: per purchase (immediate min, max, worst case), worked out by hand
    per = {e.purchase_id: (e.total.min, e.total.max, e.conditional_max) for e in run.exposures}
    assert per == {
        # 1,200,000 x 1-10 + 2 x 10,000-100,000; worst + 39(9) 1,000,000 + 100,000
        str(world.purchase_a_cn): (D("1220000"), D("12200000"), D("13300000")),
        # 1,775,003.55 x 1-10 + 2 persons; worst + 1,100,000
        str(world.purchase_a_us): (D("1795003.55"), D("17950035.5"), D("19050035.5")),
        # only the 39(9) worst case
        str(world.purchase_b_cn): (D(0), D(0), D("1100000")),
    }
    assert (summary.total.min, summary.total.max) == (D("3015003.55"), D("30150035.5"))
    assert summary.total.max == sum(v[1] for v in per.values())
    assert summary.conditional_max == D("33450035.5") == sum(v[2] for v in per.values())
    groups = {g.key: (g.total.max, g.conditional_max) for g in summary.groups}
    assert groups == {
        ("Huaxin Networks",): (D("12200000"), D("14400000")),
        ("Northwind Storage",): (D("17950035.5"), D("19050035.5")),
    }


async def test_a_review_decision_counts_only_from_its_date(
    db: DatabaseUnderTest, world: World
) -> None:
    # given: screening YES, and a reviewer's NOT_REQUIRED decision dated after AS_OF
    async with db.sessions() as s:
        await set_state(s, world.purchase_a_cn, Verdict.YES, CaseState.NOT_REQUIRED)
        case = await s.scalar(
            select(ReviewCase).where(ReviewCase.purchase_id == world.purchase_a_cn)
        )
        assert case is not None
        case.state_since = date(2025, 7, 1)
        await s.commit()
        # when assessing a day before and a day after the decision
        before = await one(s, world.purchase_a_cn, date(2025, 6, 30))
        after = await one(s, world.purchase_a_cn, date(2025, 7, 1))
    # then Art. 41 counts until the decision and not from it on
    assert [i.counted for i in art41(before)] == [True]
    assert art41(after) == []
