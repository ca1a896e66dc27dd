"""schema.core.awaitable.is_awaitable answers as graphql-core's own for the values resolvers
return (it only remembers the answer per type)."""

from __future__ import annotations

import asyncio
import types
from collections.abc import Generator
from datetime import date
from decimal import Decimal
from typing import Any

from graphql.pyutils import is_awaitable as graphql_is_awaitable

from schema.core.awaitable import is_awaitable


async def _coroutine() -> int:
    return 1


def _generator() -> Generator[int]:
    yield 1


@types.coroutine
def _generator_coroutine() -> Generator[None]:
    yield


async def test_the_same_answers_as_graphql_core() -> None:
    # given values of every kind a resolver returns
    future = asyncio.get_running_loop().create_future()
    coroutine, old_style = _coroutine(), _generator_coroutine()
    values: list[Any] = [
        None, 1, "a", Decimal("1.5"), date(2025, 4, 1), [1], {"a": 1}, object(),
        future, coroutine, _generator(), old_style,
    ]  # fmt: skip
    # when each is asked twice (the second answer comes from the per-type memo)
    answers = [(is_awaitable(v), is_awaitable(v)) for v in values]
    # then both answers are graphql-core's
    assert answers == [(graphql_is_awaitable(v),) * 2 for v in values]
    assert [a for a, _ in answers].count(True) == 3  # the future and both coroutines
    future.cancel()
    await coroutine
    old_style.close()
