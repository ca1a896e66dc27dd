"""Rendering the service's own pages: Jinja2 (autoescaped) in the reader's language.

Pages load nothing from another host; the Content-Security-Policy sent with each one makes the
browser refuse it if a template ever tries.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from procurement.web.i18n import (
    CHINESE,
    ENGLISH,
    LANGUAGE_COOKIE,
    LANGUAGES,
    choose_language,
    translations,
)
from procurement.web.navigation import navigation

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
LANGUAGE_NAMES = {CHINESE: "中文", ENGLISH: "English"}
ONE_YEAR = 365 * 24 * 3600


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("procurement.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt variable fails the test that renders it
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return choose_language(chosen, request.headers.get("accept-language"))


def role_labels(language: str) -> dict[str, str]:
    """A role as a person reads it, in the page's language."""
    _ = translations(language).gettext
    return {
        "admin": _("Administrator"),
        "procurement": _("Procurement staff"),
        "vendor": _("Vendor"),
        "legal": _("Legal team"),
        "reviewer": _("Security reviewer"),
        "auditor": _("Auditor"),
    }


def render(
    request: Request, template: str, context: Mapping[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """The page in the reader's language; a ``?lang=`` choice is remembered in a cookie."""
    language = page_language(request)
    catalog = translations(language)
    other = ENGLISH if language == CHINESE else CHINESE
    query = {k: v for k, v in request.query_params.items() if k != "lang"} | {"lang": other}
    html = (
        environment()
        .get_template(template)
        .render(
            **context,
            _=catalog.gettext,
            lang=language,
            other_lang=other,
            other_lang_name=LANGUAGE_NAMES[other],
            switch_url=f"{request.url.path}?{urlencode(query)}",
            path=request.url.path,
            # Set by the sign-in gate (procurement/web/signin_routes.py) on pages for people.
            person=getattr(request.state, "person", None),
            nav=navigation(getattr(request.state, "person", None), language),
            csrf=getattr(request.state, "csrf", ""),
            role_label=role_labels(language),
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["content-security-policy"] = CONTENT_SECURITY_POLICY
    response.headers["content-language"] = language
    response.headers["x-content-type-options"] = "nosniff"
    response.headers["referrer-policy"] = "same-origin"
    # Pages may show who is signed in and carry CSRF tokens: never from a shared cache.
    response.headers["cache-control"] = "no-store"
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR, samesite="lax")
    return response
