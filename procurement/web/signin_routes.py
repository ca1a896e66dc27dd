"""Signing in and out of the console, and the gate that sends a person who is not signed in to
the sign-in page.

The sign-in form is shown before any session exists, so its CSRF token is a nonce kept in a
cookie and echoed by the form; every later form carries the session's CSRF token. A failed
sign-in says only that the login or password is wrong (never which), is audited, and counts
towards the throttle shared with bad API tokens' logic (procurement/web/throttle.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from procurement import audit
from procurement.db import utcnow
from procurement.registry import console_sessions
from procurement.registry.session_secrets import csrf_token, new_form_nonce, nonce_matches
from procurement.web.auth import SESSION_COOKIE, csrf_presented_ok, session_principal
from procurement.web.i18n import translations
from procurement.web.pages import page_language, render
from procurement.web.throttle import FailedAuthentications, TooManyFailedAttempts

NONCE_COOKIE = "procurement_signin"
Handler = Callable[[Request], Awaitable[Response]]


def is_https(request: Request) -> bool:
    # uvicorn rewrites the scheme from X-Forwarded-Proto for the proxies it trusts
    # (--forwarded-allow-ips), so this follows the server's proxy-headers setting.
    return request.url.scheme == "https"


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (never //host or a URL)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    return value


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def lifetimes(request: Request) -> console_sessions.Lifetimes:
    settings = request.app.state.settings
    return console_sessions.Lifetimes(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_max_hours),
    )


def form_page(
    request: Request, *, next_path: str, login: str = "", message: str | None = None, status: int
) -> Response:
    nonce = new_form_nonce()
    response = render(
        request,
        "sign_in.html",
        {
            "nonce": nonce,
            "next_path": next_path,
            "login": login,
            "message": message,
            "single_sign_on": request.app.state.settings.oidc_issuer is not None,
        },
        status_code=status,
    )
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/sign-in",
    )
    return response


async def sign_in_page(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    async with request.app.state.sessions() as session:
        if await session_principal(request, session) is not None:
            return RedirectResponse(next_path, status_code=303)
    return form_page(request, next_path=next_path, status=200)


async def sign_in(request: Request) -> Response:
    _ = translations(page_language(request)).gettext
    form = await request.form()
    login = str(form.get("login") or "")[:200]
    password = str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or ""))
    if not nonce_matches(request.cookies.get(NONCE_COOKIE), str(form.get("csrf") or "")):
        message = _("This form has expired. Please sign in again.")
        return form_page(request, next_path=next_path, login=login, message=message, status=403)
    throttle: FailedAuthentications = request.app.state.failed_signin
    keys = [f"address:{client_address(request)}", f"login:{login.strip().lower()[:80]}"]
    try:
        throttle.check(keys)
    except TooManyFailedAttempts as refused:
        message = _("Too many failed sign-ins. Try again in {seconds} seconds.").format(
            seconds=refused.retry_after
        )
        page = form_page(request, next_path=next_path, login=login, message=message, status=429)
        page.headers["retry-after"] = str(refused.retry_after)
        return page
    async with request.app.state.sessions() as session:
        signed_in = await console_sessions.sign_in(
            session,
            login,
            password,
            now=utcnow(),
            lifetimes=lifetimes(request),
            address=client_address(request),
        )
        if signed_in is None:
            if throttle.failed(keys):
                audit.record(
                    session,
                    console_sessions.SIGN_IN_PAGE,
                    "signin.throttled",
                    "Account",
                    None,
                    after={"keys": keys},
                )
                await session.commit()
            message = _("The login or the password is wrong.")
            return form_page(request, next_path=next_path, login=login, message=message, status=401)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, signed_in.secret)
    response.delete_cookie(NONCE_COOKIE, path="/sign-in")
    return response


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(lifetimes(request).absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


async def sign_out(request: Request) -> Response:
    form = await request.form()
    async with request.app.state.sessions() as session:
        principal = await session_principal(request, session)
        if principal is None:
            return RedirectResponse("/sign-in", status_code=303)
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
        await console_sessions.sign_out(session, principal, utcnow())
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def refused(request: Request) -> Response:
    """403 for a form that came without its page's CSRF token (nothing was changed)."""
    return render(request, "refused.html", {}, status_code=403)


def signed_in(handler: Handler) -> Handler:
    """Only for a signed-in person (others go to the sign-in page and come back afterwards);
    the page gets the person and the CSRF token of its forms."""

    async def gate(request: Request) -> Response:
        async with request.app.state.sessions() as session:
            principal = await session_principal(request, session)
        if principal is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
        request.state.person = principal
        request.state.csrf = csrf_token(request.cookies[SESSION_COOKIE])
        return await handler(request)

    return gate


def signin_routes() -> list[BaseRoute]:
    return [
        Route("/sign-in", sign_in_page, methods=["GET"]),
        Route("/sign-in", sign_in, methods=["POST"]),
        Route("/sign-out", sign_out, methods=["POST"]),
    ]
