"""The typed DataLoader base (schema.core.dataloaders): created on first use, one per request and
kind, results in key order, missing keys as None or [], and never two batches on one session at
once. No database: the "session" here only records how it is used."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from procurement.permissions import SYSTEM, Principal
from schema.context import RequestContext
from schema.core.dataloaders import DataLoader, ListLoader, ObjectLoader
from schema.vendors.loaders import VendorByIdLoader


class FakeSession:
    """Records each batch it serves and whether two ever overlapped."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self.busy = False
        self.overlapped = False

    async def serve(self, name: str, keys: Sequence[int]) -> None:
        self.overlapped |= self.busy
        self.busy = True
        self.batches.append((name, list(keys)))
        await asyncio.sleep(0)  # a real query yields to the event loop here
        await asyncio.sleep(0)
        self.busy = False


class NameByIdLoader(ObjectLoader[int, str]):
    context_key = "test_name_by_id"

    async def fetch(
        self, session: Any, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, str]:
        await session.serve("names", keys)
        return {k: f"name {k}" for k in keys if k < 100}  # 100 and up: absent or hidden


class TagsByIdLoader(ListLoader[int, str]):
    context_key = "test_tags_by_id"

    async def fetch(
        self, session: Any, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[str]]:
        await session.serve("tags", keys)
        return {k: [f"t{k}", "x"] for k in keys if k < 100}


class HalfFailingLoader(DataLoader[int, int]):
    context_key = "test_half_failing"

    async def batch_load(self, keys: Sequence[int]) -> Sequence[int | Exception]:
        return [ValueError(f"odd {k}") if k % 2 else k * 10 for k in keys]


def request_info() -> Any:
    ctx = RequestContext(session=FakeSession(), principal=SYSTEM, settings=None)  # type: ignore[arg-type]
    return SimpleNamespace(context=ctx)


async def test_a_loader_is_created_on_first_use_and_shared_within_its_request() -> None:
    # given two requests that have used no loader yet
    first, second = request_info(), request_info()
    assert first.context.dataloaders == {}
    # when the first asks for the vendor loader twice and the second once
    a, b = VendorByIdLoader(first), VendorByIdLoader(first)
    c = VendorByIdLoader(second)
    # then the first request holds one loader, under its key, and the second its own
    assert a is b and a is not c
    assert first.context.dataloaders == {"vendor_by_id": a}
    assert type(a) is VendorByIdLoader and a.ctx is first.context


async def test_asking_again_keeps_the_pending_batch_and_the_cache() -> None:
    info = request_info()
    # when two resolvers ask for the loader separately within one tick
    pending = NameByIdLoader(info).load(1)
    again = NameByIdLoader(info).load(2)
    # then one batch serves both (a lost queue would leave ``pending`` waiting forever), and a
    # later load of 1 is cached
    both = await asyncio.wait_for(asyncio.gather(pending, again), timeout=2)
    assert list(both) == ["name 1", "name 2"]
    assert await NameByIdLoader(info).load(1) == "name 1"
    assert info.context.session.batches == [("names", [1, 2])]


async def test_results_in_key_order_and_missing_keys_give_none_or_empty_list() -> None:
    info = request_info()
    names, tags = NameByIdLoader(info), TagsByIdLoader(info)
    # when keys come in any order, repeated, some unknown
    got = await asyncio.gather(
        names.load(3), names.load(100), names.load(1), tags.load(7), tags.load(101)
    )
    many = await names.load_many([2, 100, 2])
    # then each key has its own result, in order; unknown keys give None or []
    assert list(got) == ["name 3", None, "name 1", ["t7", "x"], []]
    assert many == ["name 2", None, "name 2"]
    # and each batch asked for each key once, in first-seen order
    assert info.context.session.batches == [
        ("names", [3, 100, 1]),
        ("tags", [7, 101]),
        ("names", [2]),
    ]


async def test_an_exception_in_place_of_a_result_fails_only_its_key() -> None:
    loader = HalfFailingLoader(request_info())
    got = await asyncio.gather(loader.load(2), loader.load(3), return_exceptions=True)
    assert got[0] == 20
    assert isinstance(got[1], ValueError) and str(got[1]) == "odd 3"


