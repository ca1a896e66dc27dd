"""Bearer-token authentication shared by every HTTP entry point."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from procurement.db import utcnow
from procurement.errors import Unauthenticated
from procurement.permissions import Principal
from procurement.registry.authentication import find_token, note_use, principal_of, use_is_stale

log = logging.getLogger("procurement.web")


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


async def principal_for(request: Request, session: AsyncSession) -> Principal:
    """The caller's principal, or Unauthenticated when the token is missing, unknown or revoked."""
    secret = bearer_secret(request)
    if secret is None:
        if request.headers.get("authorization") is not None:
            raise Unauthenticated(
                "the Authorization header must be 'Bearer <token>' with the token after it"
            )
        raise Unauthenticated()
    now = utcnow()
    try:
        token = await find_token(session, secret, now=now)
        # Read what is needed before the rollback below expires the row.
        found = None if token is None else (principal_of(token), use_is_stale(token, now))
    finally:
        # The look-up opened a read transaction; end it so the request starts clean.
        await session.rollback()
    if found is None:
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
