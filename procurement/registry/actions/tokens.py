"""API tokens: created and revoked by admins (or the local command line); stored only as hashes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.enums import Role
from procurement.errors import ErrorCode, NotFound
from procurement.models import ApiToken, Operator, Vendor
from procurement.permissions import Action, Principal, require
from procurement.registry.authentication import TOKEN_LIFETIME_DAYS, TOKEN_PREFIX, hash_secret
from procurement.validation import Checker

MAX_TOKEN_DAYS = 3650


@dataclass(frozen=True, slots=True)
class TokenInput:
    role: Role | str
    name: str
    operator_id: int | None = None
    vendor_id: int | None = None
    # Days until it stops working: None for the default (90), 0 for never (machines, on purpose).
    expires_in_days: int | None = None


async def create_token(
    session: AsyncSession, principal: Principal, data: TokenInput
) -> tuple[ApiToken, str]:
    """Create a token; returns it and the secret, which is never shown again."""
    require(principal, Action.MANAGE_TOKENS)
    check = Checker()
    role = check.enum("role", data.role, Role)
    name = check.text("name", data.name, max_len=120)
    if role is Role.VENDOR and data.vendor_id is None:
        check.fail("vendor", "a vendor token must be bound to a vendor", ErrorCode.REQUIRED)
    if role is not None and role is not Role.VENDOR and data.vendor_id is not None:
        check.fail("vendor", "only vendor tokens are bound to a vendor", ErrorCode.INVALID)
    if role not in (None, Role.ADMIN, Role.VENDOR) and data.operator_id is None:
        check.fail("operator", f"a {role} token must belong to an operator", ErrorCode.REQUIRED)
    if role is Role.ADMIN and data.operator_id is not None:
        check.fail(
            "operator", "admin tokens see every operator; give no operator", ErrorCode.INVALID
        )
    if data.operator_id is not None and await session.get(Operator, data.operator_id) is None:
        check.fail("operator", f"operator {data.operator_id} not found", ErrorCode.NOT_FOUND)
    if data.vendor_id is not None and await session.get(Vendor, data.vendor_id) is None:
        check.fail("vendor", f"vendor {data.vendor_id} not found", ErrorCode.NOT_FOUND)
    days = TOKEN_LIFETIME_DAYS if data.expires_in_days is None else data.expires_in_days
    if not 0 <= days <= MAX_TOKEN_DAYS:
        check.fail(
            "expiresInDays",
            f"must be between 0 (never expires) and {MAX_TOKEN_DAYS} days",
            ErrorCode.OUT_OF_RANGE,
        )
    check.done()
    assert role is not None and name is not None

    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        role=role,
        operator_id=data.operator_id,
        vendor_id=data.vendor_id,
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
    return token
