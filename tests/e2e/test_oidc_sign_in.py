"""OpenID Connect sign-in against a real provider on loopback (tests/support/oidc_provider.py):
authorization code with PKCE, state and nonce; the verified email maps to an existing account."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from procurement.enums import Role
from procurement.models import AuditEvent, WebSession
from procurement.permissions import SYSTEM
from procurement.registry.actions import accounts
from tests.support.databases import DatabaseUnderTest
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider


@pytest.fixture
def provider() -> Iterator[Provider]:
    with oidc_provider() as running:
        yield running


@pytest.fixture
async def sso(db: DatabaseUnderTest, provider: Provider) -> AsyncIterator[httpx.AsyncClient]:
    """The app configured to sign people in through the provider, with Ada's account in it."""
    from procurement.settings import load_settings
    from procurement.web.app import create_app

    settings = load_settings(
        {
            "PROCUREMENT_DATABASE_URL": db.url,
            "PROCUREMENT_OIDC_ISSUER": provider.issuer,
            "PROCUREMENT_OIDC_CLIENT_ID": CLIENT_ID,
            "PROCUREMENT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }
    )
    async with db.sessions() as session:
        await accounts.create_account(
            session,
            SYSTEM,
            accounts.AccountInput(
                name="Ada Lovelace", login="ada", role=Role.ADMIN, oidc_identity="Ada@Example.cn"
            ),
        )
    transport = httpx.ASGITransport(app=create_app(settings, engine=db.engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _through_the_provider(sso: httpx.AsyncClient) -> tuple[dict[str, list[str]], str]:
    """Start signing in, let the provider approve, and return what we asked it and where it
    sends the browser back to."""
    start = await sso.get("/sign-in/oidc?next=/explorer")
    assert start.status_code == 303
    asked = parse_qs(urlsplit(start.headers["location"]).query)
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(start.headers["location"])
    assert approved.status_code == 302
    return asked, approved.headers["location"]


async def _sessions(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(WebSession)) or 0)


async def test_a_verified_email_signs_its_account_in(
    sso: httpx.AsyncClient, provider: Provider, db: DatabaseUnderTest
) -> None:
    # given the provider vouches for Ada's verified email
    provider.claims = {"sub": "u-1", "email": "ada@example.cn", "email_verified": True}
    # the sign-in page offers the provider
    page = await sso.get("/sign-in?next=/explorer", headers={"accept-language": "en"})
    assert (
        '<a id="single-sign-on" href="/sign-in/oidc?next=/explorer">'
        "Sign in with your organisation&#39;s account</a>"
    ) in page.text
    # when the person goes through the provider
    asked, back = await _through_the_provider(sso)
    # then we asked for a code with PKCE (S256), a state and a nonce
    assert asked["response_type"] == ["code"] and asked["client_id"] == [CLIENT_ID]
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert len(asked["state"][0]) == 32 and len(asked["nonce"][0]) == 32
    assert asked["redirect_uri"] == ["http://testserver/sign-in/oidc/callback"]
    # and coming back signs Ada in and lands on the page she wanted
    done = await sso.get(back)
    assert (done.status_code, done.headers["location"]) == (303, "/explorer")
    assert provider.token_requests[0]["code_verifier"] != ""
    home = await sso.get("/", headers={"accept-language": "en"})
    assert "Signed in as Ada Lovelace, role: Administrator." in home.text
    async with db.sessions() as session:
        started = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "session.started")
        )
    assert started is not None and (started.after or {})["method"] == "oidc"


async def test_an_answer_to_another_browsers_request_is_refused(
    sso: httpx.AsyncClient, provider: Provider, db: DatabaseUnderTest
) -> None:
    provider.claims = {"sub": "u-1", "email": "ada@example.cn", "email_verified": True}
    _asked, back = await _through_the_provider(sso)
    forged = back.replace("state=", "state=x")
    refused = await sso.get(forged)
    assert refused.status_code == 403
    assert await _sessions(db) == 0


@pytest.mark.parametrize(
    ("claims", "tamper"),
    [
        ({"sub": "u-2", "email": "eve@example.cn", "email_verified": True}, {}),  # no account
        ({"sub": "u-1", "email": "ada@example.cn", "email_verified": False}, {}),  # unverified
        ({"sub": "u-1", "email": "ada@example.cn", "email_verified": True}, {"nonce": "replay"}),
        ({"sub": "u-1", "email": "ada@example.cn", "email_verified": True}, {"aud": "other"}),
        ({"sub": "u-1", "email": "ada@example.cn", "email_verified": True}, {"exp": 1}),
    ],
    ids=["unknown-email", "unverified-email", "wrong-nonce", "other-audience", "expired"],
)
async def test_an_id_token_that_does_not_vouch_for_an_account_signs_nobody_in(
    sso: httpx.AsyncClient,
    provider: Provider,
    db: DatabaseUnderTest,
    claims: dict[str, object],
    tamper: dict[str, object],
) -> None:
    provider.claims, provider.tamper = claims, tamper
    _asked, back = await _through_the_provider(sso)
    refused = await sso.get(back, headers={"accept-language": "en"})
    assert refused.status_code == 401
    assert "did not work. Try again, or use your password." in refused.text
    assert await _sessions(db) == 0
    async with db.sessions() as session:
        failed = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "signin.failed")
        )
    assert failed == 1
