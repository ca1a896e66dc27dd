"""How a request gets its principal: API token secrets, their hashes and the look-up.

``authenticate`` makes the principal, so it cannot check one; ``count_tokens`` lets the command
line create the first admin token. Only ``note_use`` writes (a token's last use), and it never
commits.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.db import utcnow
from procurement.errors import Unauthenticated
from procurement.models import ApiToken
from procurement.permissions import Principal
from procurement.registry import token_cache

TOKEN_PREFIX = "prt_"
TOKEN_LIFETIME_DAYS = 90  # the default; a token may be made for longer, or for ever (0)
LAST_USE_RESOLUTION = timedelta(minutes=10)


def hash_secret(secret: str) -> str:
    # The secret has 256 bits of entropy, so a plain SHA-256 is enough (no password stretching).
    return hashlib.sha256(secret.encode()).hexdigest()


async def count_tokens(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(ApiToken)) or 0)


async def find_token(
    session: AsyncSession, secret: str, *, now: datetime | None = None
) -> ApiToken | None:
    """The live token for a presented secret; None when unknown or revoked. An expired token
    raises Unauthenticated saying when it expired, so its holder knows to get a new one."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = await session.scalar(
        select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret))
    )
    if token is None or token.revoked_at is not None:
        return None
    check_not_expired(token.expires_at, now or utcnow())
    return token


def check_not_expired(expires_at: datetime | None, now: datetime) -> None:
    """Raises Unauthenticated saying when the token expired, so its holder gets a new one."""
    if expires_at is not None and expires_at <= now:
        raise Unauthenticated(
            f"the token expired on {expires_at.date().isoformat()}; "
            "ask an administrator for a new one"
        )


def principal_of(token: ApiToken) -> Principal:
    return Principal(
        role=token.role,
        name=token.name,
        token_id=token.id,
        operator_id=token.operator_id,
        vendor_id=token.vendor_id,
        account_id=token.account_id,
    )


def recall_principal(secret: str, ttl_seconds: float, now: datetime) -> Principal | None:
    """The principal of a token verified less than ``ttl_seconds`` ago in this process, without
    touching the database; None when not cached. An expired one raises Unauthenticated."""
    if ttl_seconds <= 0 or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    cached = token_cache.recall(hash_secret(secret), ttl_seconds)
    if cached is None:
        return None
    check_not_expired(cached.expires_at, now)
    return cached.principal


def remember_principal(
    secret: str, principal: Principal, expires_at: datetime | None, ttl_seconds: float
) -> None:
    token_cache.remember(hash_secret(secret), principal, expires_at, ttl_seconds)


async def authenticate(session: AsyncSession, secret: str) -> Principal | None:
    """The principal for a presented secret, or None when unknown or revoked."""
    token = await find_token(session, secret)
    return None if token is None else principal_of(token)


def use_is_stale(token: ApiToken, now: datetime) -> bool:
    return token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION


async def note_use(session: AsyncSession, token_id: int, now: datetime) -> None:
    """Record the token's use (the caller commits, and decides what a failure means)."""
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
