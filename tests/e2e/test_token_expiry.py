"""Tokens expire (90 days unless asked otherwise) and remember when they were last used
(issue 11: tokens lived for ever and nobody could tell a forgotten one from a busy one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from procurement.enums import Role
from procurement.errors import InputError
from procurement.models import ApiToken
from procurement.permissions import SYSTEM
from procurement.registry.actions import tokens
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql

ME = "{ me { role } }"


async def test_a_new_token_expires_in_90_days_and_never_when_asked(db: DatabaseUnderTest) -> None:
    async with db.sessions() as session:
        person, _ = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="person")
        )
        machine, _ = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="ci", expires_in_days=0)
        )
        with pytest.raises(InputError) as refused:
            await tokens.create_token(
                session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="x", expires_in_days=-1)
            )
    assert person.expires_at is not None
    lifetime = person.expires_at - datetime.now(UTC)
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    assert machine.expires_at is None
    assert [(e.field, e.code) for e in refused.value.errors] == [("expiresInDays", "OUT_OF_RANGE")]


async def test_an_expired_token_is_refused_saying_when_it_expired(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given the auditor's token, expired yesterday
    yesterday = datetime.now(UTC) - timedelta(days=1)
    async with db.sessions() as session:
        await session.execute(
            update(ApiToken).where(ApiToken.name == "auditor user").values(expires_at=yesterday)
        )
        await session.commit()
    # when it is used
    status, body = await gql(client, world.secrets["auditor"], ME)
    # then the 401 says it expired, and when
    assert (status, body) == (
        401,
        {
            "errors": [
                {
                    "message": f"the token expired on {yesterday.date().isoformat()}; "
                    "ask an administrator for a new one"
                }
            ]
        },
    )


async def test_a_use_is_recorded_once_per_ten_minutes(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async def last_used() -> datetime | None:
        async with db.sessions() as session:
            value: datetime | None = await session.scalar(
                select(ApiToken.last_used_at).where(ApiToken.name == "reviewer user")
            )
            return value

    assert await last_used() is None
    # when the token is used twice in a row
    await gql(client, world.secrets["reviewer"], ME)
    first = await last_used()
    await gql(client, world.secrets["reviewer"], ME)
    second = await last_used()
    # then the first use is recorded and the second, minutes later at most, changes nothing
    assert first is not None and abs(datetime.now(UTC) - first) < timedelta(minutes=1)
    assert second == first
