"""A small HTTP/1.1 keep-alive client for the load generator (bench/load_mix.py).

On this 2-core machine the load generator shares the cores with the server it measures. httpx
spent 4-12 ms of CPU per request there (its connection pool, header models, and per-request
objects), as much as the server itself at high rates, so the figures measured the generator as
much as the service. This client does only what a loopback benchmark needs: requests whose bytes
are encoded once per distinct body, kept-alive connections reused from an idle list, and a
response read as status line, headers and a Content-Length (or chunked) body.

It is for bench/ only: plain HTTP to loopback, no redirects, no cookies, no TLS. A request on a
reused connection that ends before any byte of the answer is sent once more on a new connection
(the server had closed the idle one); a server that crashed mid-request could see it twice.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

IDLE_SECONDS = 4.0  # reuse a kept-alive connection idle for less than this
_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class _ClosedWhileIdle(Exception):
    """A reused connection ended before any byte of the answer: the server had closed it."""


class HttpFailure(Exception):
    """The connection failed or the answer was not HTTP/1.1 as expected; the message says how."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class LeanClient:
    """Keep-alive connections to one loopback server, at most ``max_connections`` at once."""

    def __init__(
        self, url: str, headers: dict[str, str], max_connections: int, timeout_seconds: float
    ) -> None:
        self.timeout_seconds = timeout_seconds  # to connect, and from sending to the whole answer
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        fixed = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._fixed = f"host: {self.host}:{self.port}\r\n{fixed}".encode("latin-1")
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._slots = asyncio.Semaphore(max_connections)

    def encode(self, method: str, path: str, body: bytes, content_type: str) -> bytes:
        """The whole request, to be sent as is (encode once, send many times)."""
        head = (
            f"{method} {path} HTTP/1.1\r\n".encode("latin-1")
            + self._fixed
            + f"content-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n".encode(
                "latin-1"
            )
        )
        return head + body

    async def send(self, request: bytes) -> Answer:
        async with self._slots:
            connection = self._take_idle()
            if connection is not None:
                try:
                    return await self._exchange(connection, request)
                except _ClosedWhileIdle:
                    pass  # the server closed it before reading the request: never processed
            return await self._exchange(await self._connect(), request)

    def _take_idle(self) -> _Connection | None:
        # uvicorn closes a connection idle for 5 s (timeout_keep_alive): drop those it may have.
        now = time.monotonic()
        while self._idle:
            reader, writer, idle_since = self._idle.pop()
            if now - idle_since < IDLE_SECONDS:
                return reader, writer
            writer.close()
        return None

    async def _connect(self) -> _Connection:
        try:
            return await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, limit=1 << 24),
                self.timeout_seconds,
            )
        except (OSError, TimeoutError) as error:
            raise HttpFailure(f"connect: {type(error).__name__}") from None

    async def _exchange(self, connection: _Connection, request: bytes) -> Answer:
        reader, writer = connection
        try:
            writer.write(request)
            answer, keep = await asyncio.wait_for(_read_answer(reader), self.timeout_seconds)
        except asyncio.IncompleteReadError as error:
            writer.close()
            if not error.partial:
                raise _ClosedWhileIdle from None
            raise HttpFailure("IncompleteReadError") from None
        except (OSError, TimeoutError, HttpFailure) as error:
            writer.close()
            if isinstance(error, HttpFailure):
                raise
            raise HttpFailure(type(error).__name__) from None
        if keep:
            self._idle.append((reader, writer, time.monotonic()))
        else:
            writer.close()
        return answer

    async def close(self) -> None:
        for _reader, writer, _idle_since in self._idle:
            writer.close()
        self._idle.clear()


async def _read_answer(reader: asyncio.StreamReader) -> tuple[Answer, bool]:
    """The answer and whether the connection may be reused."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status_line = lines[0].split(b" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
        raise HttpFailure(f"not an HTTP/1.x answer: {lines[0][:40]!r}")
    status = int(status_line[1])
    length: int | None = None
    chunked = False
    keep = status_line[0] == b"HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep = value.strip().lower() != b"close"
    if chunked:
        body = await _read_chunked(reader)
    elif length is not None:
        body = await reader.readexactly(length)
    else:  # the body runs to the end of the connection
        body = await reader.read()
        keep = False
    return Answer(status, body), keep


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # the empty trailer
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
