"""REST downloads of agreement files (bearer token):

- ``GET /api/agreements/{id}/document`` the generated .docx; ``?format=pdf`` converts it with
  LibreOffice where installed (503 with a message otherwise);
- ``GET /api/agreements/{id}/signed-copy`` the signed copy kept as evidence;
- ``GET /api/supervision-checks/{id}/attachment`` a supervision check's evidence (internal);
- ``GET /api/review-attachments/{id}`` a review case's Art. 8 attachment (internal).

A person signed in to the console is authenticated by the session cookie (a GET needs no CSRF
token), so the console's pages link to these routes directly.

``{id}`` is the number from ``downloadPath`` or the GraphQL global ID. Anything the caller may not
see is a 404, exactly like something that does not exist.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from procurement.agreements.pdf import PdfConversionFailed, PdfUnavailable, find_soffice, to_pdf
from procurement.agreements.reads import StoredFile, agreement_file, check_attachment
from procurement.errors import PermissionDenied, Unauthenticated
from procurement.files import PDF_TYPE
from procurement.ids import from_number_or_global_id
from procurement.permissions import Principal
from procurement.reviews import reads as review_reads
from procurement.web.auth import principal_for

log = logging.getLogger("procurement.web")

PDF_CONCURRENCY = 2

Fetch = Callable[[AsyncSession, Principal, int], Awaitable[StoredFile | None]]


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def content_disposition(file_name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the exact UTF-8 name in
    ``filename*`` (RFC 6266 / RFC 5987), so Chinese names arrive intact."""
    ascii_name = unicodedata.normalize("NFKD", file_name).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isalnum() or c in "-_.() " else "_" for c in ascii_name)
    ascii_name = ascii_name.strip().lstrip("_")
    stem = ascii_name.rsplit(".", 1)[0].strip("_ ")
    if not stem:
        ascii_name = "download" + (f".{file_name.rsplit('.', 1)[1]}" if "." in file_name else "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def _file_response(stored: StoredFile, data: bytes, file_name: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={
            "content-disposition": content_disposition(file_name),
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",  # confidential: never in a shared cache
            "etag": f'"{stored.sha256}"',
        },
    )


async def _as_pdf(stored: StoredFile, slots: asyncio.Semaphore) -> Response:
    if find_soffice() is None:
        return _error(
            503, "PDF output needs LibreOffice (soffice), which is not installed on this server"
        )
    try:
        async with slots:
            pdf = await asyncio.to_thread(to_pdf, stored.data)
    except PdfUnavailable as error:
        return _error(503, str(error))
    except PdfConversionFailed:
        log.exception("PDF conversion failed")
        return _error(503, "LibreOffice could not convert this document to PDF; try the .docx")
    name = stored.file_name.rsplit(".", 1)[0] + ".pdf"
    return _file_response(stored, pdf, name, PDF_TYPE)


def download_routes(sessions: async_sessionmaker[AsyncSession]) -> list[Route]:
    # LibreOffice takes seconds and a few hundred MB per conversion: bound how many run at once
    # in this process (a per-process limit; no other worker needs to know it).
    pdf_slots = asyncio.Semaphore(PDF_CONCURRENCY)

    async def serve(request: Request, type_name: str, fetch: Fetch, pdf_allowed: bool) -> Response:
        output = request.query_params.get("format", "original")
        if output not in ("original", "docx", "pdf") or (output == "pdf" and not pdf_allowed):
            return _error(400, "format must be docx (the default) or pdf")
        pk = from_number_or_global_id(request.path_params["id"], type_name)
        async with sessions() as session:
            try:
                principal = await principal_for(request, session)
            except Unauthenticated as unauthenticated:
                return _error(
                    401,
                    unauthenticated.message,
                    {"www-authenticate": 'Bearer realm="procurement"'},
                )
            try:
                stored = None if pk is None else await fetch(session, principal, pk)
            except PermissionDenied:
                stored = None  # a role that may not read these sees nothing, not a hint
        if stored is None:
            return _error(404, f"{type_name} not found")
        if output == "pdf":
            return await _as_pdf(stored, pdf_slots)
        return _file_response(stored, stored.data, stored.file_name, stored.content_type)

    async def document(request: Request) -> Response:
        async def fetch(s: AsyncSession, p: Principal, pk: int) -> StoredFile | None:
            return await agreement_file(s, p, pk, "document")

        return await serve(request, "Agreement", fetch, pdf_allowed=True)

    async def signed_copy(request: Request) -> Response:
        async def fetch(s: AsyncSession, p: Principal, pk: int) -> StoredFile | None:
            return await agreement_file(s, p, pk, "signed-copy")

        return await serve(request, "Agreement", fetch, pdf_allowed=False)

    async def attachment(request: Request) -> Response:
        return await serve(request, "SupervisionCheck", check_attachment, pdf_allowed=False)

    async def review_attachment(request: Request) -> Response:
        async def fetch(s: AsyncSession, p: Principal, pk: int) -> StoredFile | None:
            row = await review_reads.attachment_with_content(s, p, pk)
            if row is None:
                return None
            # No media type is stored for these: the browser saves the file, never renders it.
            return StoredFile(row.content, row.file_name, "application/octet-stream", row.sha256)

        return await serve(request, "ReviewAttachment", fetch, pdf_allowed=False)

    return [
        Route("/api/agreements/{id}/document", document, methods=["GET"]),
        Route("/api/review-attachments/{id}", review_attachment, methods=["GET"]),
        Route("/api/agreements/{id}/signed-copy", signed_copy, methods=["GET"]),
        Route("/api/supervision-checks/{id}/attachment", attachment, methods=["GET"]),
    ]
