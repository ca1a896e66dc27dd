"""Admin inputs of screening through the API (restriction lists, rule sets) and the review
case's supporting mutations (attachments, assignment): results, rescreen counts, and payload
errors that name the field and write nothing."""

from __future__ import annotations

import base64

import httpx

from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import finished_job
from tests.support.reviews import ASSIGN, ATTACH, call, gid, open_case_id
from tests.support.world import World, gql, row_counts

LIST = """mutation L($input: UpdateRestrictionListInput!) { updateRestrictionList(input: $input) {
  restrictionList { id name publishedOn entries { supplierName vendorId reason listedOn } }
  rescreen { screened changed verdictsChanged casesOpened } job { id state }
  errors { field message code } } }"""
RULES = """mutation R($input: UpdateScreeningRulesInput!) { updateScreeningRules(input: $input) {
  screeningRules { version rules createdBy } job { id state }
  errors { field message code } } }"""
SCREENING = (
    "query Q($id: ID!) { purchase(id: $id) { screening { verdict ruleSetVersion trigger } } }"
)


async def test_listing_a_vendor_rescreens_and_flags_its_purchases(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    admin = world.secrets["admin"]
    entry = {
        "supplierName": "Northwind Storage",
        "reason": "Export-control listing",
        "listedOn": "2025-06-30",
        "vendorId": gid("Vendor", world.vendor_us),
    }
    variables = {
        "input": {
            "name": "Export controls",
            "source": "Ministry notice 2025-12",
            "publishedOn": "2025-07-01",
            "entries": [entry],
        }
    }
    _, body = await gql(client, admin, LIST, variables)
    payload = body["data"]["updateRestrictionList"]
    assert payload["errors"] == []
    assert payload["restrictionList"]["entries"] == [entry]
    # the request answered at once with the rescreen job, which a worker then runs
    assert (payload["rescreen"], payload["job"]["state"]) == (None, "QUEUED")
    job = await finished_job(db, client, admin, payload["job"]["id"])
    assert (job["state"], job["progress"], job["attempts"]) == (
        "SUCCEEDED",
        {"done": 3, "total": 3},
        1,
    )
    # the US purchase was YES already: a new result (CRITICAL listing), no verdict change
    assert job["outcome"] == {
        "screened": 3,
        "changed": 1,
        "verdictsChanged": 0,
        "casesOpened": 0,
    }
    _, body = await gql(
        client, world.secrets["legal"], SCREENING, {"id": gid("Purchase", world.purchase_a_us)}
    )
    assert body["data"]["purchase"]["screening"] == {
        "verdict": "YES",
        "ruleSetVersion": 1,
        "trigger": "restriction_list.updated",
    }


async def test_bad_restriction_list_input_names_every_field_and_writes_nothing(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    variables = {
        "input": {
            "name": " ",
            "source": "x",
            "publishedOn": "2025-07-01",
            "entries": [
                {
                    "supplierName": "Acme",
                    "reason": "r",
                    "listedOn": "2025-01-01",
                    "vendorId": gid("Vendor", 99),
                },
                {"supplierName": "ACME", "reason": "r", "listedOn": "2025-01-01"},
            ],
        }
    }
    _, body = await gql(client, world.secrets["admin"], LIST, variables)
    assert body["data"]["updateRestrictionList"] == {
        "restrictionList": None,
        "rescreen": None,
        "job": None,
        "errors": [
            {"field": "name", "message": "is required", "code": "REQUIRED"},
            {
                "field": "entries.1.supplierName",
                "message": "'ACME' is listed twice",
                "code": "DUPLICATE",
            },
            {"field": "entries.0.vendorId", "message": "vendor 99 not found", "code": "NOT_FOUND"},
        ],
    }
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_rule_changes_are_versioned_and_readable(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    admin = world.secrets["admin"]
    rules = '{"thresholds": {"sbom_quality": 70}, "enabled_rules": ["FOREIGN_CONTROL"]}'
    _, body = await gql(client, admin, RULES, {"input": {"rules": rules}})
    payload = body["data"]["updateScreeningRules"]
    assert payload["errors"] == []
    assert (payload["screeningRules"]["version"], payload["screeningRules"]["createdBy"]) == (
        2,
        "admin user",
    )
    assert payload["screeningRules"]["rules"]["enabled_rules"] == ["FOREIGN_CONTROL"]
    job = await finished_job(db, client, admin, payload["job"]["id"])
    assert {k: job["outcome"][k] for k in ("screened", "changed")} == {"screened": 3, "changed": 3}
    # with only FOREIGN_CONTROL enabled, the domestic purchase is screened under v2 and still
    # needs an assessment: its vendor's parent country is unknown
    _, body = await gql(
        client, world.secrets["reviewer"], SCREENING, {"id": gid("Purchase", world.purchase_a_cn)}
    )
    assert body["data"]["purchase"]["screening"] == {
        "verdict": "NEEDS_ASSESSMENT",
        "ruleSetVersion": 2,
        "trigger": "screening_rules.updated",
    }
    _, body = await gql(
        client, world.secrets["auditor"], "{ screeningRules { version createdBy } }"
    )
    assert body["data"]["screeningRules"] == [
        {"version": 2, "createdBy": "admin user"},
        {"version": 1, "createdBy": None},
    ]
    _, body = await gql(client, admin, RULES, {"input": {"rules": "[1"}})
    [error] = body["data"]["updateScreeningRules"]["errors"]
    assert (error["field"], error["code"]) == ("rules", "INVALID")


async def test_attachments_are_checked_and_listed_on_the_checklist(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        case = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
    reviewer = world.secrets["reviewer"]
    content = base64.b64encode(b"%PDF-1.7 declaration form").decode()
    first = await call(
        client,
        reviewer,
        ATTACH,
        caseId=case,
        material="DECLARATION_FORM",
        fileName="form.pdf",
        contentBase64=content,
    )
    assert first["errors"] == []
    assert first["attachment"] == {
        "fileName": "form.pdf",
        "sha256": "9cc1fa0055575c08190920c4795b9b8f631e9502bd6165084e0e7e34a399fb54",
        "sizeBytes": 25,
    }
    again = await call(
        client,
        reviewer,
        ATTACH,
        caseId=case,
        material="DECLARATION_FORM",
        fileName="form-copy.pdf",
        contentBase64=content,
    )
    assert again["errors"] == [
        {
            "field": "content",
            "message": "this file is already attached to DECLARATION_FORM",
            "code": "DUPLICATE",
        }
    ]
    garbage = await call(
        client,
        reviewer,
        ATTACH,
        caseId=case,
        material="DECLARATION_FORM",
        fileName="x.pdf",
        contentBase64="not base64!",
    )
    assert garbage["errors"] == [
        {"field": "contentBase64", "message": "is not valid base64", "code": "INVALID"}
    ]
    _, body = await gql(
        client,
        reviewer,
        "query Q($id: ID!) { reviewCase(id: $id) { checklist { material requiredForFiling "
        "attachments { fileName sizeBytes } } } }",
        {"id": case},
    )
    assert body["data"]["reviewCase"]["checklist"] == [
        {
            "material": "DECLARATION_FORM",
            "requiredForFiling": True,
            "attachments": [{"fileName": "form.pdf", "sizeBytes": 25}],
        },
        {"material": "IMPACT_ANALYSIS_REPORT", "requiredForFiling": True, "attachments": []},
        {"material": "PROCUREMENT_DOCUMENTS", "requiredForFiling": True, "attachments": []},
        {"material": "OFFICE_REQUESTED_MATERIALS", "requiredForFiling": False, "attachments": []},
    ]


async def test_cases_are_assigned_to_reviewers_of_their_operator_only(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        case = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
    reviewer = world.secrets["reviewer"]
    _, me = await gql(client, reviewer, "{ me { tokenId } }")
    token_id = me["data"]["me"]["tokenId"]
    # a procurement token (made just before legal and reviewer ones) cannot be assigned a review
    refused = await call(client, reviewer, ASSIGN, caseId=case, reviewerTokenId=token_id - 3)
    assert refused["errors"] == [
        {
            "field": "reviewerTokenId",
            "message": f"token {token_id - 3} is not an active reviewer of this case's operator "
            "(or an admin)",
            "code": "INVALID",
        }
    ]
    assigned = await call(client, reviewer, ASSIGN, caseId=case, reviewerTokenId=token_id)
    assert assigned["errors"] == []
    _, body = await gql(
        client,
        reviewer,
        "{ pendingReviews(filter: {assignedToMe: true}) { edges { node { assignedReviewer "
        "{ tokenId name } } } } }",
    )
    assert body["data"]["pendingReviews"]["edges"] == [
        {"node": {"assignedReviewer": {"tokenId": token_id, "name": "reviewer user"}}}
    ]
