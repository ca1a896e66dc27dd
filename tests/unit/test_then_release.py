"""The SBOM upload route's answer releases what the upload held once it is sent, and also when
sending fails (a client gone away): the release resumes the cyclic collector (issue 14)."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from starlette.responses import JSONResponse
from starlette.types import Message

from procurement.sboms.aftermath import Aftermath
from procurement.web.then_release import ThenRelease

SCOPE: dict[str, Any] = {"type": "http"}


async def _nothing() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def test_release_runs_after_the_answer_is_sent() -> None:
    # given an answer wrapped with a release that notes the messages sent before it
    events: list[str] = []

    async def send(message: Message) -> None:
        events.append(message["type"])

    async def release() -> None:
        events.append("released")

    response = ThenRelease(JSONResponse({"ok": True}, status_code=201), release)
    # when it is sent
    await response(SCOPE, _nothing, send)
    # then the release came after the whole answer, which kept its status and body
    assert events == ["http.response.start", "http.response.body", "released"]
    assert (response.status_code, response.body) == (201, b'{"ok":true}')


async def test_release_runs_when_sending_fails() -> None:
    # given a client that has gone away
    released: list[bool] = []

    async def send(message: Message) -> None:
        raise OSError("connection reset")

    async def release() -> None:
        released.append(True)

    # when the answer is sent
    with pytest.raises(OSError, match="connection reset"):
        await ThenRelease(JSONResponse({}), release)(SCOPE, _nothing, send)
    # then the release ran all the same
    assert released == [True]


async def test_aftermath_leaves_a_pause_it_did_not_make() -> None:
    # given the collector already paused by someone else
    was = gc.isenabled()
    gc.disable()
    try:
        aftermath = Aftermath()
        aftermath.pause_gc()
        aftermath.hold(object())
        # when the aftermath is released (twice)
        await aftermath.release()
        await aftermath.release()
        # then the other pause is still in force
        assert gc.isenabled() is False
    finally:
        (gc.enable if was else gc.disable)()
