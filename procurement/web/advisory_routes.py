"""``POST /api/advisories/import``: an OSV dump uploaded by an admin (a token allowed to manage
screening), stored and answered at once (202) with the background job that imports it; the
job's outcome (``job(id)``, ``/console/jobs/{id}``) is the import report.

    curl -fsS -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/zip" \\
         --data-binary @npm-all.zip "http://host:8000/api/advisories/import?name=npm-all.zip"

The body (a zip of OSV records or one JSON file) is streamed to a temporary file, never held in
memory, and refused past the upload limit; a body that is plainly no dump (neither a zip nor JSON,
an unreadable zip) is refused at once with nothing stored. Otherwise it is stored with its job,
which imports it like ``procurement advisories import`` does, in one transaction.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from procurement.errors import CsrfRefused, InputError, PermissionDenied, Unauthenticated
from procurement.ids import to_global_id
from procurement.screening.actions.advisory_dump import check_may_import
from procurement.screening.actions.advisory_upload import upload_osv_dump
from procurement.web.auth import principal_for
from procurement.web.sbom_routes import error


class _TooLarge(Exception):
    pass


async def _spool(request: Request, target: Path, limit: int) -> int:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    size = 0
    with target.open("wb") as file:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            file.write(chunk)
    return size


async def import_advisories(request: Request) -> Response:
    limit: int = request.app.state.settings.max_upload_bytes
    name = (request.query_params.get("name") or "upload").strip()[:200] or "upload"
    async with request.app.state.sessions() as session:
        try:
            principal = await principal_for(request, session)
        except CsrfRefused as refused:
            return error(refused.status, refused.message)
        except Unauthenticated:
            return error(401, "authentication required: send 'Authorization: Bearer <token>'")
        try:
            check_may_import(principal)
        except PermissionDenied as denied:
            return error(403, denied.message)
        with tempfile.TemporaryDirectory(prefix="osv-upload-") as directory:
            path = Path(directory) / "upload"
            try:
                size = await _spool(request, path, limit)
            except _TooLarge:
                return error(
                    413,
                    f"the upload is larger than the limit of {limit} bytes "
                    "(PROCUREMENT_MAX_UPLOAD_BYTES); import large dumps with "
                    "'procurement advisories import'",
                )
            if size == 0:
                return error(400, "the request body is empty: send the zip or JSON file")
            try:
                job = await upload_osv_dump(session, principal, path, name)
            except InputError as invalid:
                return error(
                    422, "the upload is not an OSV dump; nothing was stored",
                    errors=[{"field": e.field, "message": e.message, "code": e.code.value}
                            for e in invalid.errors],
                )  # fmt: skip
    url = f"/console/jobs/{job.id}"
    return JSONResponse(
        {"job": {"id": to_global_id("Job", job.id), "number": job.id, "state": job.state.value,
                 "url": url}},
        status_code=202,
        headers={"location": url},
    )  # fmt: skip
