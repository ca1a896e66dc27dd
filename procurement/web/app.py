"""The Starlette application: composes the GraphQL endpoint, REST routes and health probe."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.db_faults import DatabaseState, track_writes
from procurement.job_kinds import PERIODIC_CRONS, registry
from procurement.jobs import wakeup as job_wakeup
from procurement.jobs.local import LocalWorker
from procurement.jobs.queue import QueueDispatch, build_app
from procurement.notifications.dispatcher import Deliver
from procurement.notifications.service import PeriodicNotifications
from procurement.retention import DailyRetention
from procurement.settings import Settings, load_settings
from procurement.web.advisory_routes import import_advisories
from procurement.web.auth import principal_for
from procurement.web.console.common import unknown_address
from procurement.web.console_routes import console_routes
from procurement.web.downloads import download_routes
from procurement.web.health import database_unavailable, healthz_probe
from procurement.web.sbom_routes import get_sbom_document, put_sbom
from procurement.web.throttle import FailedAuthentications, TooManyFailedAttempts

log = logging.getLogger("procurement.web")
JOB_POLL_SECONDS = 5.0  # the in-process worker's poll, for jobs another process enqueued


def create_app(
    settings: Settings | None = None,
    engine: AsyncEngine | None = None,
    *,
    deliver: Deliver | None = None,
) -> Starlette:
    """Build the app. Tests pass their own engine; otherwise one is made from the settings.
    ``deliver`` replaces the notification channels of the in-process worker (tests)."""
    from schema.api import schema
    from schema.context import RequestContext
    from schema.core.http import GraphQLEndpoint
    from schema.core.limits import QueryLimits
    from schema.core.turns import Turns

    settings = settings or load_settings()
    owns_engine = engine is None
    engine = engine or create_engine(settings.database_url)
    database_state = DatabaseState()
    sessions = track_writes(app_sessions(engine, settings), database_state)
    # Jobs, notification delivery among them: on SQLite an in-process worker runs them (and the
    # app runs the notification checks and sweep); on PostgreSQL they are handed to the
    # `procurement worker` processes, which run those as periodic tasks. Either way a commit
    # that enqueued one hands it over.
    local_worker: LocalWorker | None = None
    periodic: PeriodicNotifications | None = None
    retention: DailyRetention | None = None
    queue: QueueDispatch | None = None
    if settings.is_sqlite:
        kinds = registry(settings, deliver)
        local_worker = LocalWorker(sessions, kinds, poll_seconds=JOB_POLL_SECONDS)
        job_wakeup.install(sessions, local_worker.wake)
        periodic = PeriodicNotifications(
            sessions,
            poll_seconds=settings.notification_poll_seconds,
            digest_hour=settings.notification_digest_hour,
        )
        retention = DailyRetention(sessions, settings.job_retention_days)
    else:
        queue = QueueDispatch(build_app(settings.database_url, periodic=PERIODIC_CRONS))
        job_wakeup.install(sessions, queue)

    def graphql_context(request: Request) -> AbstractAsyncContextManager[RequestContext]:
        @asynccontextmanager
        async def opened() -> AsyncIterator[RequestContext]:
            async with sessions() as session:
                principal = await principal_for(request, session, csrf_always=True)
                yield RequestContext(session=session, principal=principal, settings=settings)

        return opened()

    endpoint = GraphQLEndpoint(
        schema.graphql_schema,
        graphql_context,
        limits=QueryLimits.from_settings(settings),
        max_upload_bytes=settings.max_upload_bytes,
        database_state=database_state,
        turns=Turns(settings.graphql_concurrency, settings.graphql_queue_seconds),
    )

    async def healthz(_request: Request) -> Response:
        return await healthz_probe(engine, settings, database_state)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if local_worker is not None:
            local_worker.start()
        if periodic is not None:
            periodic.start()
        if retention is not None:
            retention.start()
        if queue is not None:
            await queue.start()
        yield
        if queue is not None:
            await queue.stop()
        if local_worker is not None:
            await local_worker.stop()
        if periodic is not None:
            await periodic.stop()
        if retention is not None:
            await retention.stop()
        if owns_engine:
            await engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", endpoint.__call__, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/api/purchases/{purchase_id}/sbom", put_sbom, methods=["PUT"]),
            Route("/api/sboms/{id}/document", get_sbom_document, methods=["GET"]),
            Route("/api/advisories/import", import_advisories, methods=["POST"]),
            *download_routes(sessions),
            *console_routes(),
        ],
        lifespan=lifespan,
        exception_handlers={
            DBAPIError: database_unavailable,
            # Every pooled connection busy (an overloaded server): a 503 to retry, never a 500.
            PoolTimeout: database_unavailable,
            TooManyFailedAttempts: too_many_attempts,
            HTTPException: unknown_address,  # a page, not a bare "Not Found", for people
        },
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.database_state = database_state
    app.state.graphql_turns = endpoint.turns
    app.state.failed_auth = FailedAuthentications()
    app.state.failed_signin = FailedAuthentications()  # console sign-ins: address and login
    app.state.notifications = periodic
    app.state.job_worker = local_worker
    return app


async def too_many_attempts(_request: Request, error: Exception) -> Response:
    assert isinstance(error, TooManyFailedAttempts)
    return JSONResponse(
        {"error": error.message},
        status_code=429,
        headers={"retry-after": str(error.retry_after)},
    )


def freeze_startup_objects() -> None:
    """Move every object alive now (modules, the schema, the app) out of the cyclic garbage
    collector's sight, for a serving process to call once its app is built: the collector's
    full passes otherwise walk those few hundred thousand long-lived objects again and again,
    a cost every request shares (issue 14 throughput). Garbage made later is collected as
    always."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> Any:
    """Factory for ``uvicorn --factory procurement.web.app:app_from_environment``."""
    app = create_app()
    freeze_startup_objects()
    return app
