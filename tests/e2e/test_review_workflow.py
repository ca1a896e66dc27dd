"""The review case life cycle through the API: every legal transition, the refusals of illegal
ones (clear message, nothing changed), and the rules around use and cancellation."""

from __future__ import annotations

import httpx
import pytest

from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import (
    COMMENT,
    DECLARE,
    OFFICE,
    OUTCOME,
    TRIAGE,
    call,
    cases_of,
    declare,
    gid,
    open_case_id,
)
from tests.support.world import World, audit_count, gql, row_counts

PENDING_ALLOWED = (
    "allowed from PENDING_TRIAGE: DECIDE_NOT_REQUIRED -> NOT_REQUIRED, "
    "PREPARE_DECLARATION -> DECLARATION_PREPARED, WITHDRAW -> WITHDRAWN"
)


async def case_of(db: DatabaseUnderTest, purchase_id: int) -> str:
    async with db.sessions() as session:
        return gid("ReviewCase", await open_case_id(session, purchase_id))


async def test_declared_case_goes_through_review_and_special_review_to_passed(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given the open case of the US storage purchase (screened YES)
    case = await case_of(db, world.purchase_a_us)
    reviewer = world.secrets["reviewer"]
    # when the reviewer declares it and the office runs a review, then a special review
    declared = await declare(client, reviewer, case, "2025-09-15", "2025-09-26")
    started = await call(
        client, reviewer, OFFICE, caseId=case, decision="REVIEW_STARTED", on="2025-10-10"
    )
    special = await call(
        client, reviewer, OFFICE, caseId=case, decision="SPECIAL_REVIEW_STARTED", on="2025-11-03"
    )
    passed = await call(
        client, reviewer, OUTCOME, caseId=case, outcome="PASSED", on="2026-01-20", note="Approved"
    )
    # then each step moved the case and restarted the statutory clock from its date
    assert declared["reviewCase"]["state"] == "DECLARED"
    assert declared["reviewCase"]["declaredOn"] == "2025-09-26"
    assert declared["reviewCase"]["deadline"] == "2025-10-16"  # 10 wd across National Day
    assert (started["reviewCase"]["state"], started["reviewCase"]["deadline"]) == (
        "UNDER_REVIEW",
        "2025-11-20",
    )
    assert (special["reviewCase"]["state"], special["reviewCase"]["deadline"]) == (
        "SPECIAL_REVIEW",
        "2026-03-16",
    )
    assert passed["errors"] == []
    assert passed["reviewCase"] | {"id": None} == {
        "id": None,
        "state": "PASSED",
        "stateSince": "2026-01-20",
        "complex": False,
        "deadline": None,
        "overdue": False,
        "declaredOn": "2025-09-26",
        "outcomeOn": "2026-01-20",
        "outcomeNote": "Approved",
    }
    # and the history lists every step in order
    _status, body = await gql(
        client,
        reviewer,
        "query Q($id: ID!) { reviewCase(id: $id) { history allowedEvents } }",
        {"id": case},
    )
    history = body["data"]["reviewCase"]["history"]
    assert [(h["kind"], h["to"], h["on"]) for h in history] == [
        ("OPENED", "PENDING_TRIAGE", history[0]["on"]),
        ("TRANSITION", "DECLARATION_PREPARED", "2025-09-15"),
        ("ATTACHMENT_ADDED", None, None),
        ("ATTACHMENT_ADDED", None, None),
        ("ATTACHMENT_ADDED", None, None),
        ("TRANSITION", "DECLARED", "2025-09-26"),
        ("TRANSITION", "UNDER_REVIEW", "2025-10-10"),
        ("TRANSITION", "SPECIAL_REVIEW", "2025-11-03"),
        ("TRANSITION", "PASSED", "2026-01-20"),
    ]
    assert history[-1]["actor"] == {"name": "reviewer user", "role": "reviewer"}
    assert body["data"]["reviewCase"]["allowedEvents"] == []


async def test_office_decides_no_review_is_needed(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await case_of(db, world.purchase_a_us)
    reviewer = world.secrets["reviewer"]
    await declare(client, reviewer, case, "2025-09-15", "2025-09-26")
    payload = await call(
        client, reviewer, OFFICE, caseId=case, decision="NO_REVIEW_NEEDED", on="2025-10-14"
    )
    assert (payload["errors"], payload["reviewCase"]["state"]) == ([], "NO_REVIEW_NEEDED")
    assert payload["reviewCase"]["deadline"] is None


async def test_triage_not_required_needs_a_written_justification(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await case_of(db, world.purchase_a_cn)
    reviewer = world.secrets["reviewer"]
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the reviewer decides "not required" without a justification
    refused = await call(client, reviewer, TRIAGE, caseId=case, decision="NOT_REQUIRED")
    # then it is refused on the field and nothing is written
    assert refused == {
        "reviewCase": None,
        "errors": [
            {
                "field": "justification",
                "message": "a written justification is required to decide that no declaration "
                "is needed",
                "code": "REQUIRED",
            }
        ],
    }
    async with db.sessions() as session:
        assert await row_counts(session) == before
    # when a justification is given the case closes with it
    done = await call(
        client,
        reviewer,
        TRIAGE,
        caseId=case,
        decision="NOT_REQUIRED",
        justification="Domestic vendor, no remote access, parent recorded as CN",
        on="2025-04-02",
    )
    assert done["errors"] == []
    assert (done["reviewCase"]["state"], done["reviewCase"]["outcomeNote"]) == (
        "NOT_REQUIRED",
        "Domestic vendor, no remote access, parent recorded as CN",
    )


@pytest.mark.parametrize(
    ("document", "input", "message"),
    [
        (
            DECLARE,
            {"filedOn": "2025-09-26"},
            f"cannot FILE_DECLARATION from state PENDING_TRIAGE; {PENDING_ALLOWED}",
        ),
        (
            OFFICE,
            {"decision": "REVIEW_STARTED", "on": "2025-09-26"},
            f"cannot OFFICE_START_REVIEW from state PENDING_TRIAGE; {PENDING_ALLOWED}",
        ),
        (
            OUTCOME,
            {"outcome": "FAILED", "on": "2025-09-26"},
            f"cannot REVIEW_FAILED from state PENDING_TRIAGE; {PENDING_ALLOWED}",
        ),
    ],
)
async def test_illegal_transitions_are_refused_and_change_nothing(
    db: DatabaseUnderTest,
    world: World,
    client: httpx.AsyncClient,
    document: str,
    input: dict[str, str],
    message: str,
) -> None:
    # given a case waiting for triage
    case = await case_of(db, world.purchase_a_us)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a step that needs a later state is recorded
    payload = await call(client, world.secrets["reviewer"], document, caseId=case, **input)
    # then it is refused with the current state and the allowed moves, and nothing changed
    assert payload == {
        "reviewCase": None,
        "errors": [{"field": None, "message": message, "code": "INVALID_STATE"}],
    }
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_final_state_allows_nothing_more(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await case_of(db, world.purchase_a_us)
    reviewer = world.secrets["reviewer"]
    await declare(client, reviewer, case, "2025-09-15", "2025-09-26")
    await call(client, reviewer, OFFICE, caseId=case, decision="NO_REVIEW_NEEDED", on="2025-10-14")
    async with db.sessions() as session:
        before = await row_counts(session)
    payload = await call(
        client, reviewer, OFFICE, caseId=case, decision="REVIEW_STARTED", on="2025-10-15"
    )
    assert payload["errors"] == [
        {
            "field": None,
            "message": "cannot OFFICE_START_REVIEW from state NO_REVIEW_NEEDED; allowed from "
            "NO_REVIEW_NEEDED: none, the state is final",
            "code": "INVALID_STATE",
        }
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_declaration_needs_the_article_8_materials(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await case_of(db, world.purchase_a_us)
    reviewer = world.secrets["reviewer"]
    await call(
        client, reviewer, TRIAGE, caseId=case, decision="DECLARATION_REQUIRED", on="2025-09-15"
    )
    payload = await call(client, reviewer, DECLARE, caseId=case, filedOn="2025-09-26")
    assert payload["errors"] == [
        {
            "field": "materials",
            "message": "cannot file the declaration, materials missing: DECLARATION_FORM "
            "(Review Measures Art. 8(1)), IMPACT_ANALYSIS_REPORT (Review Measures Art. 8(2)), "
            "PROCUREMENT_DOCUMENTS (Review Measures Arts. 8(3), 6)",
            "code": "REQUIRED",
        }
    ]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2025-09-14", "2025-09-14 is before the case entered DECLARATION_PREPARED on 2025-09-15"),
        ("2099-01-05", "2099-01-05 is in the future (today is "),
    ],
)
async def test_legal_dates_must_follow_the_state_and_not_lie_ahead(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, on: str, message: str
) -> None:
    case = await case_of(db, world.purchase_a_us)
    reviewer = world.secrets["reviewer"]
    await call(
        client, reviewer, TRIAGE, caseId=case, decision="DECLARATION_REQUIRED", on="2025-09-15"
    )
    payload = await call(client, reviewer, DECLARE, caseId=case, filedOn=on)
    assert payload["reviewCase"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("filedOn", "OUT_OF_RANGE")
    assert error["message"].startswith(message)


async def test_failed_review_forbids_use_and_open_review_flags_it(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    reviewer, buyer = world.secrets["reviewer"], world.secrets["procurement"]
    in_use = """mutation U($id: ID!) { recordPurchaseInUse(id: $id, inUseDate: "2025-12-01") {
        purchase { inUseDate usageFlag { code state message } } errors { field message code } } }"""
    # given one case still under review and one that failed
    open_case = await case_of(db, world.purchase_a_cn)
    failed = await case_of(db, world.purchase_a_us)
    await declare(client, reviewer, failed, "2025-09-15", "2025-09-26")
    await call(client, reviewer, OFFICE, caseId=failed, decision="REVIEW_STARTED", on="2025-10-10")
    await call(client, reviewer, OUTCOME, caseId=failed, outcome="FAILED", on="2025-11-20")
    # when procurement records the failed purchase in use
    _, body = await gql(client, buyer, in_use, {"id": gid("Purchase", world.purchase_a_us)})
    # then it is refused with the reason
    assert body["data"]["recordPurchaseInUse"] == {
        "purchase": None,
        "errors": [
            {
                "field": "inUse",
                "message": "the cybersecurity review of this purchase failed; the product or "
                "service must not be used (CII Regulations Art. 19, Cybersecurity Law Art. 65/67)",
                "code": "INVALID_STATE",
            }
        ],
    }
    # when it records the purchase whose review is open
    _, body = await gql(client, buyer, in_use, {"id": gid("Purchase", world.purchase_a_cn)})
    # then it is recorded but flagged, and the case history says so
    purchase = body["data"]["recordPurchaseInUse"]["purchase"]
    assert purchase["inUseDate"] == "2025-12-01"
    assert purchase["usageFlag"]["code"] == "IN_USE_REVIEW_OPEN"
    assert purchase["usageFlag"]["state"] == "PENDING_TRIAGE"
    _, body = await gql(
        client,
        reviewer,
        "query Q($id: ID!) { reviewCase(id: $id) { history usageFlag { code } } }",
        {"id": open_case},
    )
    assert body["data"]["reviewCase"]["history"][-1]["kind"] == "IN_USE_RECORDED"
    assert body["data"]["reviewCase"]["usageFlag"] == {"code": "IN_USE_REVIEW_OPEN"}


async def test_cancelling_a_purchase_withdraws_its_open_case(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    cancel = """mutation C($input: CancelPurchaseInput!) { cancelPurchase(input: $input) {
        purchase { status reviewCase { state outcomeNote outcomeOn } } errors { field code } } }"""
    buyer = world.secrets["procurement"]
    variables = {
        "input": {
            "id": gid("Purchase", world.purchase_a_us),
            "reason": "Tender annulled",
            "on": "2025-07-01",
        }
    }
    async with db.sessions() as session:
        audits = await audit_count(session)
    # when procurement cancels the purchase
    _, body = await gql(client, buyer, cancel, variables)
    # then the purchase is cancelled and its case withdrawn with the reason and date
    assert body["data"]["cancelPurchase"] == {
        "purchase": {
            "status": "CANCELLED",
            "reviewCase": {
                "state": "WITHDRAWN",
                "outcomeNote": "Tender annulled",
                "outcomeOn": "2025-07-01",
            },
        },
        "errors": [],
    }
    async with db.sessions() as session:
        assert await audit_count(session) == audits + 2  # purchase.cancelled + the withdrawal
        assert [c.state.value for c in await cases_of(session, world.purchase_a_us)] == [
            "WITHDRAWN"
        ]
    # when it is cancelled again, it is refused
    _, body = await gql(client, buyer, cancel, variables)
    assert body["data"]["cancelPurchase"]["errors"] == [{"field": None, "code": "INVALID_STATE"}]


async def test_comments_are_history_and_audit_events(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await case_of(db, world.purchase_a_us)
    async with db.sessions() as session:
        audits = await audit_count(session)
    payload = await call(
        client, world.secrets["reviewer"], COMMENT, caseId=case, text="Asked vendor for an SBOM"
    )
    assert payload["errors"] == []
    empty = await call(client, world.secrets["reviewer"], COMMENT, caseId=case, text="  ")
    assert empty["errors"] == [{"field": "text", "message": "is required", "code": "REQUIRED"}]
    async with db.sessions() as session:
        assert await audit_count(session) == audits + 1
