"""What registering a purchase costs in SQL statements (issue 14: the mixed load's writes), on both
databases: the purchase, its persons, its screening and case, the audit rows and their notices,
with no statement spent looking for a result, a case or a cached exposure digest that a purchase
inserted in the same transaction cannot have, single rows inserted with RETURNING, each audit
chain head locked and read once, and no fan-out job added while one waits.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from procurement.enums import PersonRole
from procurement.models import AuditEvent, Job, ResponsiblePerson
from procurement.notifications.enqueue import FAN_OUT
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, person, purchase_input

EXPECTED = [
    "SELECT operators",  # the operator exists
    "SELECT vendors",  # the vendor exists
    "SELECT cii_systems",  # the CII system is the operator's
    "INSERT purchases",
    "INSERT responsible_persons",  # both persons, one statement
    "INSERT audit_chain_heads",  # operator A's chain head, locked and read once
    "UPDATE audit_chain_heads",
    "INSERT audit_events",  # purchase.registered
    "SELECT screening_rule_sets",
    "SELECT purchases",  # the screening's facts
    "SELECT exchange_rates",
    "SELECT restriction_entries",
    "SELECT sbom_versions",
    "INSERT screening_results",  # RETURNING its id; a new purchase has no result to supersede
    "INSERT review_cases",  # RETURNING its id; nor a case to update
    "INSERT review_events",
    "UPDATE audit_chain_heads",  # the head stored once for the two bulk rows
    "INSERT audit_events",  # screening.verdict_changed, review_case.opened
    "INSERT notification_events",
    "SELECT jobs",  # a fan-out job is waiting: no other is added
]


def shape(statement: str) -> str:
    """``INSERT purchases``, ``SELECT screening_results``...: the verb and the first table."""
    verb = statement.split()[0].upper()
    table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", statement, re.IGNORECASE)
    return f"{verb} {table.group(1) if table else '?'}"


async def register(db: DatabaseUnderTest, world: World, title: str) -> int:
    data = purchase_input(
        world.operator_a, world.vendor_us, title, cii_system_id=world.system_a,
        persons=[person("Zhang Wei"), person("Li Na", PersonRole.OTHER_RESPONSIBLE)],
    )  # fmt: skip
    async with db.sessions() as session:
        return (await purchases.register_purchase(session, SYSTEM, data)).id


async def test_registering_a_purchase_runs_these_statements_and_none_on_exposure_digests(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a registration whose fan-out job is waiting, not yet run
    await register(db, world, "Edge firewalls")
    # when another purchase is registered
    with db.queries.counting() as statements:
        purchase_id = await register(db, world, "Core firewalls")
    # then it ran these statements, none on exposure_snapshots nor adding a job
    assert [shape(s) for s in statements] == EXPECTED
    # and stored both persons, audited with them, and one fan-out job waits for both
    async with db.sessions() as session:
        stored = await session.execute(
            select(ResponsiblePerson.name, ResponsiblePerson.role)
            .where(ResponsiblePerson.purchase_id == purchase_id)
            .order_by(ResponsiblePerson.id)
        )
        after = await session.scalar(
            select(AuditEvent.after).where(
                AuditEvent.action == "purchase.registered", AuditEvent.object_id == purchase_id
            )
        )
        jobs = list(await session.scalars(select(Job.kind)))
    assert [tuple(r) for r in stored] == [
        ("Zhang Wei", PersonRole.PERSON_IN_CHARGE),
        ("Li Na", PersonRole.OTHER_RESPONSIBLE),
    ]
    assert after is not None and after["persons"] == [
        {"name": "Zhang Wei", "role": "PERSON_IN_CHARGE", "position": None},
        {"name": "Li Na", "role": "OTHER_RESPONSIBLE", "position": None},
    ]
    assert jobs == [FAN_OUT]