async def test_sibling_loaders_never_use_the_session_at_once() -> None:
    # given sibling resolvers loading through two loaders in the same tick
    info = request_info()
    await asyncio.gather(NameByIdLoader(info).load(1), TagsByIdLoader(info).load(1))
    # then both batches ran, one after the other
    session = info.context.session
    assert [name for name, _ in session.batches] == ["names", "tags"]
    assert session.overlapped is False


def test_a_context_key_belongs_to_one_class() -> None:
    with pytest.raises(TypeError) as caught:

        class Impostor(ObjectLoader[int, str]):
            context_key = "vendor_by_id"

    assert str(caught.value) == (
        "tests.unit.test_dataloaders.test_a_context_key_belongs_to_one_class.<locals>.Impostor"
        ".context_key 'vendor_by_id' is taken by schema.vendors.loaders.VendorByIdLoader"
    )


def test_a_base_without_context_key_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError, match="ObjectLoader has no context_key"):
        ObjectLoader(request_info())


async def test_get_gives_a_loaded_value_at_once_and_an_awaitable_before() -> None:
    # given a request whose loader has loaded key 1 and not key 2
    info = request_info()
    loader = NameByIdLoader(info)
    assert await loader.load(1) == "name 1"
    # when a resolver asks for both through get
    loaded, pending = loader.get(1), loader.get(2)
    # then the loaded key is the value itself, the other an awaitable of its value
    assert loaded == "name 1"
    assert not isinstance(pending, str) and pending is not None
    assert await pending == "name 2"
    assert info.context.session.batches == [("names", [1]), ("names", [2])]


async def test_get_of_a_key_that_failed_fails_as_load_does() -> None:
    # given a loader whose batch failed for key 3 (its own Exception) and loaded key 4
    loader = HalfFailingLoader(request_info())
    results = await asyncio.gather(loader.load(3), loader.load(4), return_exceptions=True)
    assert [str(r) if isinstance(r, Exception) else r for r in results] == ["odd 3", 40]
    # when a resolver asks for each through get
    failed, loaded = loader.get(3), loader.get(4)
    # then the failed key is an awaitable that raises the same error, the other its value
    assert loaded == 40
    with pytest.raises(ValueError, match="odd 3"):
        await failed  # type: ignore[misc]


class FailingBatchLoader(ObjectLoader[int, str]):
    context_key = "test_failing_batch"

    async def fetch(
        self, session: Any, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, str]:
        await session.serve("failing", keys)
        raise PermissionError("refused")


async def test_a_primed_batch_that_failed_fails_each_later_field_without_asking_again() -> None:
    # given a loader primed for keys 1 and 2 whose batch failed as a whole
    info = request_info()
    loader = FailingBatchLoader(info)
    await loader.prime_many([1, 2])
    # when two fields ask for those keys afterwards
    first, second = loader.get(1), loader.get(2)
    # then each fails with the batch's error, and the session served one batch only
    for field in (first, second):
        with pytest.raises(PermissionError, match="refused"):
            await field  # type: ignore[misc]
    assert info.context.session.batches == [("failing", [1, 2])]


async def test_priming_loads_in_one_batch_for_get_to_answer_at_once() -> None:
    # given a loader primed for keys 1, 2 and 100 (100 absent)
    info = request_info()
    loader = NameByIdLoader(info)
    await loader.prime_many([1, 2, 100])
    # when fields ask for them, then each has its value at once, from one batch
    assert [loader.get(1), loader.get(2), loader.get(100)] == ["name 1", "name 2", None]
    assert info.context.session.batches == [("names", [1, 2, 100])]


async def test_priming_keys_already_loaded_completes_at_once() -> None:
    # given a loader holding key 1 (handed over with a page) and key 2 (read in a batch)
    info = request_info()
    loader = NameByIdLoader(info)
    loader.prime(1, "given 1")
    await loader.prime_many([2])
    # when it is primed for both again
    priming = loader.prime_many([1, 2])
    # then the call finishes without waiting on the event loop (no futures gathered), and
    # nothing more was read
    with pytest.raises(StopIteration):
        priming.send(None)
    assert info.context.session.batches == [("names", [2])]
    assert [loader.get(1), loader.get(2)] == ["given 1", "name 2"]
