"""Reading request bodies: every chunk kept in order, the limit enforced while streaming, and large
bodies joined off the event loop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from starlette.requests import Request

from procurement.web import body as body_module
from procurement.web.body import JOIN_OFF_LOOP_BYTES, BodyTooLarge, read_limited


def streamed(chunks: Sequence[bytes], headers: list[tuple[bytes, bytes]] | None = None) -> Request:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    scope = {"type": "http", "method": "PUT", "headers": headers or [], "path": "/"}
    return Request(scope, receive)


async def test_small_body_is_joined_in_order() -> None:
    # given a body streamed in three chunks
    request = streamed([b"ab", b"", b"cd"])
    # then it reads back whole, in order
    assert await read_limited(request, 10) == b"abcd"


async def test_large_body_is_joined_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a body larger than the threshold, and a record of what runs off the loop
    offloaded: list[object] = []

    async def to_thread(fn: Any, *args: Any) -> Any:
        offloaded.append(fn)
        return fn(*args)

    monkeypatch.setattr(body_module.asyncio, "to_thread", to_thread)
    piece = b"x" * (1 << 20)
    count = JOIN_OFF_LOOP_BYTES // len(piece) + 1
    # when it is read
    data = await read_limited(streamed([piece] * count), 10 * JOIN_OFF_LOOP_BYTES)
    # then it is whole, and the join ran through asyncio.to_thread
    assert len(data) == count * len(piece)
    assert len(offloaded) == 1


async def test_a_body_over_the_limit_is_refused_while_streaming() -> None:
    # given no content-length and 12 bytes against a limit of 10
    with pytest.raises(BodyTooLarge) as refused:
        await read_limited(streamed([b"123456", b"789012"]), 10)
    # then the refusal names the limit
    assert str(refused.value) == "the request body is larger than the limit of 10 bytes"


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    request = streamed([b"never read"], headers=[(b"content-length", b"999")])
    with pytest.raises(BodyTooLarge):
        await read_limited(request, 10)
