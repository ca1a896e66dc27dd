"""People's accounts: created and disabled by admins (or the local command line).

Disabling an account ends its console sessions and revokes its API tokens in the same
transaction: a person who leaves loses every way in at once.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.enums import Role
from procurement.errors import ErrorCode, NotFound
from procurement.models import Account, ApiToken, WebSession
from procurement.permissions import Action, Principal, require
from procurement.registry import token_cache
from procurement.registry.actions.binding import check_binding
from procurement.registry.messages import ERRORS
from procurement.registry.passwords import generate_password, hash_password, password_problem
from procurement.texts import Text
from procurement.validation import Checker

LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,79}")


@dataclass(frozen=True, slots=True)
class AccountInput:
    name: str
    login: str
    role: Role | str
    operator_id: int | None = None
    vendor_id: int | None = None
    # None: a random password is generated and returned (shown once).
    password: str | None = None
    # The OpenID Connect claim value (e.g. the email) that signs this person in; None: none.
    oidc_identity: str | None = None


def normalise_login(login: str) -> str:
    return login.strip().lower()


def normalise_identity(identity: str) -> str:
    """Emails compare without case (the OIDC module lower-cases them the same way)."""
    identity = identity.strip()
    return identity.lower() if "@" in identity else identity


async def create_account(
    session: AsyncSession, principal: Principal, data: AccountInput
) -> tuple[Account, str | None]:
    """Create an account; returns it and the generated password when none was given."""
    require(principal, Action.MANAGE_ACCOUNTS)
    check = Checker()
    role = check.enum("role", data.role, Role)
    name = check.text("name", data.name, max_len=120)
    login = normalise_login(data.login) if isinstance(data.login, str) else ""
    if not LOGIN_PATTERN.fullmatch(login):
        check.fail("login", Text("registry.account.login", {}), templates=ERRORS)
    elif await session.scalar(select(Account.id).where(Account.login == login)) is not None:
        taken_login = Text("registry.account.login_taken", {"login": login})
        check.fail("login", taken_login, ErrorCode.DUPLICATE, ERRORS)
    await check_binding(check, session, role, data.operator_id, data.vendor_id, "account")
    identity = check.text("oidcIdentity", data.oidc_identity, max_len=320, required=False)
    if identity is not None:
        identity = normalise_identity(identity)
        taken = select(Account.id).where(Account.oidc_identity == identity)
        if await session.scalar(taken) is not None:
            check.fail(
                "oidcIdentity",
                Text("registry.account.identity_taken", {}),
                ErrorCode.DUPLICATE,
                ERRORS,
            )
    generated = None
    password = data.password
    if password is None:
        password = generated = generate_password()
    elif (problem := password_problem(password)) is not None:
        check.fail("password", problem, templates=ERRORS)
    check.done()
    assert role is not None and name is not None
    account = Account(
        name=name,
        login=login,
        role=role,
        operator_id=data.operator_id,
        vendor_id=data.vendor_id,
        password_hash=await asyncio.to_thread(hash_password, password),  # not in the event loop
        oidc_identity=identity,
    )
    session.add(account)
    await session.flush()
    audit.record(
        session,
        principal,
        "account.created",
        "Account",
        account.id,
        operator_id=account.operator_id,
        after=audit.snapshot(account, exclude=frozenset({"password_hash"})),
    )
    await session.commit()
    return account, generated


async def _account(session: AsyncSession, account_id: int) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound("account", "account", account_id)
    return account


async def find_account_by_login(session: AsyncSession, principal: Principal, login: str) -> Account:
    require(principal, Action.MANAGE_ACCOUNTS)
    account = await session.scalar(select(Account).where(Account.login == normalise_login(login)))
    if account is None:
        raise NotFound("login", "account", f"'{normalise_login(login)}'")
    return account


async def _end_sessions(session: AsyncSession, account_id: int) -> int:
    result = await session.execute(
        update(WebSession)
        .where(WebSession.account_id == account_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def _revoke_tokens(session: AsyncSession, account_id: int) -> int:
    result = await session.execute(
        update(ApiToken)
        .where(ApiToken.account_id == account_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def disable_account(session: AsyncSession, principal: Principal, account_id: int) -> Account:
    """Disable an account, end its sessions and revoke its tokens (idempotent)."""
    require(principal, Action.MANAGE_ACCOUNTS)
    account = await _account(session, account_id)
    if account.disabled_at is not None:
        return account
    account.disabled_at = utcnow()
    sessions = await _end_sessions(session, account.id)
    revoked = await _revoke_tokens(session, account.id)
    audit.record(
        session,
        principal,
        "account.disabled",
        "Account",
        account.id,
        operator_id=account.operator_id,
        after={
            "disabled_at": audit.json_value(account.disabled_at),
            "sessions_ended": sessions,
            "tokens_revoked": revoked,
        },
    )
    await session.commit()
    token_cache.forget_account(account.id)  # refused at once in this process
    return account


async def enable_account(session: AsyncSession, principal: Principal, account_id: int) -> Account:
    """Let a disabled account sign in again (idempotent). Its old sessions and tokens stay
    ended: the person signs in afresh, and gets new tokens if they need any."""
    require(principal, Action.MANAGE_ACCOUNTS)
    account = await _account(session, account_id)
    if account.disabled_at is None:
        return account
    before = {"disabled_at": audit.json_value(account.disabled_at)}
    account.disabled_at = None
    audit.record(
        session,
        principal,
        "account.enabled",
        "Account",
        account.id,
        operator_id=account.operator_id,
        before=before,
        after={"disabled_at": None},
    )
    await session.commit()
    return account


async def revoke_account_tokens(
    session: AsyncSession, principal: Principal, account_id: int
) -> int:
    """Revoke every live API token of an account at once; returns how many."""
    require(principal, Action.MANAGE_TOKENS)
    account = await _account(session, account_id)
    revoked = await _revoke_tokens(session, account.id)
    audit.record(
        session,
        principal,
        "account.tokens_revoked",
        "Account",
        account.id,
        operator_id=account.operator_id,
        after={"tokens_revoked": revoked},
    )
    await session.commit()
    token_cache.forget_account(account.id)  # refused at once in this process
    return revoked


async def end_account_sessions(session: AsyncSession, principal: Principal, account_id: int) -> int:
    """Sign an account out of every browser (an admin's revoke); returns how many sessions."""
    require(principal, Action.MANAGE_ACCOUNTS)
    account = await _account(session, account_id)
    ended = await _end_sessions(session, account.id)
    audit.record(
        session,
        principal,
        "account.sessions_ended",
        "Account",
        account.id,
        operator_id=account.operator_id,
        after={"sessions_ended": ended},
    )
    await session.commit()
    return ended
