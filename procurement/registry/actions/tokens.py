"""API tokens: created and revoked by admins (or the local command line); stored only as hashes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.enums import Role
from procurement.errors import ErrorCode, NotFound
from procurement.models import Account, ApiToken
from procurement.permissions import Action, Principal, require
from procurement.registry import token_cache
from procurement.registry.actions.binding import check_binding
from procurement.registry.authentication import TOKEN_LIFETIME_DAYS, TOKEN_PREFIX, hash_secret
from procurement.registry.messages import ERRORS
from procurement.texts import Text
from procurement.validation import Checker

MAX_TOKEN_DAYS = 3650


@dataclass(frozen=True, slots=True)
class TokenInput:
    role: Role | str | None
    name: str
    operator_id: int | None = None
    vendor_id: int | None = None
    # Days until it stops working: None for the default (90), 0 for never (machines, on purpose).
    expires_in_days: int | None = None
    # A person's token: role, operator and vendor come from the account.
    account_id: int | None = None


async def _live_token_named(session: AsyncSession, account_id: int, name: str) -> bool:
    found = await session.scalar(
        select(ApiToken.id).where(
            ApiToken.account_id == account_id, ApiToken.name == name, ApiToken.revoked_at.is_(None)
        )
    )
    return found is not None


async def create_token(
    session: AsyncSession, principal: Principal, data: TokenInput
) -> tuple[ApiToken, str]:
    """Create a token; returns it and the secret, which is never shown again."""
    require(principal, Action.MANAGE_TOKENS)
    check = Checker()
    role = check.enum("role", data.role, Role) if data.account_id is None else None
    operator_id, vendor_id = data.operator_id, data.vendor_id
    name = check.text("name", data.name, max_len=120)
    account = None
    if data.account_id is not None:
        # A person's token carries the person's role and scope, whatever the input says.
        account = await session.get(Account, data.account_id)
        if account is None or account.disabled_at is not None:
            missing = Text("registry.not_found.account", {"id": data.account_id})
            check.fail("account", missing, ErrorCode.NOT_FOUND, ERRORS)
        else:
            role, operator_id, vendor_id = account.role, account.operator_id, account.vendor_id
            # A person tells their tokens apart by name; the same name twice is also what a
            # form posted twice (a reload) would make.
            if name is not None and await _live_token_named(session, account.id, name):
                taken = Text("registry.token.name_taken", {"name": name})
                check.fail("name", taken, ErrorCode.DUPLICATE, ERRORS)
    await check_binding(check, session, role, operator_id, vendor_id, "token")
    days = TOKEN_LIFETIME_DAYS if data.expires_in_days is None else data.expires_in_days
    if not 0 <= days <= MAX_TOKEN_DAYS:
        lifetime = Text("registry.token.lifetime", {"max": MAX_TOKEN_DAYS})
        check.fail("expiresInDays", lifetime, ErrorCode.OUT_OF_RANGE, ERRORS)
    check.done()
    assert role is not None and name is not None

    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        role=role,
        operator_id=operator_id,
        vendor_id=vendor_id,
        account_id=data.account_id,
        prefix=secret[:12],
        secret_hash=hash_secret(secret),
        expires_at=None if days == 0 else utcnow() + timedelta(days=days),
    )
    session.add(token)
    await session.flush()
    audit.record(
        session,
        principal,
        "token.created",
        "ApiToken",
        token.id,
        operator_id=token.operator_id,
        after=audit.snapshot(token, exclude=frozenset({"secret_hash"})),
    )
    await session.commit()
    return token, secret


async def revoke_token(session: AsyncSession, principal: Principal, token_id: int) -> ApiToken:
    require(principal, Action.MANAGE_TOKENS)
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("id", "token", token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        await session.flush()
        audit.record(
            session,
            principal,
            "token.revoked",
            "ApiToken",
            token.id,
            operator_id=token.operator_id,
            after={"revoked_at": audit.json_value(token.revoked_at)},
        )
        await session.commit()
    token_cache.forget_token(token.id)  # refused at once in this process (others: within the TTL)
    return token
