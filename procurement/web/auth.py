"""Authentication shared by every HTTP entry point: a bearer token (API, CLI integrations) or the
console's session cookie (people). Either way the result is a Principal, and the permission
choke point (procurement/permissions.py) decides the same for both."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from procurement import audit
from procurement.db import utcnow
from procurement.errors import CsrfRefused, Unauthenticated
from procurement.permissions import SYSTEM, Principal
from procurement.registry import console_sessions
from procurement.registry.authentication import (
    find_token,
    note_use,
    principal_of,
    recall_principal,
    remember_principal,
    use_is_stale,
)
from procurement.registry.session_secrets import csrf_matches
from procurement.web.throttle import FailedAuthentications

log = logging.getLogger("procurement.web")

SESSION_COOKIE = "procurement_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


def idle_timeout(request: Request) -> timedelta:
    return timedelta(minutes=request.app.state.settings.session_idle_minutes)


async def session_principal(request: Request, session: AsyncSession) -> Principal | None:
    """The person signed in by the request's cookie, or None (no cookie, or it ended)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    now = utcnow()
    try:
        found = await console_sessions.find_session(
            session, secret, now=now, idle=idle_timeout(request)
        )
    finally:
        await session.rollback()  # end the look-up's read transaction
    if found is None:
        return None
    if found.seen_is_stale and found.principal.session_id is not None:
        try:
            await console_sessions.note_seen(session, found.principal.session_id, now)
            await session.commit()
        except DBAPIError:
            await session.rollback()
            log.warning("could not record activity of session %s", found.principal.session_id)
    return found.principal


def csrf_presented_ok(request: Request, presented: str | None) -> bool:
    secret = request.cookies.get(SESSION_COOKIE)
    return secret is not None and csrf_matches(secret, presented)


async def principal_for(
    request: Request, session: AsyncSession, *, csrf_always: bool = False
) -> Principal:
    """The caller's principal, or Unauthenticated when no valid token or session came.

    A session cookie is sent by the browser whoever made the page, so a cookie-authenticated
    request that changes something (or any GraphQL request: ``csrf_always``) must also carry the
    page's CSRF token in the X-CSRF-Token header; otherwise CsrfRefused (403)."""
    secret = bearer_secret(request)
    if secret is None:
        if request.headers.get("authorization") is not None:
            raise Unauthenticated(
                "the Authorization header must be 'Bearer <token>' with the token after it"
            )
        principal = await session_principal(request, session)
        if principal is None:
            raise Unauthenticated()
        if (csrf_always or request.method not in SAFE_METHODS) and not csrf_presented_ok(
            request, request.headers.get(CSRF_HEADER)
        ):
            raise CsrfRefused()
        return principal
    return await _token_principal(request, session, secret)


async def _token_principal(request: Request, session: AsyncSession, secret: str) -> Principal:
    throttle: FailedAuthentications | None = getattr(request.app.state, "failed_auth", None)
    keys = _attempt_keys(request, secret)
    if throttle is not None:
        throttle.check(keys)
    now = utcnow()
    ttl = request.app.state.settings.token_cache_seconds
    cached = recall_principal(secret, ttl, now)
    if cached is not None:
        # Verified moments ago in this process: no statement (its last use was noted then).
        return cached
    try:
        token = await find_token(session, secret, now=now)
        # Read what is needed before the rollback below expires the row.
        found = None if token is None else (principal_of(token), use_is_stale(token, now))
        if token is not None and found is not None:
            remember_principal(secret, found[0], token.expires_at, ttl)
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
