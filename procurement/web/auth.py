"""Bearer-token authentication shared by every HTTP entry point."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from procurement.errors import Unauthenticated
from procurement.permissions import Principal
from procurement.registry.authentication import authenticate


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
    principal = await authenticate(session, secret)
    # authenticate() opened a read transaction; end it so the request starts clean.
    await session.rollback()
    if principal is None:
        raise Unauthenticated(Unauthenticated.INVALID)
    return principal
