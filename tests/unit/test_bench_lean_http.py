"""bench/lean_http.py, the load generator's HTTP client, against a real socket server whose
answers are scripted: bodies by length and chunked, kept-alive reuse, an idle connection the
server closed, and an answer cut short."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from types import ModuleType

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench" / "lean_http.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lean_http", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lean_http"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


lean_http = load()

Script = Callable[[int, bytes], bytes | None]  # (connection no., request) -> answer, None: close


class Server:
    """A loopback server answering each request as ``script`` says; counts connections."""

    def __init__(self, script: Script, close_after_answer: bool) -> None:
        self.script = script
        self.close_after_answer = close_after_answer
        self.connections = 0
        self.requests: list[bytes] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                answer = self.script(number, request)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer:
                    break
        except asyncio.IncompleteReadError:
            pass
        writer.close()


Start = Callable[..., Awaitable[tuple[Server, str]]]  # (script, close_after_answer=False)


@pytest.fixture
async def serve() -> AsyncIterator[Start]:
    servers: list[asyncio.Server] = []

    async def start(script: Script, close_after_answer: bool = False) -> tuple[Server, str]:
        server = Server(script, close_after_answer)
        listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        servers.append(listening)
        port = listening.sockets[0].getsockname()[1]
        return server, f"http://127.0.0.1:{port}"

    yield start
    for listening in servers:
        listening.close()


def answer(body: bytes, status: str = "200 OK") -> bytes:
    return f"HTTP/1.1 {status}\r\ncontent-length: {len(body)}\r\n\r\n".encode() + body


async def test_answers_by_length_reuse_one_connection(serve: Start) -> None:
    # given a server answering every request with a JSON body
    server, url = await serve(lambda _n, _r: answer(b'{"data": 1}'))
    client = lean_http.LeanClient(url, {"authorization": "Bearer t"}, 10, 5.0)
    request = client.encode("POST", "/graphql", b'{"query": "{ x }"}', "application/json")

    # when three requests are sent one after another
    answers = [await client.send(request) for _ in range(3)]

    # then each has the status and body, all went over one kept-alive connection, and the
    # request carried the path, the fixed headers and the body
    assert [(a.status, a.body) for a in answers] == [(200, b'{"data": 1}')] * 3
    assert server.connections == 1
    assert server.requests[0] == (
        b"POST /graphql HTTP/1.1\r\nhost: 127.0.0.1:" + url.rsplit(":", 1)[1].encode()
        + b"\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\n"
        b"content-length: 18\r\n\r\n{\"query\": \"{ x }\"}"
    )  # fmt: skip
    await client.close()


async def test_a_chunked_answer_is_joined(serve: Start) -> None:
    # given a server answering in two chunks
    chunked = b"HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n"
    chunked += b"4\r\nbusy\r\n6\r\n, wait\r\n0\r\n\r\n"
    _server, url = await serve(lambda _n, _r: chunked)
    client = lean_http.LeanClient(url, {}, 10, 5.0)

    # when a request is sent
    got = await client.send(client.encode("PUT", "/api", b"", "application/json"))

    # then the status and the whole body
    assert (got.status, got.body) == (503, b"busy, wait")
    await client.close()


async def test_an_idle_connection_the_server_closed_is_replaced(
    serve: Start,
) -> None:
    # given a server that answers once per connection and then closes it on the next request
    # without answering (as uvicorn does with a connection idle too long)
    def script(_n: int, request: bytes) -> bytes | None:
        seen[_n] = seen.get(_n, 0) + 1
        return answer(b"ok") if seen[_n] == 1 else None

    seen: dict[int, int] = {}
    server, url = await serve(script)
    client = lean_http.LeanClient(url, {}, 10, 5.0)
    request = client.encode("POST", "/graphql", b"{}", "application/json")

    # when two requests are sent one after another
    first, second = await client.send(request), await client.send(request)

    # then both are answered, the second on a new connection
    assert (first.body, second.body) == (b"ok", b"ok")
    assert server.connections == 2
    await client.close()


async def test_an_answer_cut_short_is_a_failure(serve: Start) -> None:
    # given a server that promises 10 bytes, sends 3 and closes
    _server, url = await serve(
        lambda _n, _r: b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc",
        close_after_answer=True,
    )
    client = lean_http.LeanClient(url, {}, 10, 5.0)

    # when a request is sent, then it fails and says how
    with pytest.raises(lean_http.HttpFailure, match="IncompleteReadError"):
        await client.send(client.encode("POST", "/graphql", b"{}", "application/json"))
    await client.close()


async def test_a_refused_connection_is_a_failure() -> None:
    # given no server on a port
    client = lean_http.LeanClient("http://127.0.0.1:1", {}, 10, 5.0)

    # when a request is sent, then it fails at connecting
    with pytest.raises(lean_http.HttpFailure, match="connect: ConnectionRefusedError"):
        await client.send(client.encode("POST", "/graphql", b"{}", "application/json"))
