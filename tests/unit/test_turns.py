"""schema.core.turns.Turns: at most `capacity` holders, first come first served, a bounded wait."""

from __future__ import annotations

import asyncio

import pytest

from schema.core.turns import Busy, Turns


async def test_a_third_waits_for_a_turn_and_they_go_in_arrival_order() -> None:
    # given two turns, both held
    turns = Turns(2, wait_seconds=5)
    order: list[str] = []
    release = [asyncio.Event(), asyncio.Event()]

    async def holder(index: int) -> None:
        async with turns.turn():
            order.append(f"holder {index}")
            await release[index].wait()

    async def waiter(name: str) -> None:
        async with turns.turn():
            order.append(name)

    holders = [asyncio.create_task(holder(i)) for i in (0, 1)]
    await asyncio.sleep(0)
    # when two more arrive, one after the other, and then one holder finishes
    late = [asyncio.create_task(waiter("first waiter")), asyncio.create_task(waiter("second"))]
    await asyncio.sleep(0.01)
    waited = list(order)
    release[0].set()
    await asyncio.sleep(0.01)
    release[1].set()
    await asyncio.gather(*holders, *late)

    # then nobody else went in while both were held, and the waiters went in arrival order
    assert waited == ["holder 0", "holder 1"]
    assert order == ["holder 0", "holder 1", "first waiter", "second"]


async def test_waiting_longer_than_the_limit_is_busy_and_takes_no_turn() -> None:
    # given the only turn held
    turns = Turns(1, wait_seconds=0.05)
    async with turns.turn():
        # when another waits, then it is told the server is busy
        with pytest.raises(Busy):
            async with turns.turn():
                pytest.fail("no turn was free")
    # and the turn is free again afterwards (the refused wait took nothing)
    async with asyncio.timeout(1):
        async with turns.turn():
            pass


async def test_capacity_zero_is_no_limit() -> None:
    # given no limit, when a hundred hold a turn at once, then none waits
    turns = Turns(0, wait_seconds=0.01)
    held = 0

    async def hold(gate: asyncio.Event) -> None:
        nonlocal held
        async with turns.turn():
            held += 1
            await gate.wait()

    gate = asyncio.Event()
    tasks = [asyncio.create_task(hold(gate)) for _ in range(100)]
    await asyncio.sleep(0.01)
    assert held == 100
    gate.set()
    await asyncio.gather(*tasks)
