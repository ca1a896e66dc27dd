"""A background job's page: kind, state, progress, outcome and error, for whoever may read the
job (the jobs read scopes it as GraphQL's ``job(id)`` does; any other sees not found). While it
runs, the page refreshes itself (static/job-refresh.js)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from procurement.enums import JobState
from procurement.jobs import reads as job_reads
from procurement.models import Job
from procurement.web.console.common import gettext, not_found, number_param, page, person
from procurement.web.console.labels import Gettext


def job_states(_: Gettext) -> dict[JobState, str]:
    return {
        JobState.QUEUED: _("Queued"),
        JobState.RUNNING: _("Running"),
        JobState.SUCCEEDED: _("Succeeded"),
        JobState.FAILED: _("Failed"),
    }


def job_kinds(_: Gettext) -> dict[str, str]:
    return {
        "screening.rescreen_active": _("Rescreen every active purchase"),
        "screening.rematch_advisories": _("Match advisories and rescreen"),
        "screening.import_dump": _("Import an OSV dump"),
        "exposure.fill_cache": _("Refill the exposure figures"),
        "sboms.ingest_upload": _("Check and store an uploaded SBOM"),
        "notifications.fan_out": _("Find who is to hear of new notification events"),
        "notifications.deliver": _("Send notifications"),
    }


def outcome_labels(_: Gettext) -> dict[str, str]:
    return {
        "screened": _("Purchases screened"),
        "changed": _("Results changed"),
        "verdictsChanged": _("Verdicts changed"),
        "casesOpened": _("Review cases opened"),
        "advisories": _("Advisories"),
        "components": _("Components"),
        "purchases": _("Purchases"),
        # The import of an uploaded OSV dump (its report).
        "sources": _("Files"),
        "read": _("Records read"),
        "added": _("Added"),
        "updated": _("Updated"),
        "skipped": _("Skipped (unchanged)"),
        "withdrawn": _("Withdrawn"),
        "unmatchable": _("Unmatchable (no known ecosystem or package URL)"),
        "invalidCount": _("Invalid records"),
        "invalid": _("Invalid records, one by one"),
        # The exposure cache fill (procurement/exposure/fill.py).
        "asOf": _("Figures as of"),
        "stored": _("Purchases priced"),
        "unpriced": _("Purchases that cannot be priced"),
        # The ingest of a large uploaded SBOM.
        "sbom": _("SBOM ID"),
        "sbomName": _("SBOM"),
        "sbomVersion": _("Version"),
        "componentCount": _("Components"),
        "qualityScore": _("Quality score"),
        "warningCount": _("Warnings"),
        # Notification jobs (fan-out and delivery).
        "deliveries": _("Notices to send"),
        "attempted": _("Notices attempted"),
        "delivered": _("Notices delivered"),
        "retrying": _("Notices to try again later"),
        "failed": _("Notices given up"),
    }


async def visible_job(request: Request, job_id: int | None) -> Job | None:
    if job_id is None:
        return None
    async with request.app.state.sessions() as session:
        found = await job_reads.jobs_by_ids(session, person(request), [job_id])
    return found.get(job_id)


def job_context(request: Request, job: Job | None) -> dict[str, object]:
    """What a template needs to show a job (the job page and the panel after a change)."""
    _ = gettext(request)
    return {
        "job": job,
        "job_state": job_states(_),
        "job_kind": job_kinds(_),
        "outcome_label": outcome_labels(_),
        "running": job is not None and job.state in (JobState.QUEUED, JobState.RUNNING),
    }


async def job_page(request: Request) -> Response:
    job = await visible_job(request, number_param(request.path_params["job_id"]))
    if job is None:
        return not_found(request)
    return page(request, "console/job.html", job_context(request, job))
