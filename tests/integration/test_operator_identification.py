"""Issue 9 on both databases: migration 0017 gives every CII operator an assumed open period,
registerOperator and updateOperator keep the history, and a change of the history or of the
investigation mark drops the cached exposure so the summary follows at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, text

from procurement import migrate
from procurement.enums import Sector
from procurement.errors import ErrorCode, FieldError, InputError
from procurement.exposure import GroupBy
from procurement.exposure import reads as exposure
from procurement.models import OperatorIdentification
from procurement.permissions import SYSTEM
from procurement.registry.actions import investigation, operators
from procurement.screening.actions.rates import set_exchange_rate
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.world import World, credit_code

AS_OF = date(2027, 6, 1)
D = Decimal


async def test_upgrade_gives_cii_operators_an_assumed_open_period(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the world's two CII operators and one that is not, at revision 0015
    async with db.sessions() as session:
        plain = await operators.register_operator(
            session,
            SYSTEM,
            operators.OperatorInput(
                name="Plain Co", credit_code=credit_code("91440300MA5G00000"),
                sector=Sector.ENERGY, is_cii_operator=False,
            ),
        )  # fmt: skip
    await downgrade(db, "0015")
    # when upgrading to the head
    await migrate.upgrade(db.engine)
    # then each CII operator has one open period from 2017-06-01, marked assumed; the other none
    async with db.engine.begin() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT operator_id, identified_on, ended_on, assumed FROM "
                    "operator_identifications ORDER BY operator_id"
                )
            )
        ).all()
    assert [(r[0], str(r[1]), r[2], bool(r[3])) for r in rows] == [
        (world.operator_a, "2017-06-01", None, True),
        (world.operator_b, "2017-06-01", None, True),
    ]
    assert plain.id not in {r[0] for r in rows}
    assert await migrate.current_revision(db.engine) == migrate.head_revision()


async def test_register_operator_with_its_notification_date(db: DatabaseUnderTest) -> None:
    # when an operator is registered with the day it was notified
    async with db.sessions() as session:
        op = await operators.register_operator(
            session,
            SYSTEM,
            operators.OperatorInput(
                name="Grid Co", credit_code=credit_code("91440300MA5G00001"),
                sector=Sector.ENERGY, is_cii_operator=True, cii_identified_on="2023-09-01",
                identification_reference="No. 12",
            ),
        )  # fmt: skip
        rows = list(
            await session.scalars(
                select(OperatorIdentification).where(OperatorIdentification.operator_id == op.id)
            )
        )
    # then its period starts that day and is not assumed
    assert [(r.identified_on, r.ended_on, r.assumed, r.reference) for r in rows] == [
        (date(2023, 9, 1), None, False, "No. 12")
    ]


async def test_a_date_for_an_operator_that_is_not_cii_is_refused(db: DatabaseUnderTest) -> None:
    async with db.sessions() as session:
        data = operators.OperatorInput(
            name="Plain Co", credit_code=credit_code("91440300MA5G00002"),
            sector=Sector.ENERGY, is_cii_operator=False, cii_identified_on="2023-09-01",
        )  # fmt: skip
        try:
            await operators.register_operator(session, SYSTEM, data)
        except InputError as refused:
            errors = refused.errors
        else:
            raise AssertionError("registered")
    assert errors == [
        FieldError("ciiIdentifiedOn", "is given but isCiiOperator is false", ErrorCode.INVALID)
    ]


async def test_summary_follows_the_identification_and_the_investigation(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's summary on 2027-06-01, cached: A-US (screened YES, never reviewed nor
    # used) has its Art. 41 line time-barred, the two missing agreements count under Art. 61
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "7.1", date(2025, 1, 1), "PBOC")

    async def summary() -> tuple[Decimal, Decimal, Decimal]:
        async with db.sessions() as session:
            _run, result = await exposure.summary(
                session, SYSTEM, operator_id=world.operator_a, as_of=AS_OF,
                group_by=GroupBy.ARTICLE,
            )  # fmt: skip
        return result.total.min, result.total.max, result.conditional_max

    assert await summary() == (D(0), D(200_000), D(24_000_000))
    # when the purchase is marked under investigation since 2025-09-01
    async with db.sessions() as session:
        await investigation.mark_under_investigation(
            session, SYSTEM, world.purchase_a_us, "2025-09-01"
        )
    # then Art. 41 counts again: 1x-10x CNY 1,775,003.55 plus two persons at CNY 10,000-100,000,
    # beside the two agreements' CNY 0-100,000 at once (worst case 2 x 12,000,000)
    assert await summary() == (D("1795003.55"), D("18150035.50"), D("41950035.50"))
    # when the admin records that A was identified only on 2025-04-01, after both contracts
    async with db.sessions() as session:
        await operators.update_operator(
            session, SYSTEM, world.operator_a,
            operators.OperatorChange(cii_identified_on="2025-04-01"),
        )  # fmt: skip
    # then neither purchase (never put into use) owes anything
    assert await summary() == (D(0), D(0), D(0))
