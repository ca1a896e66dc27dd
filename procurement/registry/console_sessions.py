"""Signing people in to the console: password check, session rows, sign-out.

Like ``authentication``, signing in makes the principal, so it cannot check one. Sessions are
rows (only the secret's hash), so every app process sharing the database sees a sign-out at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.enums import Role
from procurement.models import Account, WebSession
from procurement.permissions import Principal
from procurement.registry.actions.accounts import normalise_identity, normalise_login
from procurement.registry.passwords import hash_password, needs_rehash, verify_password
from procurement.registry.session_secrets import (
    hash_session_secret,
    is_session_secret,
    new_session_secret,
)

LAST_SEEN_RESOLUTION = timedelta(minutes=1)
SIGN_IN_PAGE = Principal(role=Role.ADMIN, name="sign-in page")  # who records failed attempts


@dataclass(frozen=True, slots=True)
class Lifetimes:
    idle: timedelta
    absolute: timedelta


@dataclass(frozen=True, slots=True)
class SignedIn:
    secret: str  # for the cookie; never stored
    session_id: int
    expires_at: datetime


def principal_of_account(account: Account, session_id: int | None = None) -> Principal:
    return Principal(
        role=account.role,
        name=account.name,
        operator_id=account.operator_id,
        vendor_id=account.vendor_id,
        account_id=account.id,
        session_id=session_id,
    )


async def record_failure(
    session: AsyncSession, account: Account | None, who: str, address: str, method: str
) -> None:
    """Audit a failed sign-in (the caller's answer never says which part was wrong). Commits."""
    audit.record(
        session,
        SIGN_IN_PAGE,
        "signin.failed",
        "Account",
        account.id if account is not None else None,
        after={"login": who, "address": address}
        | ({} if method == "password" else {"method": method}),
    )
    await session.commit()


async def start_session(
    session: AsyncSession,
    account: Account,
    *,
    now: datetime,
    lifetimes: Lifetimes,
    address: str,
    method: str,
) -> SignedIn:
    secret = new_session_secret()
    row = WebSession(
        account_id=account.id,
        secret_hash=hash_session_secret(secret),
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetimes.absolute,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        principal_of_account(account, row.id),
        "session.started",
        "Account",
        account.id,
        operator_id=account.operator_id,
        after={"session_id": row.id, "address": address, "method": method},
    )
    await session.commit()
    return SignedIn(secret=secret, session_id=row.id, expires_at=row.expires_at)


async def sign_in(
    session: AsyncSession,
    login: str,
    password: str,
    *,
    now: datetime,
    lifetimes: Lifetimes,
    address: str,
) -> SignedIn | None:
    """A new session when the login and password match a live account; None otherwise (the
    failure is audited without saying which of the two was wrong). Commits."""
    wanted = normalise_login(login)[:80]
    account = await session.scalar(select(Account).where(Account.login == wanted))
    live = account if account is not None and account.disabled_at is None else None
    # Verified even for an unknown login (against a decoy): the answer takes as long either way.
    # In a worker thread: Argon2 takes a large fraction of a second of CPU on purpose, and the
    # event loop must go on serving other requests meanwhile (argon2-cffi releases the GIL).
    matches = await asyncio.to_thread(
        verify_password, live.password_hash if live else None, password
    )
    if not matches or live is None:
        await record_failure(session, account, wanted, address, "password")
        return None
    if needs_rehash(live.password_hash):
        live.password_hash = await asyncio.to_thread(hash_password, password)
    return await start_session(
        session, live, now=now, lifetimes=lifetimes, address=address, method="password"
    )


async def sign_in_by_identity(
    session: AsyncSession, identity: str, *, now: datetime, lifetimes: Lifetimes, address: str
) -> SignedIn | None:
    """A new session for the live account whose OpenID Connect identity this is (the ID token
    was verified by the caller); None otherwise, audited. Commits."""
    wanted = normalise_identity(identity)
    account = await session.scalar(select(Account).where(Account.oidc_identity == wanted))
    if account is None or account.disabled_at is not None:
        await record_failure(session, account, wanted[:320], address, "oidc")
        return None
    return await start_session(
        session, account, now=now, lifetimes=lifetimes, address=address, method="oidc"
    )


@dataclass(frozen=True, slots=True)
class FoundSession:
    principal: Principal
    seen_is_stale: bool


async def find_session(
    session: AsyncSession, secret: str, *, now: datetime, idle: timedelta
) -> FoundSession | None:
    """The signed-in principal for a cookie's secret; None when unknown, revoked, expired (idle
    or absolute) or its account is disabled."""
    if not is_session_secret(secret):
        return None
    found = (
        await session.execute(
            select(WebSession, Account)
            .join(Account, Account.id == WebSession.account_id)
            .where(WebSession.secret_hash == hash_session_secret(secret))
        )
    ).first()
    if found is None:
        return None
    row, account = found
    if (
        row.revoked_at is not None
        or account.disabled_at is not None
        or row.expires_at <= now
        or now - row.last_seen_at >= idle
    ):
        return None
    return FoundSession(
        principal=principal_of_account(account, row.id),
        seen_is_stale=now - row.last_seen_at >= LAST_SEEN_RESOLUTION,
    )


async def note_seen(session: AsyncSession, session_id: int, now: datetime) -> None:
    """Push the idle deadline on (the caller commits)."""
    await session.execute(
        update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now)
    )


async def sign_out(session: AsyncSession, principal: Principal, now: datetime) -> None:
    """End the principal's own session (a no-op for a token). Commits."""
    if principal.session_id is None:
        return
    await session.execute(
        update(WebSession)
        .where(WebSession.id == principal.session_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    audit.record(
        session,
        principal,
        "session.ended",
        "Account",
        principal.account_id,
        operator_id=principal.operator_id,
        after={"session_id": principal.session_id},
    )
    await session.commit()
