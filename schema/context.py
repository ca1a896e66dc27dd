"""The per-request context: one session, one lock that serialises its use, and fresh loaders."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.permissions import Principal
from procurement.settings import Settings

if TYPE_CHECKING:
    from schema.loaders import Loaders

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class RequestContext:
    session: AsyncSession
    principal: Principal
    settings: Settings
    # graphql-core resolves sibling fields concurrently; an AsyncSession must not be used by two
    # coroutines at once, so every use of it in a request goes through this lock.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        from schema.loaders import Loaders

        self.loaders = Loaders(self)

    async def call(
        self,
        service: Callable[Concatenate[AsyncSession, Principal, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run a service (or read helper) with this request's session and principal."""
        async with self.lock:
            return await service(self.session, self.principal, *args, **kwargs)


def context_of(info: Any) -> RequestContext:
    ctx: RequestContext = info.context
    return ctx
