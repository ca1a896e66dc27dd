"""The per-request context: one session, one lock that serialises its use, and the loaders the
request has used so far (created on first use, see schema.core.dataloaders)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.permissions import Principal
from procurement.settings import Settings

if TYPE_CHECKING:
    from schema.core.dataloaders import DataLoader

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
    # context_key -> the request's loader of that kind (filled by DataLoader.__new__).
    dataloaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

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
