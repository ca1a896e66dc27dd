"""A response that runs a release step once it is sent, or once sending failed.

Starlette's ``background`` is skipped when sending raises (the client went away); a release
that resumes the cyclic collector must run whatever happens, so it runs in a finally here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.types import Receive, Scope, Send


class ThenRelease(Response):
    """``response`` as it is, then ``release``: what it holds is freed after the answer."""

    def __init__(self, response: Response, release: Callable[[], Awaitable[None]]) -> None:
        # No Response.__init__: nothing is rendered here; the wrapped response keeps its own
        # status, headers and body, and tests reading them see the same attributes.
        self.__dict__.update(response.__dict__)
        self._response = response
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._response(scope, receive, send)
        finally:
            await self._release()
