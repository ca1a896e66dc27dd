"""The pages a person opens in a browser: the start page, the API explorer and the API
reference, and the static assets they use (all served by this service)."""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from procurement.web.i18n import translations
from procurement.web.pages import page_language, render


async def home(request: Request) -> Response:
    return render(request, "home.html", {})


def explorer_messages(language: str) -> dict[str, str]:
    """What the explorer's script shows, in the page's language (the script has no catalog)."""
    _ = translations(language).gettext
    return {
        "running": _("Running…"),
        "network": _("The service did not answer: {error}"),
        "badVariables": _("The variables are not a JSON object: {error}"),
        "status": _("HTTP {status} in {ms} ms"),
    }


async def explorer(request: Request) -> Response:
    return render(request, "explorer.html", {"messages": explorer_messages(page_language(request))})


@cache
def _reference() -> tuple[Any, ...]:
    from schema.api import schema
    from schema.core.reference import api_reference

    return api_reference(schema.graphql_schema)


async def reference(request: Request) -> Response:
    from schema.core.reference import linked_type

    docs = _reference()
    return render(
        request,
        "reference.html",
        {"types": docs, "linked_type": linked_type, "known": {d.name for d in docs}},
    )


async def graphql_in_a_browser(_request: Request) -> Response:
    """``GET /graphql`` from a browser: the explorer, which is served by this service."""
    return RedirectResponse("/explorer", status_code=303)


def console_routes() -> list[BaseRoute]:
    return [
        Route("/", home, methods=["GET"]),
        Route("/explorer", explorer, methods=["GET"]),
        Route("/explorer/reference", reference, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("procurement.web", "static")]), name="static"),
    ]
