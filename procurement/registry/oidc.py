"""OpenID Connect sign-in, the parts without I/O: the authorization request (PKCE, state and
nonce, with authlib) and the checks of the ID token (signature and claims, with joserfc, the JOSE
library of authlib's authors that replaces ``authlib.jose``).

Who the person is comes from one claim the configuration names (``email`` by default, else
``sub`` or ``preferred_username``); an email counts only when the provider says it is verified.
The value must match an existing account's ``oidc_identity``: nobody gets an account by signing
in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

CLAIMS = ("email", "sub", "preferred_username")
ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"]
LEEWAY_SECONDS = 60


class OidcRefused(Exception):
    """The provider's answer cannot sign anyone in; the message says why (for the log and the
    audit event, never shown to the person)."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the browser keeps (in a short-lived HttpOnly cookie) between leaving for the
    provider and coming back."""

    state: str
    nonce: str
    verifier: str
    next_path: str

    def encode(self) -> str:
        return " ".join((self.state, self.nonce, self.verifier, self.next_path))

    @classmethod
    def decode(cls, value: str | None) -> Attempt | None:
        parts = (value or "").split(" ")
        if len(parts) != 4 or not all(parts[:3]):
            return None
        return cls(*parts)


def new_attempt(next_path: str) -> Attempt:
    # 48 characters of [A-Za-z0-9]: within PKCE's 43..128 for the verifier
    return Attempt(generate_token(32), generate_token(32), generate_token(48), next_path)


def authorization_url(endpoint: str, client_id: str, redirect_uri: str, attempt: Attempt) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile",
            "state": attempt.state,
            "nonce": attempt.nonce,
            "code_challenge": create_s256_code_challenge(attempt.verifier),
            "code_challenge_method": "S256",
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def identity_from_id_token(
    id_token: str,
    jwks: dict[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    claim: str,
    now: float | None = None,
) -> str:
    """The value of ``claim`` in a valid ID token meant for us; OidcRefused otherwise."""
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        JWTClaimsRegistry(
            now=int(now if now is not None else time.time()),
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError) as error:
        raise OidcRefused(f"the ID token was refused: {error}") from None
    claims = token.claims
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise OidcRefused("the ID token was issued for another client")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcRefused("the ID token names several audiences but not us as its party")
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise OidcRefused(f"the ID token has no '{claim}' claim")
    if claim == "email" and claims.get("email_verified") is not True:
        raise OidcRefused("the provider does not say the email address is verified")
    return value.strip()
