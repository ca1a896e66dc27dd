"""Bearer-token authentication shared by every HTTP entry point."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from procurement import audit
from procurement.db import utcnow
from procurement.errors import Unauthenticated
from procurement.permissions import SYSTEM, Principal
from procurement.registry.authentication import find_token, note_use, principal_of, use_is_stale
from procurement.web.throttle import FailedAuthentications

log = logging.getLogger("procurement.web")


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def _attempt_keys(request: Request, secret: str) -> list[str]:
    address = request.client.host if request.client else "unknown"
    return [f"address:{address}", f"prefix:{secret[:12]}"]


async def _audit_throttling(session: AsyncSession, keys: list[str]) -> None:
    audit.record(session, SYSTEM, "auth.throttled", "ApiToken", None, after={"keys": keys})
    try:
        await session.commit()
    except DBAPIError:
        await session.rollback()


async def principal_for(request: Request, session: AsyncSession) -> Principal:
    """The caller's principal, or Unauthenticated when the token is missing, unknown or revoked."""
    secret = bearer_secret(request)
    if secret is None:
        if request.headers.get("authorization") is not None:
            raise Unauthenticated(
                "the Authorization header must be 'Bearer <token>' with the token after it"
            )
        raise Unauthenticated()
    throttle: FailedAuthentications | None = getattr(request.app.state, "failed_auth", None)
    keys = _attempt_keys(request, secret)
    if throttle is not None:
        throttle.check(keys)
    now = utcnow()
    try:
        token = await find_token(session, secret, now=now)
        # Read what is needed before the rollback below expires the row.
        found = None if token is None else (principal_of(token), use_is_stale(token, now))
    finally:
        # The look-up opened a read transaction; end it so the request starts clean.
        await session.rollback()
    if found is None:
        if throttle is not None and throttle.failed(keys):
            log.warning("failed authentications throttled for %s", ", ".join(keys))
            await _audit_throttling(session, keys)
        raise Unauthenticated(Unauthenticated.INVALID)
    principal, stale = found
    if stale and principal.token_id is not None:
        try:
            await note_use(session, principal.token_id, now)
            await session.commit()
        except DBAPIError:
            # Knowing when a token was last used is worth less than answering the request
            # (a read-only or busy database still serves reads).
            await session.rollback()
            log.warning("could not record the use of token %s", principal.token_id)
    return principal
