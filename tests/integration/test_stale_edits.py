"""Edits made from a stale copy of a purchase or an obligation are refused, not silently
overwritten (issue 11): with ``expectedVersion`` when the client sends the version it edited, and
always when another request changed the row between this request's read and its write."""

from __future__ import annotations

from datetime import date

from procurement.agreements.actions.supervision import (
    SupervisionCheckInput,
    record_supervision_check,
)
from procurement.enums import ObligationStatus
from procurement.errors import FieldError, InputError
from procurement.models import AgreementObligation, Purchase
from procurement.permissions import SYSTEM
from procurement.registry.actions.purchases import update_purchase
from tests.support.agreements import generate, obligation_id, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, person, row_counts


def _conflict(refused: InputError) -> tuple[str | None, str, str]:
    [error] = refused.errors
    assert isinstance(error, FieldError)
    return error.field, error.code.value, error.message


async def test_a_purchase_edit_from_an_older_version_is_refused(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a purchase edited once (version 1 -> 2)
    async with db.sessions() as session:
        edited = await update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"title": "Core routers"}, expected_version=1
        )
        assert edited.version == 2
        before = await row_counts(session)
    # when a client that read version 1 sends its edit
    async with db.sessions() as session:
        try:
            await update_purchase(
                session, SYSTEM, world.purchase_a_cn, {"title": "Edge routers"}, expected_version=1
            )
        except InputError as refused:
            conflict = _conflict(refused)
        else:
            raise AssertionError("the stale edit went through")
    # then it is refused as a conflict naming the current version, and nothing changed
    assert conflict == (
        "expectedVersion",
        "CONFLICT",
        "the purchase is at version 2, not 1: it was changed after it was read; nothing was "
        "saved: reload it and try again",
    )
    async with db.sessions() as session:
        stored = await session.get(Purchase, world.purchase_a_cn)
        assert stored is not None
        assert (stored.title, stored.version) == ("Core routers", 2)
        assert await row_counts(session) == before


async def test_a_purchase_changed_between_read_and_write_is_a_conflict(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as slow, db.sessions() as fast:
        # given one request that has read the purchase (its session holds version 1)
        seen = await slow.get(Purchase, world.purchase_a_cn)
        assert seen is not None and seen.version == 1
        # when another request changes it first, and then the first writes what it read
        await update_purchase(fast, SYSTEM, world.purchase_a_cn, {"title": "Core routers"})
        try:
            await update_purchase(slow, SYSTEM, world.purchase_a_cn, {"title": "Edge routers"})
        except InputError as refused:
            conflict = _conflict(refused)
        else:
            raise AssertionError("the lost update went through")
    # then the late one is refused, naming the version the purchase is at now
    assert conflict == (
        None,
        "CONFLICT",
        "the purchase was changed by another request at the same moment and is now at version "
        "2; nothing was saved: reload it and try again",
    )
    async with db.sessions() as session:
        stored = await session.get(Purchase, world.purchase_a_cn)
        assert stored is not None and (stored.title, stored.version) == ("Core routers", 2)


async def test_changing_only_the_persons_moves_the_version(
    db: DatabaseUnderTest, world: World
) -> None:
    # when only the responsible persons of a purchase are replaced
    async with db.sessions() as session:
        edited = await update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"persons": [person("Wang Fang")]}
        )
    # then the purchase is at its next version, so an edit from version 1 is now stale
    assert edited.version == 2


async def _signed_obligation(db: DatabaseUnderTest, world: World) -> int:
    async with db.sessions() as session:
        agreement = (await generate(session, world.purchase_a_cn)).id
        await send(session, agreement, date(2025, 2, 20))
        await sign(session, agreement, date(2025, 3, 1))
        ob = await obligation_id(session, agreement, "SBOM_ANNUAL")
        # signing dates the obligations from the signature: version 1 -> 2
        stored = await session.get(AgreementObligation, ob)
        assert stored is not None and stored.version == 2
        return ob


async def test_every_check_moves_the_obligation_version(
    db: DatabaseUnderTest, world: World
) -> None:
    # given an obligation of a signed agreement, checked on 1 March 2026
    ob = await _signed_obligation(db, world)
    async with db.sessions() as session:
        first = SupervisionCheckInput(ob, "MET", date(2026, 3, 1), evidence="SBOM received")
        await record_supervision_check(session, SYSTEM, first)
    # when a back-dated check is recorded from that version (it leaves the status as it is)
    async with db.sessions() as session:
        late = SupervisionCheckInput(
            ob, "NOT_MET", date(2026, 2, 1), evidence="not yet", expected_version=3
        )
        await record_supervision_check(session, SYSTEM, late)
    # then the obligation still shows the newer result, at its next version
    async with db.sessions() as session:
        stored = await session.get(AgreementObligation, ob)
        assert stored is not None
        assert (stored.status, stored.last_checked_on, stored.version) == (
            ObligationStatus.MET,
            date(2026, 3, 1),
            4,
        )


async def test_a_check_from_an_older_obligation_version_is_refused(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a signed obligation checked once (version 2 -> 3)
    ob = await _signed_obligation(db, world)
    async with db.sessions() as session:
        met = SupervisionCheckInput(ob, "MET", date(2026, 3, 1), evidence="x", expected_version=2)
        await record_supervision_check(session, SYSTEM, met)
        before = await row_counts(session)
    # when a reviewer who saw version 2 records the opposite result
    async with db.sessions() as session:
        stale = SupervisionCheckInput(
            ob, "NOT_MET", date(2026, 3, 2), evidence="y", expected_version=2
        )
        try:
            await record_supervision_check(session, SYSTEM, stale)
        except InputError as refused:
            conflict = _conflict(refused)
        else:
            raise AssertionError("the stale check went through")
    # then it is refused, naming the current version, and nothing was written
    assert conflict == (
        "expectedVersion",
        "CONFLICT",
        "the obligation is at version 3, not 2: it was changed after it was read; nothing was "
        "saved: reload it and try again",
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before
        stored = await session.get(AgreementObligation, ob)
        assert stored is not None and (stored.status, stored.version) == (ObligationStatus.MET, 3)


async def test_an_obligation_checked_between_read_and_write_is_a_conflict(
    db: DatabaseUnderTest, world: World
) -> None:
    ob = await _signed_obligation(db, world)
    async with db.sessions() as slow, db.sessions() as fast:
        # given one request that has read the signed obligation (version 2)
        seen = await slow.get(AgreementObligation, ob)
        assert seen is not None and seen.version == 2
        # when another request records a check first, and then the first records its own
        await record_supervision_check(
            fast, SYSTEM, SupervisionCheckInput(ob, "MET", date(2026, 3, 1), evidence="x")
        )
        try:
            await record_supervision_check(
                slow, SYSTEM, SupervisionCheckInput(ob, "NOT_MET", date(2026, 3, 1), evidence="y")
            )
        except InputError as refused:
            conflict = _conflict(refused)
        else:
            raise AssertionError("the concurrent check went through")
    assert conflict == (
        None,
        "CONFLICT",
        "the obligation was changed by another request at the same moment and is now at "
        "version 3; nothing was saved: reload it and try again",
    )
    async with db.sessions() as session:
        stored = await session.get(AgreementObligation, ob)
        assert stored is not None and (stored.status, stored.version) == (ObligationStatus.MET, 3)
