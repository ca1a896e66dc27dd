"""The real app served by uvicorn on a loopback port, in a thread of the test process, for
clients that need a socket (a browser)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from procurement.settings import load_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(
    database_url: str, *, start_timeout: float = 30.0, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the app on ``database_url`` (its own engine and event loop), with any further
    ``settings`` (environment variables), and yield its base URL."""
    from procurement.web.app import create_app

    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": database_url, **(settings or {})}))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name=f"live-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=start_timeout)
