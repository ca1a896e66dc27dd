"""SBOMs over plain HTTP (bearer token):

- ``PUT /api/purchases/{id}/sbom``: the raw-document upload for vendors' CI pipelines (CycloneDX
  JSON/XML or SPDX 2.2/2.3 JSON/tag-value, optionally gzip). A refusal (422) lists the located
  errors and, under ``accepted``, what would have been accepted. A document larger than
  ``PROCUREMENT_SBOM_ASYNC_BYTES`` (uncompressed) is stored and answered 202 with the job that
  ingests it; what its bytes tell at once (empty, too large, not JSON/XML/tag-value, too many
  components) is still refused at once.
- ``GET /api/sboms/{id}/document?format=original|json|xml|spdx``: a stored version as uploaded
  (the default), or written from its records as CycloneDX 1.6 JSON or XML, or SPDX 2.3 JSON.
  Anything the caller may not see is a 404, like something that does not exist.

    curl -fsS -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         --data-binary @bom.json http://host:8000/api/purchases/UHVyY2hhc2U6MQ==/sbom
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from procurement.errors import ErrorCode, InputError, NotFound, PermissionDenied, Unauthenticated
from procurement.ids import from_number_or_global_id, to_global_id
from procurement.models import Job
from procurement.sboms import export as sbom_export
from procurement.sboms.actions import IngestResult, SbomRejectedError
from procurement.sboms.aftermath import Aftermath
from procurement.sboms.messages import issue_text
from procurement.sboms.upload_job import upload_sbom
from procurement.validation import camel
from procurement.web.auth import bearer_secret, principal_for
from procurement.web.body import BodyTooLarge, read_limited
from procurement.web.console.domain_texts import speaker
from procurement.web.downloads import content_disposition
from procurement.web.pages import page_language
from procurement.web.then_release import ThenRelease
from sbom import ACCEPTED_FORMATS
from sbom.errors import SbomIssue
from sbom.formats import ExportFormat

DOCUMENT_FORMATS = ("original", *(f.value for f in ExportFormat))


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def ingest_answer(result: IngestResult) -> dict[str, Any]:
    version = result.version
    import orjson

    return {
        "id": to_global_id("Sbom", version.id),
        "name": result.sbom.name,
        "version": version.number,
        "created": result.created,
        "sha256": version.sha256,
        "standard": version.standard.value,
        "format": version.format,
        "specVersion": version.spec_version,
        "componentCount": version.component_count,
        "quality": {
            "score": version.quality_score,
            "coverage": {camel(k): v for k, v in orjson.loads(version.quality_json).items()},
        },
        "warnings": [w.as_dict() for w in result.warnings],
    }


def _issues(request: Request, issues: Sequence[SbomIssue]) -> list[dict[str, Any]]:
    """The refusal's issues as the API sends them; for the console's upload script (a session,
    not a token) each also says it in the page's language under ``shown``."""
    answer: list[dict[str, Any]] = [i.as_dict() for i in issues]
    if bearer_secret(request) is not None or request.headers.get("authorization"):
        return answer
    say = speaker(page_language(request))
    for entry, issue in zip(answer, issues, strict=True):
        entry["shown"] = say(issue_text(issue), issue.message).text
    return answer


async def put_sbom(request: Request) -> Response:
    # What reading the document built is released after the answer is sent: the uploader waits
    # until the commit, not for the rows to be freed (see procurement.sboms.aftermath).
    aftermath = Aftermath()
    try:
        response = await _put_sbom(request, aftermath)
    except BaseException:
        await aftermath.release()
        raise
    return ThenRelease(response, aftermath.release)


async def _put_sbom(request: Request, aftermath: Aftermath) -> Response:
    settings = request.app.state.settings
    # The path id may be the plain number or the GraphQL global ID.
    purchase_id = from_number_or_global_id(request.path_params["purchase_id"], "Purchase")
    async with request.app.state.sessions() as session:
        try:
            principal = await principal_for(request, session)
        except Unauthenticated as unauthenticated:  # 403 for a cookie without its CSRF token
            return error(unauthenticated.status, unauthenticated.message)
        if purchase_id is None:
            return error(404, f"purchase {request.path_params['purchase_id']} not found")
        try:
            body = await read_limited(request, settings.max_upload_bytes)
        except BodyTooLarge as too_large:
            return error(413, str(too_large))
        try:
            result = await upload_sbom(
                session, principal, purchase_id, body,
                max_bytes=settings.max_upload_bytes, async_bytes=settings.sbom_async_bytes,
                content_encoding=request.headers.get("content-encoding"),
                name=request.query_params.get("name"),
                max_components=settings.max_sbom_components, aftermath=aftermath,
            )  # fmt: skip
        except PermissionDenied as denied:
            return error(403, denied.message)
        except NotFound as missing:
            return error(404, missing.errors[0].message)
        except SbomRejectedError as rejected:
            oversize = {"TOO_LARGE", "TOO_MANY_COMPONENTS"}
            status = 413 if any(i.code in oversize for i in rejected.issues) else 422
            return error(
                status, "the SBOM was not accepted; nothing was stored",
                errors=_issues(request, rejected.issues), accepted=list(ACCEPTED_FORMATS),
            )  # fmt: skip
        except InputError as invalid:
            if any(e.code is ErrorCode.CONFLICT for e in invalid.errors):
                return error(409, invalid.errors[0].message, retry=True)
            return error(
                422, str(invalid),
                errors=[{"field": e.field, "message": e.message, "code": e.code.value}
                        for e in invalid.errors],
            )  # fmt: skip
    if isinstance(result, Job):
        return job_answer(result)
    return JSONResponse(ingest_answer(result), status_code=201 if result.created else 200)


def job_answer(job: Job) -> JSONResponse:
    """202: a large document is stored and ingested by this job (poll GraphQL's job(id) with
    ``id``, or open ``url``); its outcome names the stored SBOM, its error what was refused."""
    url = f"/console/jobs/{job.id}"
    return JSONResponse(
        {"job": {"id": to_global_id("Job", job.id), "number": job.id, "state": job.state.value,
                 "url": url}},
        status_code=202,
        headers={"location": url},
    )  # fmt: skip


async def get_sbom_document(request: Request) -> Response:
    output = request.query_params.get("format", "original")
    if output not in DOCUMENT_FORMATS:
        return error(
            400,
            "format must be original (the document as uploaded, the default), json or xml "
            "(CycloneDX 1.6) or spdx (SPDX 2.3 JSON)",
        )
    version_id = from_number_or_global_id(request.path_params["id"], "Sbom")
    async with request.app.state.sessions() as session:
        try:
            principal = await principal_for(request, session)
        except Unauthenticated:
            return error(401, "authentication required: send 'Authorization: Bearer <token>'")
        try:
            if version_id is None:
                raise NotFound("id", "SBOM", request.path_params["id"])
            if output == "original":
                exported = await sbom_export.original_document(session, principal, version_id)
            else:
                exported = await sbom_export.export_version(
                    session, principal, version_id, ExportFormat(output)
                )
        except (NotFound, PermissionDenied):
            return error(404, "SBOM not found")
    return Response(
        exported.data,
        media_type=exported.media_type,
        headers={
            "content-disposition": content_disposition(exported.file_name),
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
            "etag": f'"{exported.sha256}-{output}"',
        },
    )
