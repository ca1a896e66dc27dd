"""Typed DataLoaders, created on first use and memoised per request (Saleor's pattern).

``VendorByIdLoader(info)`` returns the request's one ``VendorByIdLoader``, creating it the first
time a resolver asks, so a request pays only for the loaders it uses and every resolver of the
request shares one batch and one cache per relation. The instance lives in
``RequestContext.dataloaders`` under the class's ``context_key``.

Every batch reaches the database through ``RequestContext.call``: graphql-core resolves sibling
fields concurrently and one ``AsyncSession`` must never be used by two coroutines at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

from graphene.utils.dataloader import DataLoader as GrapheneDataLoader
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.permissions import Principal
from schema.context import context_of

if TYPE_CHECKING:
    from schema.context import RequestContext

K = TypeVar("K")
R = TypeVar("R")
V = TypeVar("V")

# context_key -> the class that owns it: two loaders sharing a key would hand each other's
# results to resolvers, so a clash fails at import time instead.
_OWNERS: dict[str, type[DataLoader[Any, Any]]] = {}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class DataLoader(GrapheneDataLoader, Generic[K, R]):
    """Batches the ``load`` calls of one event-loop tick into one ``batch_load`` call.

    Subclasses set ``context_key`` and implement ``batch_load``; it returns one result per key,
    in key order, and may put an ``Exception`` in place of a result to fail only that key.
    """

    context_key: ClassVar[str]
    ctx: RequestContext

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        key = cls.__dict__.get("context_key")
        if key is None:
            return  # an abstract base such as ObjectLoader
        owner = _OWNERS.setdefault(key, cls)
        if _name(owner) != _name(cls):  # the same class imported again may take its key back
            raise TypeError(f"{_name(cls)}.context_key {key!r} is taken by {_name(owner)}")
        _OWNERS[key] = cls

    def __new__(cls, info: Any) -> Self:
        ctx = context_of(info)
        key = getattr(cls, "context_key", None)
        if key is None:
            raise TypeError(f"{cls.__qualname__} has no context_key: it cannot be instantiated")
        loader = ctx.dataloaders.get(key)
        if loader is None:
            loader = super().__new__(cls)
            ctx.dataloaders[key] = loader
        return cast(Self, loader)

    def __init__(self, info: Any) -> None:
        # Python calls __init__ on every ``Loader(info)``: set up only the new instance, or the
        # cache and the queue of pending loads would be thrown away.
        if getattr(self, "ctx", None) is None:
            self.ctx = context_of(info)
            super().__init__()

    def load(self, key: K) -> Awaitable[R]:
        return cast(Awaitable[R], super().load(key))

    def get(self, key: K) -> R | Awaitable[R]:
        """The value itself when a finished batch already loaded ``key`` (a list resolver primed
        it), else ``load(key)``. A resolver returning this completes its field synchronously
        when it can: graphql-core then needs no coroutine, task and gather for the field."""
        future = self._cache.get(key)
        done = future is not None and future.done() and not future.cancelled()
        if done and future.exception() is None:
            return cast(R, future.result())
        return self.load(key)

    async def prime_many(self, keys: Sequence[K]) -> None:
        """Load ``keys`` now, in one batch, for ``get`` to answer them at once later. A batch
        that fails as a whole stays cached as failed for its keys, so each field that asks
        later fails with the same error, as if its own load had made the batch (and the
        database is not asked again)."""
        missing = [key for key in keys if key not in self._cache]
        if not missing:  # primed already (e.g. read with the page that points at them)
            return
        try:
            await self.load_many(missing)
        except Exception as error:
            for key in missing:
                if key not in self._cache:
                    failed = self.loop.create_future()
                    failed.set_exception(error)
                    failed.exception()  # retrieved: no warning if no field asks after all
                    self._cache[key] = failed

    def load_many(self, keys: Iterable[K]) -> Awaitable[list[R]]:
        return cast(Awaitable[list[R]], super().load_many(keys))

    async def batch_load_fn(self, keys: list[K]) -> Sequence[R | Exception]:
        return await self.batch_load(keys)

    async def batch_load(self, keys: Sequence[K]) -> Sequence[R | Exception]:
        raise NotImplementedError


def _distinct(keys: Sequence[K]) -> list[K]:
    """Each key once, in first-seen order: a read's IN list needs no repeats."""
    return list(dict.fromkeys(keys))


class ObjectLoader(DataLoader[K, V | None]):
    """One object per key through a scoped batch read; a key the read did not return (absent or
    not visible to the principal) gives None."""

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[K]
    ) -> Mapping[K, V]:
        raise NotImplementedError

    async def batch_load(self, keys: Sequence[K]) -> Sequence[V | Exception | None]:
        found = await self.ctx.call(self.fetch, _distinct(keys))
        return [found.get(key) for key in keys]


class ListLoader(DataLoader[K, list[V]]):
    """A list per key through a scoped batch read; a key the read did not return gives []."""

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[K]
    ) -> Mapping[K, list[V]]:
        raise NotImplementedError

    async def batch_load(self, keys: Sequence[K]) -> Sequence[list[V] | Exception]:
        found = await self.ctx.call(self.fetch, _distinct(keys))
        return [found.get(key, []) for key in keys]
