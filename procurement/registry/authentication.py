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
    if token.expires_at is not None and token.expires_at <= (now or utcnow()):
        raise Unauthenticated(
            f"the token expired on {token.expires_at.date().isoformat()}; "
            "ask an administrator for a new one"
        )
    return token


def principal_of(token: ApiToken) -> Principal:
    return Principal(
        role=token.role,
        name=token.name,
        token_id=token.id,
        operator_id=token.operator_id,
        vendor_id=token.vendor_id,
        account_id=token.account_id,
    )


async def authenticate(session: AsyncSession, secret: str) -> Principal | None:
    """The principal for a presented secret, or None when unknown or revoked."""
    token = await find_token(session, secret)
    return None if token is None else principal_of(token)


def use_is_stale(token: ApiToken, now: datetime) -> bool:
    return token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION


async def note_use(session: AsyncSession, token_id: int, now: datetime) -> None:
    """Record the token's use (the caller commits, and decides what a failure means)."""
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
