"""The audit chain seen from outside: the hash in GraphQL, and `procurement audit verify` run as
the real console script against both databases, before and after tampering."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from procurement.models import AuditEvent
from tests.support.audit_tamper import chain_ids, tamper
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql

QUERY = "{ auditEvents(first: 3) { edges { node { action hash } } } }"


async def test_each_event_shows_its_stored_hash(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given the world's first three events, with the hashes stored for them
    async with db.sessions() as session:
        rows = (
            await session.execute(
                select(AuditEvent.action, AuditEvent.hash).order_by(AuditEvent.id).limit(3)
            )
        ).all()
    # when an admin lists them
    status, body = await gql(client, world.secrets["admin"], QUERY)
    # then each shows its 64-hex-digit hash
    assert status == 200
    nodes = [edge["node"] for edge in body["data"]["auditEvents"]["edges"]]
    assert nodes == [{"action": action, "hash": digest} for action, digest in rows]
    assert all(len(node["hash"]) == 64 for node in nodes)


async def _verify(db: DatabaseUnderTest, *args: str) -> tuple[int, str, str]:
    done = await asyncio.to_thread(cli, db.url, "audit", "verify", *args)
    return done.returncode, done.stdout, done.stderr


async def test_verify_passes_then_names_the_tampered_event(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the untouched world
    async with db.sessions() as session:
        heads = dict(
            (
                await session.execute(
                    select(AuditEvent.operator_id, AuditEvent.hash).order_by(AuditEvent.id)
                )
            ).all()
        )  # the last event of each chain wins: its head
    # when verifying, then it exits 0 with the counts and head hash of every chain
    code, out, _err = await _verify(db)
    assert (code, out) == (
        0,
        f"chain of operator {world.operator_a}: 11 events, intact, head {heads[world.operator_a]}\n"
        f"chain of operator {world.operator_b}: 5 events, intact, head {heads[world.operator_b]}\n"
        f"chain of no operator: 4 events, intact, head {heads[None]}\n"
        "audit log intact: 3 chains, 20 events\n",
    )
    # and when an event's `after` is changed and another deleted past the lifted triggers
    a_ids, b_ids = await chain_ids(db, world.operator_a), await chain_ids(db, world.operator_b)
    await tamper(
        db,
        f"""UPDATE audit_events SET after = '{{"title": "Routers"}}' WHERE id = {a_ids[5]}""",
        f"DELETE FROM audit_events WHERE id = {b_ids[1]}",
    )
    code, out, _err = await _verify(db)
    # then it exits 1, naming the first broken link of each chain
    assert (code, out) == (
        1,
        f"chain of operator {world.operator_a}: BROKEN: event {a_ids[5]}: content changed: its "
        "fields do not match its stored hash\n"
        f"chain of operator {world.operator_b}: BROKEN: event {b_ids[2]}: event missing: "
        "sequence number 2 absent before sequence 3\n"
        f"chain of no operator: 4 events, intact, head {heads[None]}\n"
        "audit log TAMPERED: 2 of 3 chains broken\n",
    )
    # and one operator's chain can be checked alone; an unknown operator is a usage error
    assert await _verify(db, "--operator", str(world.operator_b)) == (
        1,
        f"chain of operator {world.operator_b}: BROKEN: event {b_ids[2]}: event missing: "
        "sequence number 2 absent before sequence 3\n"
        "audit log TAMPERED: 1 of 1 chains broken\n",
        "",
    )
    assert await _verify(db, "--operator", "999") == (
        2,
        "",
        "error: --operator: there is no operator 999\n",
    )
