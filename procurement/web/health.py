"""``/healthz`` as a readiness check that writes nothing, and the answer a request gets when the
database cannot take it (503 with Retry-After, never a bare 500)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from procurement.db_faults import (
    RETRY_AFTER_SECONDS,
    DatabaseState,
    Unavailability,
    classify,
    explain,
    sqlite_file_condition,
)
from procurement.settings import Settings


def unavailable_response(kind: Unavailability) -> JSONResponse:
    return JSONResponse(
        {"error": explain(kind), "database": kind.value},
        status_code=503,
        headers={"retry-after": str(RETRY_AFTER_SECONDS)},
    )


async def database_unavailable(request: Request, error: Exception) -> Response:
    """The app's handler for database errors no route caught: 503 when the database cannot take
    the request now (read-only, full, busy, gone), else the error goes on to be a 500."""
    kind = classify(error)
    if kind is None or not isinstance(error, DBAPIError | PoolTimeout):
        raise error
    request.app.state.database_state.failed(kind)
    return unavailable_response(kind)


async def _probe(engine: AsyncEngine, settings: Settings) -> Unavailability | None:
    """Ask the database (and for SQLite its filesystem) whether it could take a write."""
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                read_only = await connection.scalar(
                    text(
                        "SELECT pg_is_in_recovery() "
                        "OR current_setting('transaction_read_only') = 'on'"
                    )
                )
                return Unavailability.READ_ONLY if read_only else None
            await connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        return classify(error) or Unavailability.UNREACHABLE
    except OSError:
        return Unavailability.UNREACHABLE
    path = settings.database_url.split(":///", 1)[1].split("?", 1)[0]
    if path.startswith("file:"):
        path = path[len("file:") :]
    return None if path in ("", ":memory:") else sqlite_file_condition(path)


async def healthz_probe(engine: AsyncEngine, settings: Settings, state: DatabaseState) -> Response:
    """200 when the database can take work; 503 naming the condition otherwise: what the probe
    finds now, or what a request met since the last successful write."""
    found = await _probe(engine, settings)
    if found is None and state.condition is not None:
        found = state.condition
    if found is not None:
        state.failed(found)
        return JSONResponse(
            {"status": "unavailable", "database": found.value, "detail": explain(found)},
            status_code=503,
            headers={"retry-after": str(RETRY_AFTER_SECONDS)},
        )
    return JSONResponse({"status": "ok"})
