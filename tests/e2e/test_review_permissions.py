"""Who may do what with screening and review cases, for every new mutation and every role;
vendors never see screening, findings or cases; operators never see each other's."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from procurement.enums import Role
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import gid, open_case_id
from tests.support.world import World, gql, row_counts

REVIEWERS = {"admin", "reviewer"}
ADMINS = {"admin"}
BUYERS = {"admin", "procurement"}
INTERNAL = {r.value for r in Role} - {"vendor"}

Vars = Callable[[World, str], dict[str, Any]]


def review_mutation(name: str, input_type: str) -> str:
    return (
        f"mutation M($input: {input_type}!) {{ {name}(input: $input) "
        "{ errors { field code } } }"
    )


MUTATIONS: dict[str, tuple[str, Vars, set[str]]] = {
    "triageReview": (
        review_mutation("triageReview", "TriageReviewInput"),
        lambda w, c: {"caseId": c, "decision": "DECLARATION_REQUIRED", "on": "2025-09-15"},
        REVIEWERS,
    ),
    "recordDeclaration": (
        review_mutation("recordDeclaration", "RecordDeclarationInput"),
        lambda w, c: {"caseId": c, "filedOn": "2025-09-26"},
        REVIEWERS,
    ),
    "recordOfficeDecision": (
        review_mutation("recordOfficeDecision", "RecordOfficeDecisionInput"),
        lambda w, c: {"caseId": c, "decision": "REVIEW_STARTED", "on": "2025-10-10"},
        REVIEWERS,
    ),
    "requestSupplementaryMaterials": (
        review_mutation("requestSupplementaryMaterials", "RequestSupplementaryMaterialsInput"),
        lambda w, c: {"caseId": c, "requestedOn": "2025-10-09"},
        REVIEWERS,
    ),
    "recordSupplementaryMaterialsReceived": (
        review_mutation(
            "recordSupplementaryMaterialsReceived", "RecordSupplementaryMaterialsReceivedInput"
        ),
        lambda w, c: {"caseId": c, "receivedOn": "2025-10-13"},
        REVIEWERS,
    ),
    "recordReviewOutcome": (
        review_mutation("recordReviewOutcome", "RecordReviewOutcomeInput"),
        lambda w, c: {"caseId": c, "outcome": "PASSED", "on": "2025-11-20"},
        REVIEWERS,
    ),
    "assignReviewer": (
        review_mutation("assignReviewer", "AssignReviewerInput"),
        # token 5 is the world's reviewer of operator A (tokens are made in Role order)
        lambda w, c: {"caseId": c, "reviewerTokenId": 5},
        REVIEWERS,
    ),
    "commentOnReview": (
        review_mutation("commentOnReview", "CommentOnReviewInput"),
        lambda w, c: {"caseId": c, "text": "Looks fine"},
        REVIEWERS,
    ),
    "attachDeclarationMaterial": (
        review_mutation("attachDeclarationMaterial", "AttachDeclarationMaterialInput"),
        lambda w, c: {
            "caseId": c,
            "material": "DECLARATION_FORM",
            "fileName": "form.pdf",
            "contentBase64": base64.b64encode(b"%PDF-1.7 form").decode(),
        },
        REVIEWERS,
    ),
    "importAdvisories": (
        review_mutation("importAdvisories", "ImportAdvisoriesInput"),
        lambda w, c: {
            "fileName": "osv.json",
            "osvJson": '{"id": "GHSA-test-0001", "affected": [{"package": '
            '{"ecosystem": "npm", "name": "lodash"}, "versions": ["4.17.20"]}]}',
        },
        ADMINS,
    ),
    "updateRestrictionList": (
        review_mutation("updateRestrictionList", "UpdateRestrictionListInput"),
        lambda w, c: {
            "name": "Test list",
            "source": "test",
            "publishedOn": "2025-01-01",
            "entries": [],
        },
        ADMINS,
    ),
    "updateScreeningRules": (
        review_mutation("updateScreeningRules", "UpdateScreeningRulesInput"),
        lambda w, c: {"rules": '{"thresholds": {"value_cny": "5000000"}}'},
        ADMINS,
    ),
    "cancelPurchase": (
        review_mutation("cancelPurchase", "CancelPurchaseInput"),
        lambda w, c: {"id": gid("Purchase", w.purchase_a_us), "reason": "Not needed"},
        BUYERS,
    ),
}

ROWS = [
    pytest.param(name, role.value, role.value in allowed, id=f"{name}-{role.value}")
    for name, (_doc, _vars, allowed) in MUTATIONS.items()
    for role in Role
]


@pytest.mark.parametrize(("name", "role", "allowed"), ROWS)
async def test_mutation_permission_matrix(
    db: DatabaseUnderTest,
    world: World,
    client: httpx.AsyncClient,
    name: str,
    role: str,
    allowed: bool,
) -> None:
    # given the open case of operator A's US purchase
    async with db.sessions() as session:
        case = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
        before = await row_counts(session)
    document, variables, _ = MUTATIONS[name]
    # when the role calls the mutation
    status, body = await gql(
        client, world.secrets[role], document, {"input": variables(world, case)}
    )
    assert status == 200
    if allowed:
        # then it runs (input problems, if any, are payload errors, never FORBIDDEN)
        assert "errors" not in body, body
        assert isinstance(body["data"][name]["errors"], list)
    else:
        # then it is forbidden, answers null and nothing changed
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert body["data"] == {name: None}
        async with db.sessions() as session:
            assert await row_counts(session) == before


READS = {
    "screening": "query Q($id: ID!) { purchase(id: $id) { screening { verdict score findings "
    "{ rule factor severity explanation evidence } ruleSetVersion screenedAt } } }",
    "screeningHistory": "query Q($id: ID!) { purchase(id: $id) { screeningHistory { verdict } } }",
    "reviewCase": "query Q($id: ID!) { purchase(id: $id) { reviewCase { state deadline overdue "
    "history } } }",
    "usageFlag": "query Q($id: ID!) { purchase(id: $id) { usageFlag { code } } }",
}


@pytest.mark.parametrize("field", sorted(READS))
@pytest.mark.parametrize("role", sorted(r.value for r in Role))
async def test_screening_and_cases_are_internal(
    world: World, client: httpx.AsyncClient, field: str, role: str
) -> None:
    # given the purchase operator A buys from the vendor's own company (the vendor sees it)
    variables = {"id": gid("Purchase", world.purchase_a_cn)}
    # when each role asks for its screening or case
    status, body = await gql(client, world.secrets[role], READS[field], variables)
    assert status == 200
    if role in INTERNAL:
        assert "errors" not in body, body
        assert body["data"]["purchase"][field] is not None or field == "usageFlag"
    else:
        # then a vendor gets FORBIDDEN and null: never a verdict, finding or case
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert body["data"] == {"purchase": {field: None}}


async def test_vendor_cannot_list_pending_reviews_or_open_a_case_by_id(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        case = gid("ReviewCase", await open_case_id(session, world.purchase_a_cn))
    vendor = world.secrets["vendor"]
    status, body = await gql(
        client, vendor, "{ pendingReviews(first: 10) { totalCount edges { node { state } } } }"
    )
    assert (status, body["data"]) == (200, None)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    for document in (
        "query Q($id: ID!) { reviewCase(id: $id) { state history } }",
        "query Q($id: ID!) { node(id: $id) { ... on ReviewCase { state } } }",
    ):
        status, body = await gql(client, vendor, document, {"id": case})
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert list(body["data"].values()) == [None]
    for document in ("{ screeningRules { version } }", "{ restrictionLists { totalCount } }"):
        status, body = await gql(client, vendor, document)
        assert (body["data"], body["errors"][0]["extensions"]["code"]) == (None, "FORBIDDEN")


async def test_operators_see_and_touch_only_their_own_cases(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given cases for operator A (two) and operator B (one)
    async with db.sessions() as session:
        case_b = gid("ReviewCase", await open_case_id(session, world.purchase_b_cn))
        before = await row_counts(session)
    listing = "{ pendingReviews(first: 10) { totalCount edges { node { purchase { title } } } } }"
    # when A's reviewer lists pending reviews, only A's cases come back
    _, body = await gql(client, world.secrets["reviewer"], listing)
    assert body["data"]["pendingReviews"]["totalCount"] == 2
    assert sorted(
        e["node"]["purchase"]["title"] for e in body["data"]["pendingReviews"]["edges"]
    ) == [
        "Core routers",
        "Storage array",
    ]
    # when A's reviewer reads or acts on B's case, it does not exist for them
    _, body = await gql(
        client,
        world.secrets["reviewer"],
        "query Q($id: ID!) { reviewCase(id: $id) { state } }",
        {"id": case_b},
    )
    assert body == {"data": {"reviewCase": None}}
    document, variables, _ = MUTATIONS["commentOnReview"]
    _, body = await gql(
        client, world.secrets["reviewer"], document, {"input": variables(world, case_b)}
    )
    assert body["data"]["commentOnReview"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    async with db.sessions() as session:
        assert await row_counts(session) == before
