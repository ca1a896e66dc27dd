"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec).

A ``multipart/form-data`` POST with an ``operations`` part (the usual JSON body), a ``map`` part
(``{"0": ["variables.file"]}``) and one part per file. Each file is read into an
:class:`procurement.files.UploadedFile` and put where the map says, so the ``Upload`` scalar
receives it as a variable value.

Browsers may send this content type cross-site without a preflight, but the endpoint only acts on
a bearer token in the Authorization header, which no cross-site form can add: no CSRF hole.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from decimal import Decimal
from typing import Any

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from procurement.files import UploadedFile

MAX_FILES = 10
MAX_FIELDS = 20
MAX_OPERATIONS_BYTES = 1024 * 1024


class MultipartError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _limited(stream: AsyncIterator[bytes], max_bytes: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > max_bytes:
            raise MultipartError(413, f"request body larger than {max_bytes} bytes")
        yield chunk


def _json(form: Any, name: str) -> Any:
    raw = form.get(name)
    if not isinstance(raw, str):
        raise MultipartError(400, f"the multipart request needs a '{name}' field")
    try:
        return json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise MultipartError(400, f"the '{name}' field is not valid JSON") from None
    except RecursionError:
        raise MultipartError(400, f"the '{name}' field nests too deep") from None


def _place(operations: dict[str, Any], path: str, value: UploadedFile) -> None:
    """Put ``value`` at ``path`` ("variables.input.file", "variables.files.0") in operations."""
    keys = path.split(".")
    if len(keys) < 2 or keys[0] != "variables":
        raise MultipartError(400, f"map path '{path}' must start with 'variables.'")
    node: Any = operations
    for position, key in enumerate(keys):
        index: Any = int(key) if isinstance(node, list) and key.isdigit() else key
        try:
            current = node[index]
        except (KeyError, IndexError, TypeError):
            raise MultipartError(400, f"map path '{path}' names no variable") from None
        if position == len(keys) - 1:
            if current is not None:
                raise MultipartError(400, f"map path '{path}' must point at a null value")
            node[index] = value
        node = current


async def read_multipart(request: Request, max_bytes: int) -> dict[str, Any]:
    """The GraphQL params of a multipart request, with the files in place of their nulls."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise MultipartError(413, f"request body larger than {max_bytes} bytes")
    parser = MultiPartParser(
        request.headers,
        _limited(request.stream(), max_bytes),
        max_files=MAX_FILES,
        max_fields=MAX_FIELDS,
        max_part_size=MAX_OPERATIONS_BYTES,
    )
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise MultipartError(400, f"malformed multipart request: {error.message}") from None
    try:
        operations = _json(form, "operations")
        if not isinstance(operations, dict):
            raise MultipartError(400, "'operations' must be one JSON object (no batching)")
        mapping = _json(form, "map")
        if not isinstance(mapping, dict):
            raise MultipartError(400, "'map' must be a JSON object")
        for key, paths in mapping.items():
            part = form.get(key)
            if not isinstance(part, UploadFile):
                raise MultipartError(400, f"'map' names file '{key}', which was not sent")
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise MultipartError(400, f"'map' entry '{key}' must be a list of paths")
            upload = UploadedFile(
                filename=part.filename or "", content_type=part.content_type, data=await part.read()
            )
            for path in paths:
                _place(operations, path, upload)
        return operations
    finally:
        await form.close()
