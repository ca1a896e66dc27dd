"""The GraphQL multipart request specification (https://github.com/jaydenseric/graphql-multipart-request-spec):
``operations`` (the JSON request), ``map`` (file field -> variable paths) and the files.

Multipart is a "simple" request a browser can send cross-site, but this API authenticates with a
bearer header that browsers never add on their own, so it opens no CSRF hole.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

MAX_FILES = 5
FORM_OVERHEAD = 1024 * 1024  # room for the operations and map fields next to the files


async def read_multipart(request: Request, max_upload_bytes: int) -> dict[str, Any]:
    from schema.core.http import RequestError

    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise RequestError(411, "a multipart upload needs a Content-Length")
    if int(declared) > max_upload_bytes + FORM_OVERHEAD:
        raise RequestError(413, f"the upload is larger than the limit of {max_upload_bytes} bytes")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=10, max_part_size=FORM_OVERHEAD)
    except Exception as exc:  # malformed multipart bodies raise several parser errors
        raise RequestError(400, f"the multipart body could not be read: {exc}") from None
    request.state.graphql_form = form
    operations = _json_field(form.get("operations"), "operations")
    if not isinstance(operations, dict):
        raise RequestError(400, "'operations' must be a JSON object (batches are not supported)")
    mapping = _json_field(form.get("map"), "map")
    if not isinstance(mapping, dict):
        raise RequestError(400, "'map' must be a JSON object")
    for field, paths in mapping.items():
        upload = form.get(field)
        if not isinstance(upload, UploadFile):
            raise RequestError(400, f"'map' names the file '{field}', which was not sent")
        if not isinstance(paths, list) or not paths:
            raise RequestError(400, f"'map' must give a list of paths for '{field}'")
        for path in paths:
            _place(operations, path, upload)
    return operations


def _json_field(value: Any, name: str) -> Any:
    from schema.core.http import RequestError

    if not isinstance(value, str):
        raise RequestError(400, f"the multipart field '{name}' is missing")
    try:
        return json.loads(value, parse_float=Decimal)
    except ValueError:
        raise RequestError(400, f"the multipart field '{name}' is not valid JSON") from None


def _place(operations: dict[str, Any], path: Any, upload: UploadFile) -> None:
    from schema.core.http import RequestError

    if not isinstance(path, str) or not path.startswith("variables."):
        raise RequestError(400, f"'map' path {path!r} must start with 'variables.'")
    target: Any = operations
    parts = path.split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key: Any = int(part) if isinstance(target, list) and part.isdigit() else part
        try:
            if last:
                if target[key] is not None:
                    raise RequestError(400, f"'map' path {path!r} must point at a null value")
                target[key] = upload
            else:
                target = target[key]
        except (KeyError, IndexError, TypeError):
            raise RequestError(400, f"'map' path {path!r} does not exist in operations") from None


async def close_uploads(request: Request) -> None:
    form = getattr(request.state, "graphql_form", None)
    if form is not None:
        await form.close()
