"""People's accounts and console sessions on both backends: creation rules, sessions that expire
(idle and absolute) or are revoked, and disabling that ends every way in at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from procurement.enums import Role
from procurement.errors import ErrorCode, FieldError, InputError, PermissionDenied
from procurement.models import Account, ApiToken, AuditEvent, WebSession
from procurement.permissions import SYSTEM, Principal
from procurement.registry import console_sessions
from procurement.registry.actions import accounts, tokens
from procurement.registry.session_secrets import hash_session_secret
from tests.support.accounts import PASSWORD, make_account
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LIFETIMES = console_sessions.Lifetimes(idle=timedelta(minutes=60), absolute=timedelta(hours=12))


async def _sign_in(db: DatabaseUnderTest, login: str, password: str = PASSWORD, now: datetime = T0):  # type: ignore[no-untyped-def]
    async with db.sessions() as session:
        return await console_sessions.sign_in(
            session, login, password, now=now, lifetimes=LIFETIMES, address="192.0.2.7"
        )


async def _found(db: DatabaseUnderTest, secret: str, now: datetime):  # type: ignore[no-untyped-def]
    async with db.sessions() as session:
        return await console_sessions.find_session(session, secret, now=now, idle=LIFETIMES.idle)


async def test_an_account_is_created_with_a_hash_and_audited(
    db: DatabaseUnderTest, world: World
) -> None:
    # when the command line creates a procurement account of operator A without a password
    async with db.sessions() as session:
        account, password = await accounts.create_account(
            session,
            SYSTEM,
            accounts.AccountInput(
                name="Wang Fang",
                login=" Wang.Fang ",
                role="procurement",
                operator_id=world.operator_a,
            ),
        )
    # then the login is lower-cased, a 20-character password is returned once, only its hash kept
    assert account.login == "wang.fang"
    assert password is not None and len(password) == 20
    async with db.sessions() as session:
        stored = await session.scalar(select(Account).where(Account.login == "wang.fang"))
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "account.created")
        )
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    assert password not in stored.password_hash
    assert event is not None and "password_hash" not in (event.after or {})
    assert (event.after or {})["login"] == "wang.fang"
    # and the person can sign in with it
    assert await _sign_in(db, "WANG.FANG", password) is not None


async def test_account_rules_are_the_token_rules_and_every_problem_is_reported(
    db: DatabaseUnderTest, world: World
) -> None:
    await make_account(db, "ada")
    before = await _counts(db)
    with pytest.raises(InputError) as refused:
        async with db.sessions() as session:
            await accounts.create_account(
                session,
                SYSTEM,
                accounts.AccountInput(
                    name="x", login="ADA", role=Role.VENDOR, operator_id=None, password="short"
                ),
            )
    assert refused.value.errors == [
        FieldError("login", "the login 'ada' is taken", ErrorCode.DUPLICATE),
        FieldError("vendor", "a vendor account must be bound to a vendor", ErrorCode.REQUIRED),
        FieldError("password", "must be at least 12 characters", ErrorCode.INVALID),
    ]
    assert await _counts(db) == before


async def test_only_admins_manage_accounts(db: DatabaseUnderTest, world: World) -> None:
    before = await _counts(db)
    auditor = Principal(role=Role.AUDITOR, name="auditor", operator_id=world.operator_a)
    with pytest.raises(PermissionDenied):
        async with db.sessions() as session:
            await accounts.create_account(
                session, auditor, accounts.AccountInput(name="x", login="x1", role=Role.ADMIN)
            )
    assert await _counts(db) == before


async def test_a_session_ends_after_the_idle_time_unless_used(db: DatabaseUnderTest) -> None:
    # given a session started at T0
    await make_account(db, "ada")
    signed = await _sign_in(db, "ada")
    assert signed is not None and signed.expires_at == T0 + timedelta(hours=12)
    # then it is live 59 minutes later, and gone at 60 minutes without activity
    found = await _found(db, signed.secret, T0 + timedelta(minutes=59))
    assert found is not None and found.principal.name == "Ada Lovelace"
    assert found.principal.role is Role.ADMIN and found.principal.token_id is None
    assert await _found(db, signed.secret, T0 + timedelta(minutes=60)) is None
    # when it was used at 59 minutes, it lives until 119
    async with db.sessions() as session:
        await console_sessions.note_seen(session, signed.session_id, T0 + timedelta(minutes=59))
        await session.commit()
    assert await _found(db, signed.secret, T0 + timedelta(minutes=118)) is not None
    assert await _found(db, signed.secret, T0 + timedelta(minutes=119)) is None


async def test_a_session_ends_at_its_absolute_limit_however_active(db: DatabaseUnderTest) -> None:
    await make_account(db, "ada")
    signed = await _sign_in(db, "ada")
    assert signed is not None
    async with db.sessions() as session:
        await console_sessions.note_seen(
            session, signed.session_id, T0 + timedelta(hours=11, minutes=59)
        )
        await session.commit()
    assert await _found(db, signed.secret, T0 + timedelta(hours=11, minutes=59)) is not None
    assert await _found(db, signed.secret, T0 + timedelta(hours=12)) is None


async def test_signing_out_revokes_only_that_session(db: DatabaseUnderTest) -> None:
    # given two sessions of one person
    await make_account(db, "ada")
    first, second = await _sign_in(db, "ada"), await _sign_in(db, "ada")
    assert first is not None and second is not None
    found = await _found(db, first.secret, T0)
    assert found is not None
    # when the first signs out
    async with db.sessions() as session:
        await console_sessions.sign_out(session, found.principal, T0 + timedelta(minutes=1))
    # then it no longer works, the other does, and only the hash was ever stored
    assert await _found(db, first.secret, T0 + timedelta(minutes=2)) is None
    assert await _found(db, second.secret, T0 + timedelta(minutes=2)) is not None
    async with db.sessions() as session:
        hashes = set(await session.scalars(select(WebSession.secret_hash)))
    assert hashes == {hash_session_secret(first.secret), hash_session_secret(second.secret)}


async def test_a_wrong_password_and_an_unknown_login_fail_alike_and_are_audited(
    db: DatabaseUnderTest,
) -> None:
    account_id = await make_account(db, "ada")
    assert await _sign_in(db, "ada", "wrong password!") is None
    assert await _sign_in(db, "nobody", PASSWORD) is None
    async with db.sessions() as session:
        events = list(
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "signin.failed")
                .order_by(AuditEvent.id)
            )
        )
        sessions = list(await session.scalars(select(WebSession)))
    assert [(e.object_id, e.after) for e in events] == [
        (account_id, {"login": "ada", "address": "192.0.2.7"}),
        (None, {"login": "nobody", "address": "192.0.2.7"}),
    ]
    assert sessions == []


async def test_disabling_ends_sessions_and_revokes_tokens_at_once(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a reviewer of operator A, signed in, with a token made for the account
    account_id = await make_account(db, "rui", Role.REVIEWER, operator_id=world.operator_a)
    signed = await _sign_in(db, "rui")
    assert signed is not None
    async with db.sessions() as session:
        token, _secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=None, name="rui's CI", account_id=account_id)
        )
    # then the token carries the account's role and scope
    assert (token.role, token.operator_id, token.account_id) == (
        Role.REVIEWER,
        world.operator_a,
        account_id,
    )
    # when the account is disabled
    async with db.sessions() as session:
        await accounts.disable_account(session, SYSTEM, account_id)
    # then the session no longer works, the token is revoked, and signing in fails
    assert await _found(db, signed.secret, T0) is None
    async with db.sessions() as session:
        revoked = await session.scalar(select(ApiToken.revoked_at).where(ApiToken.id == token.id))
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "account.disabled")
        )
        other_tokens = list(
            await session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_not(None)))
        )
    assert revoked is not None
    assert [t.id for t in other_tokens] == [token.id]  # the world's tokens are untouched
    assert event is not None and event.after is not None
    assert (event.after["sessions_ended"], event.after["tokens_revoked"]) == (1, 1)
    assert await _sign_in(db, "rui") is None


async def test_all_tokens_of_an_account_are_revoked_at_once(
    db: DatabaseUnderTest, world: World
) -> None:
    account_id = await make_account(db, "ada")
    async with db.sessions() as session:
        for name in ("laptop", "ci"):
            await tokens.create_token(
                session, SYSTEM, tokens.TokenInput(role=None, name=name, account_id=account_id)
            )
    async with db.sessions() as session:
        count = await accounts.revoke_account_tokens(session, SYSTEM, account_id)
    async with db.sessions() as session:
        live = list(
            await session.scalars(
                select(ApiToken.name).where(
                    ApiToken.account_id == account_id, ApiToken.revoked_at.is_(None)
                )
            )
        )
    assert (count, live) == (2, [])


async def _counts(db: DatabaseUnderTest) -> dict[str, int]:
    async with db.sessions() as session:
        return await row_counts(session)


async def test_an_admin_ends_all_sessions_of_an_account(db: DatabaseUnderTest) -> None:
    account_id = await make_account(db, "ada")
    first, second = await _sign_in(db, "ada"), await _sign_in(db, "ada")
    assert first is not None and second is not None
    async with db.sessions() as session:
        ended = await accounts.end_account_sessions(session, SYSTEM, account_id)
    assert ended == 2
    assert await _found(db, first.secret, T0) is None
    assert await _found(db, second.secret, T0) is None
    # and the person may sign in again
    assert await _sign_in(db, "ada") is not None
