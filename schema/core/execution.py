"""An execution context that shares the event loop with other requests.

graphql-core completes every value a resolver returned without awaiting anything: a large page,
or the introspection query (0.15 s of pure Python), holds the event loop for as long as it takes,
and /healthz waits behind it. Here work runs in slices of time. When a slice is used up, the rest
of a list, or an object's fields, is parked; one callback runs parked work for one slice, in
order, then pauses, and the loop serves others in between.

Two choices keep a turn short. Parked work is a future run by that callback, not a task of its
own: waking thousands of tasks per turn only to find the slice used up took 30 ms a turn. And a
list parks its remaining items as one piece of work, not one per item: each parked item would
cost a task in graphql-core's gather and a wake-up when it completes. If the request is
cancelled, what it left parked is dropped, not run.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Sequence
from functools import partial
from time import perf_counter
from typing import Any

from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    located_error,
)
from graphql.pyutils import AwaitableOrValue, Path, is_iterable

# Measured with /healthz probes during a 1.5 s request on a loaded two-core machine: slices of
# 5 ms back to back gave a median of 140 ms (a probe needs about 15 loop turns, each waiting for
# a slice); 2 ms slices with a 2 ms pause between them gave 40-50 ms.
SLICE_SECONDS = 0.002
PAUSE_SECONDS = 0.002


class SlicedExecutionContext(ExecutionContext):
    """Runs lists and objects while the slice lasts; parks what remains otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._slice_ends = perf_counter() + SLICE_SECONDS
        self._parked: deque[tuple[asyncio.Future[Any], Callable[[], Any]]] = deque()
        self._dispatching = False
        # The request's task: once it is over with work still parked, it was cancelled.
        self._request = asyncio.current_task()

    # -- the slices --------------------------------------------------------------------------

    def _in_slice(self) -> bool:
        return perf_counter() < self._slice_ends

    def _park(self, run: Callable[[], Any]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._parked.append((future, run))
        if not self._dispatching:
            self._dispatching = True
            loop.call_soon(self._dispatch)
        return future

    def _dispatch(self) -> None:
        """One slice of parked work; after a pause, again while any waits. In the pause the loop
        serves everything else (and other threads get the interpreter) at once."""
        parked = self._parked
        if self._request is not None and self._request.done():
            for future, _run in parked:
                future.cancel()
            parked.clear()
        self._slice_ends = perf_counter() + SLICE_SECONDS
        while parked:  # at least one piece per turn, however short the slice
            future, run = parked.popleft()
            try:
                outcome = run()
            except Exception as error:  # a null in a non-null position, for the parent
                future.set_exception(error)
            else:
                if self.is_awaitable(outcome):
                    _settle_with(future, asyncio.ensure_future(outcome))
                else:
                    future.set_result(outcome)
            if not self._in_slice():
                break
        if parked:
            asyncio.get_running_loop().call_later(PAUSE_SECONDS, self._dispatch)
        else:
            self._dispatching = False

    # -- objects -----------------------------------------------------------------------------

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> AwaitableOrValue[dict[str, Any]]:
        run = partial(super().execute_fields, parent_type, source_value, path, fields)
        return run() if self._in_slice() else self._park(run)

    # -- lists -------------------------------------------------------------------------------

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: AsyncIterable[Any] | Iterable[Any],
    ) -> AwaitableOrValue[list[Any]]:
        if isinstance(result, AsyncIterable) or not is_iterable(result):
            return super().complete_list_value(return_type, field_nodes, info, path, result)
        values = result if isinstance(result, list | tuple) else list(result)
        items = _Items(return_type.of_type, field_nodes, info, path, values)
        return self._complete_items(items, 0)

    def _complete_items(self, items: _Items, start: int) -> AwaitableOrValue[list[Any]]:
        """Complete ``items.values[start:]``; park the rest as one piece when the slice ends
        (after one item at least, so that parked work always moves on)."""
        for index in range(start, len(items.values)):
            if index > start and not self._in_slice():
                return self._park(partial(self._complete_items, items, index))
            completed = self._complete_item(items, index)
            if self.is_awaitable(completed):
                items.awaiting.append(index)
            items.done.append(completed)
        if items.awaiting:
            return self._gathered(items)
        return items.done

    def _complete_item(self, items: _Items, index: int) -> Any:
        path = items.path.add_key(index, None)
        value = items.values[index]
        try:
            if self.is_awaitable(value):
                return self._item_later(items, path, self._complete_awaited(items, path, value))
            completed = self.complete_value(items.type, items.field_nodes, items.info, path, value)
        except Exception as error:
            return self._item_error(items, path, error)
        if self.is_awaitable(completed):
            return self._item_later(items, path, completed)
        return completed

    async def _complete_awaited(self, items: _Items, path: Path, value: Awaitable[Any]) -> Any:
        completed = self.complete_value(
            items.type, items.field_nodes, items.info, path, await value
        )
        return await completed if self.is_awaitable(completed) else completed

    async def _item_later(self, items: _Items, path: Path, completed: Awaitable[Any]) -> Any:
        try:
            return await completed
        except Exception as error:
            return self._item_error(items, path, error)

    def _item_error(self, items: _Items, path: Path, error: Exception) -> None:
        """Record the error and give null; raises on to the parent when the item is non-null."""
        located = located_error(error, items.field_nodes, path.as_list())
        self.handle_field_error(located, items.type, path)

    async def _gathered(self, items: _Items) -> list[Any]:
        values = await asyncio.gather(*(items.done[index] for index in items.awaiting))
        for index, value in zip(items.awaiting, values, strict=True):
            items.done[index] = value
        return items.done


def _settle_with(future: asyncio.Future[Any], task: asyncio.Future[Any]) -> None:
    """Give ``future`` the outcome of ``task`` when it has one."""

    def settle(done: asyncio.Future[Any]) -> None:
        if future.done():
            return
        if done.cancelled():
            future.cancel()
        elif (error := done.exception()) is not None:
            future.set_exception(error)
        else:
            future.set_result(done.result())

    task.add_done_callback(settle)


class _Items:
    """A list being completed: its values, what is done so far, and which of those await."""

    __slots__ = ("awaiting", "done", "field_nodes", "info", "path", "type", "values")

    def __init__(
        self,
        item_type: GraphQLOutputType,
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        values: Sequence[Any],
    ) -> None:
        self.type = item_type
        self.field_nodes = field_nodes
        self.info = info
        self.path = path
        self.values = values
        self.done: list[Any] = []
        self.awaiting: list[int] = []
