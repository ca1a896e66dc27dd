"""Supervision through the API: a check with an evidence file, then obligationsDue on fixed days."""

from __future__ import annotations

from datetime import date

import httpx

from tests.support.agreements import PDF_BYTES, generate, gid, multipart, obligation_id, send, sign
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql

CHECK = """mutation($input: RecordSupervisionCheckInput!) {
  recordSupervisionCheck(input: $input) {
    supervisionCheck { result checkedOn evidence notes checkedBy
      attachment { fileName contentType sizeBytes downloadPath }
      obligation { code status lastCheckedOn checks { result } } }
    errors { field message code } } }"""
DUE = """query($f: ObligationsDueFilterInput, $first: Int, $after: String) {
  obligationsDue(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { asOf overdue failed dueOn daysOverdue
      obligation { code dueDates } purchase { title } lastCheck { result checkedOn } } } } }"""


async def test_checks_with_evidence_feed_the_obligations_due_list(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given an agreement signed on 1 March 2025
    async with db.sessions() as session:
        agreement = (await generate(session, world.purchase_a_cn)).id
        await send(session, agreement, date(2025, 2, 20))
        await sign(session, agreement, date(2025, 3, 1))
        personnel = await obligation_id(session, agreement, "PERSONNEL_CHECKS")
    reviewer = world.secrets["reviewer"]
    # when a reviewer records a failed check with a scanned letter as evidence
    variables = {
        "input": {
            "obligationId": gid("Obligation", personnel),
            "result": "NOT_MET",
            "checkedOn": "2025-04-10",
            "evidence": "List delivered without background-check confirmations",
            "notes": "Asked again by letter",
            "attachment": None,
        }
    }
    files = {"variables.input.attachment": ("回函.pdf", PDF_BYTES, "application/pdf")}
    status, body = await multipart(client, reviewer, CHECK, variables, files)
    # then the check is stored with its evidence, and the obligation shows it
    assert status == 200
    assert body["data"]["recordSupervisionCheck"] == {
        "supervisionCheck": {
            "result": "NOT_MET",
            "checkedOn": "2025-04-10",
            "evidence": "List delivered without background-check confirmations",
            "notes": "Asked again by letter",
            "checkedBy": "reviewer user",
            "attachment": {
                "fileName": "回函.pdf",
                "contentType": "application/pdf",
                "sizeBytes": len(PDF_BYTES),
                "downloadPath": "/api/supervision-checks/1/attachment",
            },
            "obligation": {
                "code": "PERSONNEL_CHECKS",
                "status": "NOT_MET",
                "lastCheckedOn": "2025-04-10",
                "checks": [{"result": "NOT_MET"}],
            },
        },
        "errors": [],
    }
    evidence = await client.get(
        "/api/supervision-checks/1/attachment", headers={"authorization": f"Bearer {reviewer}"}
    )
    assert (evidence.status_code, evidence.content) == (200, PDF_BYTES)
    hidden = await client.get(
        "/api/supervision-checks/1/attachment",
        headers={"authorization": f"Bearer {world.secrets['vendor']}"},
    )
    assert hidden.status_code == 404
    # and obligationsDue on 1 June 2026 lists it first, two to a page
    _s, page1 = await gql(client, reviewer, DUE, {"f": {"asOf": "2026-06-01"}, "first": 2})
    due = page1["data"]["obligationsDue"]
    assert due["totalCount"] == 5
    assert due["pageInfo"]["hasNextPage"] is True
    assert [e["node"] for e in due["edges"]] == [
        {
            "asOf": "2026-06-01",
            "overdue": True,
            "failed": False,
            "dueOn": "2025-03-31",
            "daysOverdue": 427,
            "obligation": {"code": "CONTINUITY_PLAN", "dueDates": ["2025-03-31"]},
            "purchase": {"title": "Core routers"},
            "lastCheck": None,
        },
        {
            "asOf": "2026-06-01",
            "overdue": True,
            "failed": True,
            "dueOn": "2025-03-31",
            "daysOverdue": 427,
            "obligation": {"code": "PERSONNEL_CHECKS", "dueDates": ["2025-03-31"]},
            "purchase": {"title": "Core routers"},
            "lastCheck": {"result": "NOT_MET", "checkedOn": "2025-04-10"},
        },
    ]
    after = due["pageInfo"]["endCursor"]
    _s, page2 = await gql(
        client, reviewer, DUE, {"f": {"asOf": "2026-06-01"}, "first": 10, "after": after}
    )
    rest = page2["data"]["obligationsDue"]
    assert [(e["node"]["obligation"]["code"], e["node"]["dueOn"]) for e in rest["edges"]] == [
        ("SBOM_INITIAL", "2025-03-31"),
        ("ATTESTATION", "2026-03-01"),
        ("SBOM_ANNUAL", "2026-03-01"),
    ]
    # (yearly until the security maintenance period ends on 28 February 2030)
    assert rest["edges"][2]["node"]["obligation"]["dueDates"] == [
        "2026-03-01",
        "2027-03-01",
        "2028-03-01",
        "2029-03-01",
    ]
    # and only failed ones, as of before the check, is empty
    _s, early = await gql(
        client, reviewer, DUE, {"f": {"asOf": "2025-04-09", "failed": True}, "first": 10}
    )
    assert early["data"]["obligationsDue"]["totalCount"] == 0
