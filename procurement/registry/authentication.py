"""How a request gets its principal: API token secrets, their hashes and the look-up.

``authenticate`` makes the principal, so it cannot check one; ``count_tokens`` lets the command
line create the first admin token. Nothing here writes or commits.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import ApiToken
from procurement.permissions import Principal

TOKEN_PREFIX = "prt_"


def hash_secret(secret: str) -> str:
    # The secret has 256 bits of entropy, so a plain SHA-256 is enough (no password stretching).
    return hashlib.sha256(secret.encode()).hexdigest()


async def count_tokens(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(ApiToken)) or 0)


async def authenticate(session: AsyncSession, secret: str) -> Principal | None:
    """The principal for a presented secret, or None when unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = await session.scalar(
        select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret))
    )
    if token is None or token.revoked_at is not None:
        return None
    return Principal(
        role=token.role,
        name=token.name,
        token_id=token.id,
        operator_id=token.operator_id,
        vendor_id=token.vendor_id,
    )
