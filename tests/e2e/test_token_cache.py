"""A verified API token is kept a few seconds per process (issue 14, throughput): the second
request with one token runs no token statement, yet revocation and expiry still take effect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select, update

from procurement.models import ApiToken
from procurement.permissions import SYSTEM
from procurement.registry import token_cache
from procurement.registry.actions import accounts, tokens
from procurement.registry.authentication import hash_secret
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.accounts import make_account
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql

ME = "{ me { role } }"
INVALID = {
    "errors": [
        {
            "message": "the token sent is not valid: it is mistyped, revoked or unknown here; "
            "ask an administrator for a new one"
        }
    ]
}


def _token_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "api_tokens" in s]


async def _token_id(db: DatabaseUnderTest, secret: str) -> int:
    async with db.sessions() as session:
        found = await session.scalar(
            select(ApiToken.id).where(ApiToken.secret_hash == hash_secret(secret))
        )
    assert found is not None
    return int(found)


async def test_a_second_request_with_one_token_runs_no_token_statement(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given the auditor's token, used once
    with db.queries.counting() as first:
        assert await gql(client, world.secrets["auditor"], ME) == (
            200,
            {"data": {"me": {"role": "AUDITOR"}}},
        )
    # when it is used again at once
    with db.queries.counting() as second:
        status, body = await gql(client, world.secrets["auditor"], ME)
    # then the first looked it up (and noted its use), the second did not touch the token table
    assert len(_token_statements(first)) == 2
    assert (status, body) == (200, {"data": {"me": {"role": "AUDITOR"}}})
    assert _token_statements(second) == []


async def test_a_token_revoked_by_the_action_is_refused_at_once(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given the reviewer's token, used (so cached in this process)
    secret = world.secrets["reviewer"]
    assert (await gql(client, secret, ME))[0] == 200
    # when an administrator revokes it
    async with db.sessions() as session:
        await tokens.revoke_token(session, SYSTEM, await _token_id(db, secret))
    # then the next request is refused, well within the cache's lifetime
    assert await gql(client, secret, ME) == (401, INVALID)


async def test_revoking_an_accounts_tokens_forgets_them_at_once(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a token of an account, used (so cached)
    account_id = await make_account(db, "ada")
    async with db.sessions() as session:
        _token, secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=None, name="laptop", account_id=account_id)
        )
    assert await gql(client, secret, ME) == (200, {"data": {"me": {"role": "ADMIN"}}})
    # when all the account's tokens are revoked
    async with db.sessions() as session:
        assert await accounts.revoke_account_tokens(session, SYSTEM, account_id) == 1
    # then the token is refused at once
    assert await gql(client, secret, ME) == (401, INVALID)


async def test_a_cached_token_that_expires_is_refused(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given the auditor's token, used and so cached with its expiry ninety days away
    secret = world.secrets["auditor"]
    assert (await gql(client, secret, ME))[0] == 200
    # when its cached expiry has passed (the database is not asked again within the TTL)
    key = hash_secret(secret)
    entry = token_cache.recall(key, 60)
    assert entry is not None
    yesterday = datetime.now(UTC) - timedelta(days=1)
    token_cache.remember(key, entry.principal, yesterday, 60)
    status, body = await gql(client, secret, ME)
    # then it is refused saying when it expired
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


async def test_with_the_cache_off_every_request_looks_the_token_up(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a server with PROCUREMENT_TOKEN_CACHE_SECONDS=0, and a token used once
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_TOKEN_CACHE_SECONDS": "0"}
    )
    assert settings.token_cache_seconds == 0
    app = create_app(settings, engine=db.engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        secret = world.secrets["auditor"]
        assert (await gql(http, secret, ME))[0] == 200
        # when a direct change expires it in the database
        async with db.sessions() as session:
            await session.execute(
                update(ApiToken)
                .where(ApiToken.secret_hash == hash_secret(secret))
                .values(expires_at=datetime.now(UTC) - timedelta(days=1))
            )
            await session.commit()
        # then the next request reads the token again and is refused
        with db.queries.counting() as statements:
            status, _body = await gql(http, secret, ME)
    assert status == 401
    assert len(_token_statements(statements)) == 1
