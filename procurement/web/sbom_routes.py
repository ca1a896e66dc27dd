"""``PUT /api/purchases/{id}/sbom``: the raw-document upload for vendors' CI pipelines.

    curl -fsS -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         --data-binary @bom.json http://host:8000/api/purchases/UHVyY2hhc2U6MQ==/sbom
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from procurement.errors import InputError, NotFound, PermissionDenied, Unauthenticated
from procurement.ids import from_number_or_global_id, to_global_id
from procurement.sboms.actions import IngestResult, SbomRejectedError, ingest_sbom
from procurement.validation import camel
from procurement.web.auth import principal_for
from procurement.web.body import BodyTooLarge, read_limited


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


async def put_sbom(request: Request) -> Response:
    settings = request.app.state.settings
    # The path id may be the plain number or the GraphQL global ID.
    purchase_id = from_number_or_global_id(request.path_params["purchase_id"], "Purchase")
    async with request.app.state.sessions() as session:
        try:
            principal = await principal_for(request, session)
        except Unauthenticated:
            return error(401, "authentication required: send 'Authorization: Bearer <token>'")
        if purchase_id is None:
            return error(404, f"purchase {request.path_params['purchase_id']} not found")
        try:
            body = await read_limited(request, settings.max_upload_bytes)
        except BodyTooLarge as too_large:
            return error(413, str(too_large))
        try:
            result = await ingest_sbom(
                session, principal, purchase_id, body,
                max_bytes=settings.max_upload_bytes,
                content_encoding=request.headers.get("content-encoding"),
                name=request.query_params.get("name"),
            )  # fmt: skip
        except PermissionDenied as denied:
            return error(403, denied.message)
        except NotFound as missing:
            return error(404, missing.errors[0].message)
        except SbomRejectedError as rejected:
            status = 413 if any(i.code == "TOO_LARGE" for i in rejected.issues) else 422
            return error(
                status, "the SBOM was not accepted; nothing was stored",
                errors=[i.as_dict() for i in rejected.issues],
            )  # fmt: skip
        except InputError as invalid:
            return error(
                422, str(invalid),
                errors=[{"field": e.field, "message": e.message, "code": e.code.value}
                        for e in invalid.errors],
            )  # fmt: skip
    return JSONResponse(ingest_answer(result), status_code=201 if result.created else 200)
