"""A purchase's SBOMs: upload (choose or drop a file; the page's own script sends it to
``PUT /api/purchases/{id}/sbom`` with the session and its CSRF token, showing progress and the
located validation errors; a large document is answered with the job that ingests it, which
the script follows through GraphQL's job(id)), every version, the quality score with what would
raise it, and the difference between two versions."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from procurement.errors import InputError
from procurement.models import SbomVersion
from procurement.permissions import Action, can
from procurement.registry import reads as registry_reads
from procurement.sboms import reads as sbom_reads
from procurement.web.console.common import gettext, not_found, number_param, page, person
from procurement.web.console.labels import quality_elements
from sbom.quality import Improvement, improvements


def upload_messages(request: Request) -> dict[str, str]:
    """What the upload script shows, in the page's language (the script has no catalog)."""
    _ = gettext(request)
    return {
        "noFile": _("Choose a file first."),
        "uploading": _("Uploading: {percent}%"),
        "checking": _("Uploaded; checking the document…"),
        "stored": _(
            "Stored as version {version} of “{name}”: {components} components, quality {score}."
        ),
        "same": _(
            "This document was already stored (version {version} of “{name}”); nothing changed."
        ),
        "refused": _("Not accepted; nothing was stored:"),
        "failed": _("Refused: HTTP {status}"),
        "network": _("The service did not answer."),
        "where": _("at"),
        # A large document is ingested by a job, which the page then follows.
        "queued": _(
            "Uploaded; the document is large and is being checked and stored by job {number}…"
        ),
        "progress": _("Checked {done} of {total} steps…"),
        "jobStored": _(
            "Stored as version {sbomVersion} of “{sbomName}”: {componentCount} components, "
            "quality {qualityScore}."
        ),
        "jobFailed": _("Not accepted; nothing was stored:"),
        "jobLink": _("Follow job {number}"),
    }


def _quality(version: SbomVersion) -> list[Improvement]:
    coverage: dict[str, float] = orjson.loads(version.quality_json)
    return improvements(coverage)


async def sbom_page(request: Request) -> Response:
    principal = person(request)
    purchase_id = number_param(request.path_params["purchase_id"])
    if purchase_id is None:
        return not_found(request)
    async with request.app.state.sessions() as session:
        found = await registry_reads.purchases_by_ids(session, principal, [purchase_id])
        purchase = found.get(purchase_id)
        if purchase is None:
            return not_found(request)
        current = (
            await sbom_reads.current_versions_by_purchase_ids(session, principal, [purchase_id])
        ).get(purchase_id, [])
        series_ids = [v.sbom_id for v in current]
        series = await sbom_reads.series_by_ids(session, principal, series_ids)
        history = await sbom_reads.history_by_series_ids(session, principal, series_ids)
    context: dict[str, Any] = {
        "purchase": purchase,
        "series": [(series[v.sbom_id], v, history.get(v.sbom_id, [])) for v in current],
        "quality": {v.id: _quality(v) for v in current},
        "element": quality_elements(gettext(request)),
        "may_upload": can(principal, Action.UPLOAD_SBOM),
        "messages": upload_messages(request),
    }
    return page(request, "console/sboms.html", context)


async def sbom_diff(request: Request) -> Response:
    principal = person(request)
    old_id = number_param(request.query_params.get("from"))
    new_id = number_param(request.query_params.get("to"))
    if old_id is None or new_id is None:
        return not_found(request)
    async with request.app.state.sessions() as session:
        try:
            diff = await sbom_reads.diff_versions(session, principal, old_id, new_id)
            versions = await sbom_reads.versions_by_ids(session, principal, [old_id, new_id])
            series = await sbom_reads.series_by_ids(session, principal, [versions[old_id].sbom_id])
        except InputError:  # a version that does not exist or is not theirs
            return not_found(request)
    sbom = series[versions[old_id].sbom_id]
    return page(
        request,
        "console/sbom_diff.html",
        {"diff": diff, "old": versions[old_id], "new": versions[new_id], "sbom": sbom},
    )
