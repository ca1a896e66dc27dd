"""Edits of one purchase, and checks of one obligation, sent at the same moment from the same
version, as real concurrent requests through the app on both databases: exactly one wins, every
other is refused with CONFLICT, and the stored row is the winner's (issue 11: the later of two
edits silently overwrote the earlier one)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select

from procurement.models import AgreementObligation, AuditEvent, Purchase, SupervisionCheck
from tests.support.agreements import generate, gid, obligation_id, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql

READ = "query($id: ID!) { node(id: $id) { ... on Purchase { title version } } }"
UPDATE = """mutation($id: ID!, $input: UpdatePurchaseInput!) {
  updatePurchase(id: $id, input: $input) {
    purchase { title version } errors { field message code } } }"""
CHECK = """mutation($input: RecordSupervisionCheckInput!) {
  recordSupervisionCheck(input: $input) {
    supervisionCheck { result obligation { status version } } errors { field message code } } }"""


def _split(payloads: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    winners = [p for p in payloads if p["errors"] == []]
    losers = [p for p in payloads if p["errors"] != []]
    return winners, losers


async def test_four_edits_of_one_purchase_at_once_leave_exactly_one(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given four clients that read the purchase at the same version
    staff = world.secrets["procurement"]
    purchase = gid("Purchase", world.purchase_a_cn)
    _status, read = await gql(client, staff, READ, {"id": purchase})
    version = read["data"]["node"]["version"]
    assert version == 1

    async def edit(title: str) -> dict[str, Any]:
        variables = {"id": purchase, "input": {"title": title, "expectedVersion": version}}
        _status, body = await gql(client, staff, UPDATE, variables)
        payload: dict[str, Any] = body["data"]["updatePurchase"]
        return payload

    # when each sends its edit at the same moment
    titles = ["Routers A", "Routers B", "Routers C", "Routers D"]
    payloads = list(await asyncio.gather(*(edit(t) for t in titles)))
    # then exactly one was saved and the others were refused as conflicts
    winners, losers = _split(payloads)
    assert len(winners) == 1 and len(losers) == 3, payloads
    assert winners[0]["purchase"]["version"] == 2
    assert {(e["code"], e["field"]) for p in losers for e in p["errors"]} <= {
        ("CONFLICT", "expectedVersion"),
        ("CONFLICT", None),
    }
    assert all(len(p["errors"]) == 1 and "version 2" in p["errors"][0]["message"] for p in losers)
    # and the stored purchase is the winner's, with one audit event for one change
    async with db.sessions() as session:
        stored = await session.get(Purchase, world.purchase_a_cn)
        updates = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "purchase.updated")
        )
    assert stored is not None
    assert (stored.title, stored.version) == (winners[0]["purchase"]["title"], 2)
    assert updates == 1


async def test_two_checks_of_one_obligation_at_once_leave_exactly_one(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a signed agreement's obligation (signing dated it: version 2), seen by two reviewers
    async with db.sessions() as session:
        agreement = (await generate(session, world.purchase_a_cn)).id
        await send(session, agreement, date(2025, 2, 20))
        await sign(session, agreement, date(2025, 3, 1))
        ob = await obligation_id(session, agreement, "SBOM_ANNUAL")
        signed = await session.get(AgreementObligation, ob)
        assert signed is not None and signed.version == 2
    reviewer = world.secrets["reviewer"]

    async def check(result: str) -> dict[str, Any]:
        variables = {
            "input": {
                "obligationId": gid("Obligation", ob),
                "result": result,
                "checkedOn": "2026-03-02",
                "evidence": f"{result} by letter",
                "expectedVersion": 2,
            }
        }
        _status, body = await gql(client, reviewer, CHECK, variables)
        payload: dict[str, Any] = body["data"]["recordSupervisionCheck"]
        return payload

    # when they record opposite results at the same moment
    payloads = list(await asyncio.gather(check("MET"), check("NOT_MET")))
    # then one check is stored and decides the status; the other is refused
    winners, losers = _split(payloads)
    assert len(winners) == 1 and len(losers) == 1, payloads
    assert [e["code"] for e in losers[0]["errors"]] == ["CONFLICT"]
    async with db.sessions() as session:
        stored = await session.get(AgreementObligation, ob)
        checks = list(
            await session.scalars(
                select(SupervisionCheck.result).where(SupervisionCheck.obligation_id == ob)
            )
        )
    won = winners[0]["supervisionCheck"]
    assert stored is not None
    assert (stored.status.value, stored.version) == (won["result"], 3)
    assert won["obligation"] == {"status": won["result"], "version": 3}
    assert [c.value for c in checks] == [won["result"]]
