"""Sliced execution gives the same results and errors as graphql-core's, and lets the event loop
run other tasks while a large result is completed."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from graphql import (
    ExecutionContext,
    ExecutionResult,
    GraphQLSchema,
    build_schema,
    execute,
    get_introspection_query,
    parse,
)

from schema.core import execution
from schema.core.execution import SlicedExecutionContext

SDL = """
type Query { shelves: [Shelf!]!  names: [String]  later: [Book]  broken: [Book!] }
type Shelf { id: Int!  books: [Book!]!  slow: [Book] }
type Book { title: String  strict: String! }
"""


class Book:
    def __init__(self, n: int) -> None:
        self.title = f"book {n}"
        # every 7th book breaks a non-null field: null propagates to the nearest nullable
        self.strict = None if n % 7 == 3 else "ok"


async def slow_books(shelf: dict[str, Any], _info: Any) -> list[Book]:
    await asyncio.sleep(0)
    return [Book(n) for n in range(shelf["id"], shelf["id"] + 3)]


def build() -> GraphQLSchema:
    schema = build_schema(SDL)
    query = schema.query_type
    assert query is not None
    query.fields["shelves"].resolve = lambda *_: [
        {"id": i, "books": [Book(i * 10 + n) for n in range(20)]} for i in range(40)
    ]
    query.fields["names"].resolve = lambda *_: (f"n{i}" for i in range(50))  # a generator
    query.fields["later"].resolve = lambda *_: [asyncio.sleep(0, Book(n)) for n in range(5)]
    query.fields["broken"].resolve = lambda *_: [Book(1), Book(3)]
    shelf = schema.get_type("Shelf")
    shelf.fields["slow"].resolve = slow_books  # type: ignore[union-attr]
    return schema


SCHEMA = build()
QUERY = parse(
    "{ shelves { id books { title } slow { title strict } } names later { title } "
    "broken { title strict } }"
)


async def run(context: type[ExecutionContext] | None) -> ExecutionResult:
    result = execute(SCHEMA, QUERY, execution_context_class=context)
    return await result if asyncio.iscoroutine(result) else result  # type: ignore[return-value]


@pytest.mark.parametrize("slice_seconds", [0.0, 0.000_05, 1.0])
async def test_same_data_and_errors_as_graphql_core(
    monkeypatch: pytest.MonkeyPatch, slice_seconds: float
) -> None:
    # given slices that park everything, park now and then, or never park
    monkeypatch.setattr(execution, "SLICE_SECONDS", slice_seconds)
    monkeypatch.setattr(execution, "PAUSE_SECONDS", 0.0)
    # when executing the same document both ways
    expected = await run(None)
    sliced = await run(SlicedExecutionContext)
    # then data and errors (with their paths) are identical
    assert sliced.data == expected.data
    assert [(e.message, e.path) for e in sliced.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]
    assert len(expected.errors or []) == 19  # 18 books n % 7 == 3 on 'slow', one on 'broken'
    assert expected.data is not None and expected.data["broken"] is None


async def test_the_loop_runs_other_tasks_during_a_large_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a ticker that counts its turns on the event loop
    monkeypatch.setattr(execution, "PAUSE_SECONDS", 0.0)
    schema = build_schema("type Query { a: Int }")
    document = parse(get_introspection_query(descriptions=True))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    async def ticks_during(context: type[ExecutionContext] | None) -> int:
        nonlocal ticks
        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        ticks = 0
        result = execute(schema, document, execution_context_class=context)
        if asyncio.iscoroutine(result):
            result = await result
        counted = ticks
        task.cancel()
        assert result.errors is None  # type: ignore[union-attr]
        return counted

    # when executing the introspection query with graphql-core's context, then sliced, with
    # slices so short that every object is parked
    plain = await ticks_during(None)
    monkeypatch.setattr(execution, "SLICE_SECONDS", 0.0)
    sliced = await ticks_during(SlicedExecutionContext)
    # then graphql-core never lets the ticker run, and sliced execution lets it run every turn
    assert plain == 0
    assert sliced > 10


# Items already completed when the request was cancelled are never awaited, as in graphql-core.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
async def test_parked_work_of_a_cancelled_request_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a list of 40 shelves whose books are counted as they resolve, and slices so short
    # that each turn completes one shelf
    monkeypatch.setattr(execution, "SLICE_SECONDS", 0.0)
    monkeypatch.setattr(execution, "PAUSE_SECONDS", 0.0)
    schema = build()
    resolved: list[int] = []

    def books(shelf: dict[str, Any], _info: Any) -> list[Book]:
        resolved.append(shelf["id"])
        found: list[Book] = shelf["books"]
        return found

    schema.get_type("Shelf").fields["books"].resolve = books  # type: ignore[union-attr]
    document = parse("{ shelves { books { title } } }")

    async def request() -> Any:
        result = execute(schema, document, execution_context_class=SlicedExecutionContext)
        return await result if asyncio.iscoroutine(result) else result

    # when the request is cancelled after a few turns
    task = asyncio.create_task(request())
    for _ in range(5):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    done_when_cancelled = len(resolved)
    for _ in range(50):
        await asyncio.sleep(0)
    # then what it left parked never runs
    assert 0 < done_when_cancelled < 40
    assert len(resolved) == done_when_cancelled
    gc.collect()  # here, where the warnings above are expected
