"""The OpenID Connect request and ID token checks, without a network."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from procurement.registry import oidc

KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
JWKS = {"keys": [KEY.as_dict(private=False)]}
ISSUER = "https://sso.example.cn"


def id_token(**claims: object) -> str:
    now = int(time.time())
    base: dict[str, object] = {"iss": ISSUER, "aud": "console", "sub": "u-1", "iat": now}
    base |= {"exp": now + 300, "nonce": "n-1", "email": "Ada@Example.cn", "email_verified": True}
    return jwt.encode({"alg": "RS256", "kid": "k1"}, base | claims, KEY)


def check(token: str, claim: str = "email") -> str:
    return oidc.identity_from_id_token(
        token, JWKS, issuer=ISSUER, client_id="console", nonce="n-1", claim=claim
    )


def test_the_authorization_request_carries_pkce_state_and_nonce() -> None:
    attempt = oidc.new_attempt("/explorer")
    url = oidc.authorization_url(f"{ISSUER}/auth", "console", "https://p.example/cb", attempt)
    query = parse_qs(urlsplit(url).query)
    digest = hashlib.sha256(attempt.verifier.encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]
    assert query["code_challenge_method"] == ["S256"]
    assert (query["state"], query["nonce"]) == ([attempt.state], [attempt.nonce])
    assert 43 <= len(attempt.verifier) <= 128
    assert oidc.Attempt.decode(attempt.encode()) == attempt
    assert oidc.Attempt.decode("only two") is None
    assert oidc.Attempt.decode(None) is None


def test_a_valid_id_token_gives_the_configured_claim() -> None:
    assert check(id_token()) == "Ada@Example.cn"
    assert check(id_token(), claim="sub") == "u-1"


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"nonce": "other"}, "the ID token was refused"),
        ({"iss": "https://evil.example"}, "the ID token was refused"),
        ({"exp": 1000}, "the ID token was refused"),
        ({"aud": "someone-else"}, "the ID token was issued for another client"),
        ({"email_verified": False}, "the provider does not say the email address is verified"),
        ({"email": ""}, "the ID token has no 'email' claim"),
    ],
)
def test_an_id_token_not_vouching_for_us_is_refused(claims: dict[str, object], reason: str) -> None:
    with pytest.raises(oidc.OidcRefused) as refused:
        check(id_token(**claims))
    assert str(refused.value).startswith(reason)


def test_a_token_signed_by_another_key_is_refused() -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
    forged = jwt.encode({"alg": "RS256", "kid": "k1"}, {"iss": ISSUER, "sub": "u"}, other)
    with pytest.raises(oidc.OidcRefused):
        check(forged)
