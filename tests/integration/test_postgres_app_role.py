"""The README's PostgreSQL grants, run for real: the app role writes audit events (sealed into
their chains) but can neither change them nor lift the append-only trigger (issue 11)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from procurement import audit_verify
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.permissions import SYSTEM
from procurement.registry.actions import vendors
from tests.support.databases import DatabaseUnderTest, process_tag
from tests.support.world import World

pytestmark = pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_grants() -> list[str]:
    """The SQL statements of the README's section on the app role, one per line."""
    section = README.read_text(encoding="utf-8").split("A database role that does not own")[1]
    block = re.search(r"```sql\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
async def app_url(db: DatabaseUnderTest) -> AsyncIterator[str]:
    """A login role with exactly the README's grants on this database; its URL."""
    role = f"procurement_app_{process_tag()}".lower()
    async with db.engine.begin() as owner:
        await owner.execute(text(f"CREATE ROLE {role} LOGIN"))
        for statement in readme_grants():
            await owner.execute(text(statement.replace("procurement_app", role)))
    yield make_url(db.url).set(username=role, password=None).render_as_string(hide_password=False)
    async with db.engine.begin() as owner:
        await owner.execute(text(f"DROP OWNED BY {role}"))
        await owner.execute(text(f"DROP ROLE {role}"))


NOT_OWNER = "must be owner of table audit_events"
DENIED = "permission denied for table audit_events"


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only", NOT_OWNER),
        (
            "DROP TRIGGER audit_events_append_only ON audit_events",
            "must be owner of relation audit_events",
        ),
        ("UPDATE audit_events SET action = 'tampered'", DENIED),
        ("DELETE FROM audit_events", DENIED),
        ("TRUNCATE audit_events", DENIED),
        (
            "UPDATE alembic_version SET version_num = '0001'",
            "permission denied for table alembic_version",
        ),
    ],
)
async def test_the_app_role_cannot_change_the_audit_log(
    db: DatabaseUnderTest, world: World, app_url: str, statement: str, refusal: str
) -> None:
    # given the app role, with the README's grants
    engine = create_engine(app_url)
    try:
        # when it tries to change events or lift the trigger, then PostgreSQL refuses
        with pytest.raises(DBAPIError, match=re.escape(refusal)):
            async with engine.begin() as connection:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
    # and the 20 events are untouched
    async with db.sessions() as session:
        assert [r.message for r in await audit_verify.verify(session)] == ["", "", ""]


async def test_the_app_role_still_writes_events_into_the_chain(
    db: DatabaseUnderTest, world: World, app_url: str
) -> None:
    # given the app role's sessions
    engine = create_engine(app_url)
    try:
        # when it registers a vendor (one audit event, no operator: the system actor)
        async with app_sessions(engine)() as session:
            vendor = await vendors.register_vendor(
                session, SYSTEM, vendors.VendorInput("Lianhe", "CN", "STATE")
            )
        # then the event is chained, and the app role itself can verify the log
        async with app_sessions(engine)() as session:
            reports = await audit_verify.verify(session)
    finally:
        await engine.dispose()
    assert vendor.id > 0
    assert [(r.operator_id, r.events, r.message) for r in reports] == [
        (world.operator_a, 11, ""),
        (world.operator_b, 5, ""),
        (None, 5, ""),
    ]
