"""The agreement lifecycle through the API: sent, signed with evidence, superseded, terminated."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from procurement.clock import today_in_china
from procurement.models import AuditEvent
from procurement.permissions import SYSTEM
from procurement.registry.actions import purchases
from tests.support.agreements import (
    FULL_OVERRIDES_GQL,
    PDF_BYTES,
    generate,
    gid,
    multipart,
    paragraph_texts,
    send,
    sign,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, row_counts

STATE = "agreement { state sentOn signedOn terminatedOn } errors { field message code }"
SENT = f"mutation($id: ID!, $d: Date!) {{ recordAgreementSent(id: $id, sentOn: $d) {{ {STATE} }} }}"
SIGNED = """mutation($id: ID!, $d: Date!, $s: [SignatoryInput!]!, $f: Upload!) {
  recordAgreementSigned(id: $id, signedOn: $d, signatories: $s, signedCopy: $f) {
    agreement { state signedOn signatories { name party title }
                signedCopy { fileName contentType sha256 sizeBytes downloadPath } }
    errors { field message code } } }"""
TERMINATE = f"""mutation($id: ID!, $d: Date!, $r: String!) {{
  terminateAgreement(id: $id, terminatedOn: $d, reason: $r) {{ {STATE} }} }}"""
GENERATE = """mutation($p: ID!, $o: AgreementOverridesInput) {
  generateAgreement(purchaseId: $p, language: "en", overrides: $o) {
    agreement { id number state document { downloadPath } } errors { field message code } } }"""
HISTORY = """query($p: ID!) { purchase(id: $p) {
  agreements { id number state supersededBy { id } }
  currentAgreement { id state } } }"""
PEOPLE = [
    {"name": "Zhang Wei", "party": "OPERATOR", "title": "CIO"},
    {"name": "Wang Min", "party": "PROVIDER"},
]


async def _sign(
    client: httpx.AsyncClient, secret: str, agreement: int, **overrides: Any
) -> dict[str, Any]:
    file = overrides.pop("file", ("scan 签字.pdf", PDF_BYTES, "application/pdf"))
    variables = {
        "id": gid("Agreement", agreement),
        "d": str(today_in_china()),
        "s": PEOPLE,
        "f": None,
    }
    variables |= overrides
    status, body = await multipart(client, secret, SIGNED, variables, {"variables.f": file})
    assert status == 200, body
    result: dict[str, Any] = body["data"]["recordAgreementSigned"]
    return result


async def _actions(db: DatabaseUnderTest) -> list[str]:
    async with db.sessions() as session:
        return list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


async def test_draft_is_sent_signed_with_evidence_and_terminated(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a draft
    async with db.sessions() as session:
        agreement = (await generate(session, world.purchase_a_cn)).id
    legal, today = world.secrets["legal"], str(today_in_china())
    audit_before = len(await _actions(db))
    # when legal records it sent, then signed with a scan, then terminated
    _s, sent = await gql(client, legal, SENT, {"id": gid("Agreement", agreement), "d": today})
    signed = await _sign(client, legal, agreement)
    _s, ended = await gql(
        client,
        legal,
        TERMINATE,
        {"id": gid("Agreement", agreement), "d": today, "r": "Provider acquired; new agreement"},
    )
    # then each step is stored with its dates, the evidence and an audit event
    assert sent["data"]["recordAgreementSent"] == {
        "agreement": {"state": "SENT", "sentOn": today, "signedOn": None, "terminatedOn": None},
        "errors": [],
    }
    assert signed["errors"] == []
    assert signed["agreement"]["state"] == "SIGNED"
    assert signed["agreement"]["signatories"] == [
        {"name": "Zhang Wei", "party": "OPERATOR", "title": "CIO"},
        {"name": "Wang Min", "party": "PROVIDER", "title": None},
    ]
    copy = signed["agreement"]["signedCopy"]
    assert copy["fileName"] == "scan 签字.pdf"
    assert (copy["contentType"], copy["sizeBytes"]) == ("application/pdf", len(PDF_BYTES))
    assert ended["data"]["terminateAgreement"] == {
        "agreement": {
            "state": "TERMINATED",
            "sentOn": today,
            "signedOn": today,
            "terminatedOn": today,
        },
        "errors": [],
    }
    download = await client.get(copy["downloadPath"], headers={"authorization": f"Bearer {legal}"})
    assert (download.status_code, download.content) == (200, PDF_BYTES)
    assert download.headers["content-type"] == "application/pdf"
    assert (await _actions(db))[audit_before:] == [
        "agreement.sent",
        "agreement.signed",
        "agreement.terminated",
    ]


async def test_illegal_transitions_are_refused_with_clear_errors(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a draft and a signed agreement
    async with db.sessions() as session:
        draft = (await generate(session, world.purchase_a_cn)).id
        signed = (
            await generate(session, world.purchase_a_us, **{"purchase.cii_system": "存储系统"})
        ).id
        await send(session, signed)
        await sign(session, signed)
        before = await row_counts(session)
    legal, today = world.secrets["legal"], str(today_in_china())
    # when signing the draft, re-sending the signed one, and back-dating or future-dating
    sign_draft = await _sign(client, legal, draft)
    _s, resend = await gql(client, legal, SENT, {"id": gid("Agreement", signed), "d": today})
    future = str(today_in_china() + timedelta(days=1))
    _s, sent_future = await gql(client, legal, SENT, {"id": gid("Agreement", draft), "d": future})
    _s, no_reason = await gql(
        client, legal, TERMINATE, {"id": gid("Agreement", signed), "d": "2020-01-01", "r": " "}
    )
    # then each is refused, naming the rule, and nothing changed
    assert sign_draft == {
        "agreement": None,
        "errors": [
            {
                "field": None,
                "message": "an agreement in state DRAFT cannot become SIGNED: record it as sent first",
                "code": "INVALID_STATE",
            }
        ],
    }
    assert resend["data"]["recordAgreementSent"]["errors"] == [
        {
            "field": None,
            "message": "an agreement in state SIGNED cannot become SENT: it is already signed",
            "code": "INVALID_STATE",
        }
    ]
    assert sent_future["data"]["recordAgreementSent"]["errors"] == [
        {"field": "sentOn", "message": f"{future} is in the future", "code": "OUT_OF_RANGE"}
    ]
    assert no_reason["data"]["terminateAgreement"]["errors"] == [
        {"field": "reason", "message": "is required", "code": "REQUIRED"},
        {
            "field": "terminatedOn",
            "message": f"2020-01-01 is before the agreement's last recorded date ({today})",
            "code": "OUT_OF_RANGE",
        },
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_signing_needs_both_parties_and_a_real_document(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        agreement = (await generate(session, world.purchase_a_cn)).id
        await send(session, agreement)
        before = await row_counts(session)
    result = await _sign(
        client,
        world.secrets["legal"],
        agreement,
        s=[{"name": "Zhang Wei", "party": "OPERATOR"}],
        file=("notes.txt", b"signed, trust me", "application/pdf"),
    )
    assert result == {
        "agreement": None,
        "errors": [
            {
                "field": "signatories",
                "message": "name at least one signatory for the operator and one for the provider",
                "code": "REQUIRED",
            },
            {
                "field": "signedCopy",
                "message": "must be a PDF, PNG, JPEG, TIFF or .docx file",
                "code": "INVALID",
            },
        ],
    }
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_regenerating_supersedes_the_draft_and_keeps_history(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    legal = world.secrets["legal"]
    purchase = gid("Purchase", world.purchase_a_cn)
    # given a first draft
    _s, first = await gql(client, legal, GENERATE, {"p": purchase, "o": FULL_OVERRIDES_GQL})
    v1 = first["data"]["generateAgreement"]["agreement"]
    # when the purchase changes and legal regenerates (overrides omitted: the previous are reused)
    async with db.sessions() as session:
        await purchases.update_purchase(
            session, SYSTEM, world.purchase_a_cn, {"title": "Core routers, second batch"}
        )
    _s, second = await gql(client, legal, GENERATE, {"p": purchase})
    v2 = second["data"]["generateAgreement"]["agreement"]
    _s, history = await gql(client, legal, HISTORY, {"p": purchase})
    # then the first is superseded by the second, and both documents remain
    assert second["data"]["generateAgreement"]["errors"] == []
    assert (v1["number"], v2["number"]) == ("SCA-2025-00001-01", "SCA-2025-00001-02")
    assert history["data"]["purchase"] == {
        "agreements": [
            {
                "id": v1["id"],
                "number": v1["number"],
                "state": "SUPERSEDED",
                "supersededBy": {"id": v2["id"]},
            },
            {"id": v2["id"], "number": v2["number"], "state": "DRAFT", "supersededBy": None},
        ],
        "currentAgreement": {"id": v2["id"], "state": "DRAFT"},
    }
    headers = {"authorization": f"Bearer {legal}"}
    old = paragraph_texts(
        (await client.get(v1["document"]["downloadPath"], headers=headers)).content
    )
    new = paragraph_texts(
        (await client.get(v2["document"]["downloadPath"], headers=headers)).content
    )
    assert ("Core routers" in old, "Core routers, second batch" in old) == (True, False)
    assert "Core routers, second batch" in new


async def test_a_signed_agreement_stays_in_force_until_its_successor_is_signed(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    legal = world.secrets["legal"]
    purchase = gid("Purchase", world.purchase_a_cn)
    # given a signed agreement and a new draft for the same purchase
    async with db.sessions() as session:
        old = (await generate(session, world.purchase_a_cn)).id
        await send(session, old)
        await sign(session, old)
        new = (await generate(session, world.purchase_a_cn)).id
    _s, during = await gql(client, legal, HISTORY, {"p": purchase})
    # when the new one is sent and signed
    async with db.sessions() as session:
        await send(session, new)
        await sign(session, new)
    _s, after = await gql(client, legal, HISTORY, {"p": purchase})
    # then the old one was in force meanwhile, and is superseded by the new one now
    old_id, new_id = gid("Agreement", old), gid("Agreement", new)
    assert during["data"]["purchase"]["currentAgreement"] == {"id": old_id, "state": "SIGNED"}
    assert [a["state"] for a in during["data"]["purchase"]["agreements"]] == ["SIGNED", "DRAFT"]
    assert after["data"]["purchase"] == {
        "agreements": [
            {
                "id": old_id,
                "number": "SCA-2025-00001-01",
                "state": "SUPERSEDED",
                "supersededBy": {"id": new_id},
            },
            {"id": new_id, "number": "SCA-2025-00001-02", "state": "SIGNED", "supersededBy": None},
        ],
        "currentAgreement": {"id": new_id, "state": "SIGNED"},
    }
