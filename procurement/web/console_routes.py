"""The pages a person opens in a browser: the console (procurement/web/console/), the API
explorer and the API reference, the OSV dump upload, sign-in and sign-out, and the static assets
they use (all served by this service)."""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from procurement.web.console import console_pages
from procurement.web.i18n import translations
from procurement.web.oidc_routes import oidc_routes
from procurement.web.pages import page_language, render
from procurement.web.signin_routes import signed_in, signin_routes


def explorer_messages(language: str) -> dict[str, str]:
    """What the explorer's script shows, in the page's language (the script has no catalog)."""
    _ = translations(language).gettext
    return {
        "running": _("Running…"),
        "network": _("The service did not answer: {error}"),
        "badVariables": _("The variables are not a JSON object: {error}"),
        "signedOut": _("You are no longer signed in: reload the page to sign in again."),
        "status": _("HTTP {status} in {ms} ms"),
    }


def advisory_import_messages(language: str) -> dict[str, Any]:
    """What the OSV upload page's script shows, in the page's language."""
    _ = translations(language).gettext
    return {
        "noFile": _("Choose a file first."),
        "uploading": _("Uploading: {percent}%"),
        "importing": _("Uploaded; importing and matching again…"),
        "progress": _("Importing: {done} of {total} records"),
        "jobLink": _("Job {number}"),
        "jobFailed": _("The import failed; nothing of it was stored."),
        "done": _("Imported."),
        "failed": _("Refused: HTTP {status}"),
        "network": _("The service did not answer."),
        # Pairs, not an object: the page's JSON sorts object keys, and the order matters.
        "labels": [
            ["read", _("Records read")],
            ["added", _("Added")],
            ["updated", _("Updated")],
            ["skipped", _("Skipped (unchanged)")],
            ["withdrawn", _("Withdrawn")],
            ["unmatchable", _("Unmatchable (no known ecosystem or package URL)")],
            ["rematch.purchases", _("Purchases whose known vulnerabilities changed")],
            ["rescreen.screened", _("Purchases screened again")],
            ["invalidCount", _("Invalid records")],
        ],
    }


async def advisory_import(request: Request) -> Response:
    """The OSV dump upload page; the upload itself is ``POST /api/advisories/import``."""
    messages = advisory_import_messages(page_language(request))
    return render(request, "advisory_import.html", {"messages": messages})


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
        # Every page is for a signed-in person; the sign-in page and the assets are not.
        *console_pages(),
        Route("/explorer", signed_in(explorer), methods=["GET"]),
        Route("/explorer/reference", signed_in(reference), methods=["GET"]),
        Route("/console/advisories/import", signed_in(advisory_import), methods=["GET"]),
        *signin_routes(),
        *oidc_routes(),
        Mount("/static", StaticFiles(packages=[("procurement.web", "static")]), name="static"),
    ]
