"""Signing in through the organisation's OpenID Connect provider (authorization code flow with
PKCE, state and nonce), where ``PROCUREMENT_OIDC_ISSUER`` is set.

Nothing is kept in process memory between the two legs: the state, nonce and PKCE verifier
travel in a short-lived HttpOnly cookie scoped to these paths, so any app process can take the
provider's answer. The provider's discovery document and keys are fetched per sign-in (a sign-in
is rare; a rotated key is then never missed).
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from procurement.db import utcnow
from procurement.registry import console_sessions
from procurement.registry.oidc import (
    Attempt,
    OidcRefused,
    authorization_url,
    identity_from_id_token,
    new_attempt,
)
from procurement.settings import Settings
from procurement.web.auth import SESSION_COOKIE
from procurement.web.i18n import translations
from procurement.web.pages import page_language
from procurement.web.signin_routes import (
    client_address,
    form_page,
    is_https,
    lifetimes,
    safe_next,
    set_session_cookie,
)

log = logging.getLogger("procurement.web")
ATTEMPT_COOKIE = "procurement_oidc"
ATTEMPT_SECONDS = 600
TIMEOUT_SECONDS = 10


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


async def _get_json(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    response = await client.get(url)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def _discovery(client: httpx.AsyncClient, settings: Settings) -> dict[str, Any]:
    assert settings.oidc_issuer is not None
    document = await _get_json(client, f"{settings.oidc_issuer}/.well-known/openid-configuration")
    if document.get("issuer") != settings.oidc_issuer:
        raise OidcRefused("the discovery document names another issuer")
    return document


def _failed(request: Request, next_path: str, status: int) -> Response:
    _ = translations(page_language(request)).gettext
    message = _(
        "Signing in through your organisation's account did not work. "
        "Try again, or use your password."
    )
    response = form_page(request, next_path=next_path, message=message, status=status)
    response.delete_cookie(ATTEMPT_COOKIE, path="/sign-in/oidc")
    return response


async def oidc_start(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    next_path = safe_next(request.query_params.get("next"))
    if settings.oidc_issuer is None or settings.oidc_client_id is None:
        return form_page(request, next_path=next_path, status=404)
    attempt = new_attempt(next_path)
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            endpoint = str((await _discovery(client, settings))["authorization_endpoint"])
    except (httpx.HTTPError, OidcRefused, KeyError, ValueError) as error:
        log.warning("OpenID Connect provider unusable: %s", error)
        return _failed(request, next_path, 502)
    response = RedirectResponse(
        authorization_url(endpoint, settings.oidc_client_id, _callback_url(request), attempt),
        status_code=303,
    )
    response.set_cookie(
        ATTEMPT_COOKIE,
        attempt.encode(),
        max_age=ATTEMPT_SECONDS,
        httponly=True,
        samesite="lax",  # the provider's redirect back is a top-level GET: Lax sends it
        secure=is_https(request),
        path="/sign-in/oidc",
    )
    return response


async def _identity(request: Request, settings: Settings, attempt: Attempt, code: str) -> str:
    assert settings.oidc_issuer is not None and settings.oidc_client_id is not None
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": _callback_url(request),
        "client_id": settings.oidc_client_id,
        "code_verifier": attempt.verifier,
    }
    if settings.oidc_client_secret is not None:
        form["client_secret"] = settings.oidc_client_secret
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
        discovery = await _discovery(client, settings)
        answer = await client.post(
            str(discovery["token_endpoint"]), data=form, headers={"accept": "application/json"}
        )
        if answer.status_code != 200:
            raise OidcRefused(f"the token endpoint answered {answer.status_code}")
        id_token = answer.json().get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused("the token endpoint sent no ID token")
        jwks = await _get_json(client, str(discovery["jwks_uri"]))
    return identity_from_id_token(
        id_token,
        jwks,
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        nonce=attempt.nonce,
        claim=settings.oidc_claim,
    )


async def oidc_callback(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    attempt = Attempt.decode(request.cookies.get(ATTEMPT_COOKIE))
    if settings.oidc_issuer is None or attempt is None:
        return _failed(request, "/", 400)
    state, code = request.query_params.get("state"), request.query_params.get("code")
    if state != attempt.state or not code:
        # Not the answer to the request this browser made (or the provider reported an error).
        return _failed(request, attempt.next_path, 403 if state != attempt.state else 401)
    try:
        identity = await _identity(request, settings, attempt, code)
    except (httpx.HTTPError, OidcRefused, KeyError, ValueError) as error:
        log.warning("OpenID Connect sign-in refused: %s", error)
        async with request.app.state.sessions() as session:
            await console_sessions.record_failure(
                session, None, "(OpenID Connect)", client_address(request), "oidc"
            )
        return _failed(request, attempt.next_path, 401)
    async with request.app.state.sessions() as session:
        signed_in = await console_sessions.sign_in_by_identity(
            session,
            identity,
            now=utcnow(),
            lifetimes=lifetimes(request),
            address=client_address(request),
        )
    if signed_in is None:
        return _failed(request, attempt.next_path, 401)
    response = RedirectResponse(attempt.next_path, status_code=303)
    set_session_cookie(request, response, signed_in.secret)
    response.delete_cookie(ATTEMPT_COOKIE, path="/sign-in/oidc")
    return response


def oidc_routes() -> list[BaseRoute]:
    return [
        Route("/sign-in/oidc", oidc_start, methods=["GET"]),
        Route("/sign-in/oidc/callback", oidc_callback, methods=["GET"], name="oidc_callback"),
    ]


__all__ = ["SESSION_COOKIE", "oidc_routes"]
