"""Every query and mutation against every caller, with the expected outcome written out by hand.

The tables below are deliberately NOT derived from procurement/permissions.py: if the permission
table changes, these tests fail and the change has to be made here on purpose, too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from procurement.enums import Role
from procurement.permissions import SYSTEM
from procurement.registry.actions import tokens
from schema.core.ids import to_global_id
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, row_counts

FORBIDDEN = "FORBIDDEN"  # top-level error with extensions.code FORBIDDEN, the field null
UNAUTHENTICATED = "HTTP 401"  # 401 with only an error body: nothing executed
NULL = "NULL"  # the field resolves to null: the object is invisible to the caller
ALLOWED = "ALLOWED"  # mutation succeeds with the payload in MUTATIONS

CALLERS = ("admin", "procurement", "vendor", "legal", "reviewer", "auditor", "none", "revoked")
UNAUTH_BODY = {  # no token at all
    "errors": [{"message": "authentication required: send 'Authorization: Bearer <token>'"}]
}
REVOKED_BODY = {  # a token that was valid once: the person needs a new one, not a header
    "errors": [
        {
            "message": "the token sent is not valid: it is mistyped, revoked or unknown here; "
            "ask an administrator for a new one"
        }
    ]
}


def unauthenticated_body(caller: str) -> dict[str, Any]:
    return REVOKED_BODY if caller == "revoked" else UNAUTH_BODY


A, B = "Operator A", "Operator B"
CN, US = "Huaxin Networks", "Northwind Storage"
R, S, BS = "Core routers", "Storage array", "Branch switches"  # A+CN, A+US, B+CN
# Audit events of the test world, in order (20 in all); the auditor sees operator A's 11. Each
# new purchase is screened at once, and its verdict opens a review case.
PURCHASE_EVENTS = ["purchase.registered", "screening.verdict_changed", "review_case.opened"]
ALL_EVENTS = (["operator.registered"] * 2 + ["vendor.registered"] * 2 + PURCHASE_EVENTS * 3) + [
    "token.created"
] * 7
A_EVENTS = ["operator.registered"] + PURCHASE_EVENTS * 2 + ["token.created"] * 4
SA = {"__typename": "Purchase", "title": S}
Y27 = {"year": 2027, "status": "PROVISIONAL", "source": None}


def _me(role: str, operator: str | None, vendor: str | None) -> dict[str, Any]:
    return {
        "name": f"{role.lower()} user",
        "role": role,
        "operator": None if operator is None else {"name": operator},
        "vendor": None if vendor is None else {"name": vendor},
    }


# --- queries: (document, variables, pick the compared value from data, expected per caller) ---

U = UNAUTHENTICATED
QUERY_MATRIX: dict[str, tuple[Any, ...]] = {
    #              admin     procurement vendor    legal     reviewer  auditor   none revoked
    "operators": ([A, B], [A], [A, B], [A], [A], [A], U, U),
    "vendors": ([CN, US], [CN, US], [CN], [CN, US], [CN, US], [CN, US], U, U),
    "purchases": ([R, S, BS], [R, S], [R, BS], [R, S], [R, S], [R, S], U, U),
    # purchase(id) of operator B's purchase from vendor CN
    "purchase": (BS, NULL, BS, NULL, NULL, NULL, U, U),
    # node(id) of operator A's purchase from vendor US
    "node": (SA, SA, NULL, SA, SA, SA, U, U),
    "me": (
        _me("ADMIN", None, None),
        _me("PROCUREMENT", A, None),
        _me("VENDOR", None, CN),
        _me("LEGAL", A, None),
        _me("REVIEWER", A, None),
        _me("AUDITOR", A, None),
        U,
        U,
    ),
    "auditEvents": (ALL_EVENTS, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, A_EVENTS, U, U),
    # the last year listed: 2027, which nobody loaded (one schedule serves every operator)
    "holidayCalendars": (Y27, Y27, FORBIDDEN, Y27, Y27, Y27, U, U),
}


def _names(key: str) -> Callable[[Any], Any]:
    return lambda conn: [edge["node"][key] for edge in conn["edges"]]


QUERIES: dict[str, tuple[str, Callable[[World], dict[str, Any]], Callable[[Any], Any]]] = {
    "operators": ("{ operators { edges { node { name } } } }", lambda w: {}, _names("name")),
    "vendors": ("{ vendors { edges { node { name } } } }", lambda w: {}, _names("name")),
    "purchases": ("{ purchases { edges { node { title } } } }", lambda w: {}, _names("title")),
    "purchase": (
        "query($id: ID!) { purchase(id: $id) { title } }",
        lambda w: {"id": to_global_id("Purchase", w.purchase_b_cn)},
        lambda value: value["title"],
    ),
    "node": (
        "query($id: ID!) { node(id: $id) { __typename ... on Purchase { title } } }",
        lambda w: {"id": to_global_id("Purchase", w.purchase_a_us)},
        lambda value: value,
    ),
    "me": ("{ me { name role operator { name } vendor { name } } }", lambda w: {}, lambda v: v),
    "auditEvents": (
        "{ auditEvents(first: 100) { edges { node { action } } } }",
        lambda w: {},
        _names("action"),
    ),
    "holidayCalendars": (
        "{ holidayCalendars(throughYear: 2027) { year status source } }",
        lambda w: {},
        lambda years: years[-1],
    ),
}
# Root fields declared non-null: an error there nulls the whole ``data``.
NON_NULL_ROOTS = {"operators", "vendors", "purchases", "me", "auditEvents", "holidayCalendars"}

# --- mutations ---

MUTATION_MATRIX: dict[str, tuple[str, ...]] = {
    #                   admin    procurement vendor    legal      reviewer   auditor    none revoked
    "registerOperator": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "registerVendor": (ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "updateVendor": (ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "registerPurchase": (ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "updatePurchase": (ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "recordPurchaseInUse": (ALLOWED, ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    # every account subscribes itself (team addresses: tests/e2e/test_notification_api.py)
    "createNotificationSubscription": (ALLOWED,) * 6 + (U, U),
    "loadHolidayCalendar": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "createAccount": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    "updateOperator": (ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, U, U),
    # an investigation reaches the buyers or the lawyers first (APL Art. 36)
    "markPurchaseUnderInvestigation": (
        ALLOWED,
        ALLOWED,
        FORBIDDEN,
        ALLOWED,
        FORBIDDEN,
        FORBIDDEN,
        U,
        U,
    ),
}

PURCHASE_FIELDS = (
    "title operator { name } vendor { name } ciiSystem { name } category "
    "contractValue { amount currency } contractDate inUseDate persons { name role position }"
)
CORE_ROUTERS = {
    "operator": {"name": A},
    "vendor": {"name": CN},
    "ciiSystem": {"name": "Dispatch SCADA"},
    "category": "CORE_NETWORK_EQUIPMENT",
    "contractDate": "2025-03-01",
    "persons": [
        {"name": "Zhang Wei", "role": "PERSON_IN_CHARGE", "position": None},
        {"name": "Liu Yang", "role": "OTHER_RESPONSIBLE", "position": None},
    ],
}
# name -> (document, variables, expected payload when allowed, row count changes when allowed)
Variables = Callable[[World], dict[str, Any]]
MUTATIONS: dict[str, tuple[str, Variables, dict[str, Any], dict[str, int]]] = {
    "updateOperator": (
        "mutation($id: ID!, $input: UpdateOperatorInput!) { updateOperator(id: $id, input: $input)"
        " { operator { isCiiOperator identificationHistory { identifiedOn assumed } }"
        " errors { field } } }",
        lambda w: {
            "id": to_global_id("Operator", w.operator_a),
            "input": {"ciiIdentifiedOn": "2024-03-01"},
        },
        # the assumed start is replaced in place: no new row
        {
            "operator": {
                "isCiiOperator": True,
                "identificationHistory": [{"identifiedOn": "2024-03-01", "assumed": False}],
            },
            "errors": [],
        },
        {"audit_events": 1},
    ),
    "markPurchaseUnderInvestigation": (
        "mutation($input: MarkPurchaseUnderInvestigationInput!) {"
        " markPurchaseUnderInvestigation(input: $input) {"
        " purchase { underInvestigationSince } errors { field } } }",
        lambda w: {
            "input": {"id": to_global_id("Purchase", w.purchase_a_cn), "since": "2025-09-01"}
        },
        {"purchase": {"underInvestigationSince": "2025-09-01"}, "errors": []},
        {"audit_events": 1},
    ),
    "createAccount": (
        "mutation($input: CreateAccountInput!) { createAccount(input: $input) {"
        " account { login role operatorId } errors { field message code } } }",
        lambda w: {
            "input": {
                "name": "Li Na",
                "login": "li.na",
                "role": "PROCUREMENT",
                "operatorId": to_global_id("Operator", w.operator_a),
                "password": "correct horse battery staple",
            }
        },
        {
            "account": {"login": "li.na", "role": "PROCUREMENT", "operatorId": "T3BlcmF0b3I6MQ=="},
            "errors": [],
        },
        {"accounts": 1, "audit_events": 1},
    ),
    "registerOperator": (
        "mutation($input: RegisterOperatorInput!) { registerOperator(input: $input) {"
        " operator { name creditCode sector isCiiOperator ciiSystems { name businessCritical } }"
        " errors { field message code } } }",
        lambda w: {
            "input": {
                "name": "Operator C",
                "creditCode": "91440100ma59w00c3u",
                "sector": "TRANSPORT",
                "isCiiOperator": False,
                "ciiSystems": [{"name": "Signalling", "businessCritical": False}],
            }
        },
        {
            "operator": {
                "name": "Operator C",
                "creditCode": "91440100MA59W00C3U",
                "sector": "TRANSPORT",
                "isCiiOperator": False,
                "ciiSystems": [{"name": "Signalling", "businessCritical": False}],
            },
            "errors": [],
        },
        # a new operator starts its own audit chain: one head row
        {"operators": 1, "cii_systems": 1, "audit_events": 1, "audit_chain_heads": 1},
    ),
    "registerVendor": (
        "mutation($input: RegisterVendorInput!) { registerVendor(input: $input) {"
        " vendor { name country ownership contact { email } } errors { field } } }",
        lambda w: {
            "input": {
                "name": " Lianhe Security ",
                "country": "cn",
                "ownership": "STATE",
                "contactEmail": "sales@lianhe.example",
            }
        },
        {
            "vendor": {
                "name": "Lianhe Security",
                "country": "CN",
                "ownership": "STATE",
                "contact": {"email": "sales@lianhe.example"},
            },
            "errors": [],
        },
        {"vendors": 1, "audit_events": 1},
    ),
    "updateVendor": (
        "mutation($id: ID!, $input: UpdateVendorInput!) { updateVendor(id: $id, input: $input) {"
        " vendor { name country ultimateParent { name country } } errors { field } } }",
        lambda w: {
            "id": to_global_id("Vendor", w.vendor_us),
            "input": {
                "name": "Northwind Storage Inc.",
                "ownership": "PRIVATE",
                "ultimateParentCountry": "ie",
            },
        },
        {
            "vendor": {
                "name": "Northwind Storage Inc.",
                "country": "US",
                "ultimateParent": {"name": None, "country": "IE"},
            },
            "errors": [],
        },
        {"audit_events": 1, "screening_results": 1},  # its purchases are screened again
    ),
    "registerPurchase": (
        "mutation($input: RegisterPurchaseInput!) { registerPurchase(input: $input) {"
        f" purchase {{ {PURCHASE_FIELDS} }} errors {{ field }} }} }}",
        lambda w: {
            "input": {
                "operatorId": to_global_id("Operator", w.operator_a),
                "vendorId": to_global_id("Vendor", w.vendor_us),
                "ciiSystemId": to_global_id("CiiSystem", w.system_a),
                "title": "Backup tape library",
                "category": "MASS_STORAGE_DEVICE",
                "contractValue": {"amount": "98000.10", "currency": "cny"},
                "taxIncluded": False,
                "contractDate": "2025-05-06",
                "persons": [{"name": "Chen Jie", "role": "PERSON_IN_CHARGE", "position": "CIO"}],
            }
        },
        {
            "purchase": {
                "title": "Backup tape library",
                "operator": {"name": A},
                "vendor": {"name": US},
                "ciiSystem": {"name": "Dispatch SCADA"},
                "category": "MASS_STORAGE_DEVICE",
                "contractValue": {"amount": "98000.10", "currency": "CNY"},
                "contractDate": "2025-05-06",
                "inUseDate": None,
                "persons": [{"name": "Chen Jie", "role": "PERSON_IN_CHARGE", "position": "CIO"}],
            },
            "errors": [],
        },
        # screened at once; its YES verdict opens a review case (with its first history entry),
        # which is news for the operator's subscribers (an outbox row)
        {
            "purchases": 1,
            "responsible_persons": 1,
            "audit_events": 3,
            "notification_events": 1,
            "screening_results": 1,
            "review_cases": 1,
            "review_events": 1,
        },
    ),
    "updatePurchase": (
        "mutation($id: ID!, $input: UpdatePurchaseInput!) { updatePurchase(id: $id, input: $input)"
        f" {{ purchase {{ {PURCHASE_FIELDS} }} errors {{ field }} }} }}",
        lambda w: {
            "id": to_global_id("Purchase", w.purchase_a_cn),
            "input": {
                "title": "Core routers, phase 2",
                "category": "IMPORTANT_TELECOM_PRODUCT",
                "contractValue": {"amount": "1350000", "currency": "CNY"},
            },
        },
        {
            "purchase": CORE_ROUTERS
            | {
                "title": "Core routers, phase 2",
                "category": "IMPORTANT_TELECOM_PRODUCT",
                "contractValue": {"amount": "1350000.00", "currency": "CNY"},
                "inUseDate": None,
            },
            "errors": [],
        },
        {"audit_events": 1, "screening_results": 1},  # rescreened: a new category
    ),
    "recordPurchaseInUse": (
        'mutation($id: ID!) { recordPurchaseInUse(id: $id, inUseDate: "2025-04-15") {'
        f" purchase {{ {PURCHASE_FIELDS} }} errors {{ field }} }} }}",
        lambda w: {"id": to_global_id("Purchase", w.purchase_a_cn)},
        {
            "purchase": CORE_ROUTERS
            | {
                "title": "Core routers",
                "contractValue": {"amount": "1200000.00", "currency": "CNY"},
                "inUseDate": "2025-04-15",
            },
            "errors": [],
        },
        {"audit_events": 1, "review_events": 1},  # noted on the open review case
    ),
    "createNotificationSubscription": (
        "mutation($input: CreateNotificationSubscriptionInput!) {"
        " createNotificationSubscription(input: $input) {"
        " subscription { name kinds channel hasSecret } errors { field } } }",
        lambda w: {
            "input": {
                "name": "Mine",
                "kinds": ["SBOM_UPLOADED", "AGREEMENT_SIGNED"],
                "channel": "EMAIL",
                "address": "me@example.cn",
            }
        },
        {
            "subscription": {
                "name": "Mine",
                "kinds": ["SBOM_UPLOADED", "AGREEMENT_SIGNED"],
                "channel": "EMAIL",
                "hasSecret": False,
            },
            "errors": [],
        },
        {"notification_subscriptions": 1, "audit_events": 1},
    ),
    "loadHolidayCalendar": (
        "mutation($input: LoadHolidayCalendarInput!) { loadHolidayCalendar(input: $input) {"
        " holidayCalendar { year status source } recomputedCases errors { field } } }",
        lambda w: {
            "input": {
                "year": 2027,
                "daysOff": ["2027-01-01"],
                "workingWeekends": [],
                "source": "Test schedule",
            }
        },
        # the world's cases await triage: no clock runs, so none is recounted
        {
            "holidayCalendar": {"year": 2027, "status": "OFFICIAL", "source": "Test schedule"},
            "recomputedCases": 0,
            "errors": [],
        },
        {"holiday_calendars": 1, "audit_events": 1},
    ),
}


def _cases(matrix: dict[str, tuple[Any, ...]]) -> list[Any]:
    return [
        pytest.param(name, caller, expected, id=f"{name}-{caller}")
        for name, row in matrix.items()
        for caller, expected in zip(CALLERS, row, strict=True)
    ]


async def _secret(db: DatabaseUnderTest, world: World, caller: str) -> str | None:
    if caller == "none":
        return None
    if caller == "revoked":
        # a real admin token, revoked before the request
        async with db.sessions() as session:
            token, secret = await tokens.create_token(
                session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="revoked admin")
            )
            await tokens.revoke_token(session, SYSTEM, token.id)
        return secret
    return world.secrets[caller]


async def _counts(db: DatabaseUnderTest) -> dict[str, int]:
    async with db.sessions() as session:
        return await row_counts(session)


def _assert_forbidden(body: dict[str, Any], field: str) -> None:
    assert body["data"] == (None if field in NON_NULL_ROOTS else {field: None})
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["path"] == [field]
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert error["message"].startswith("role '")


@pytest.mark.parametrize(("name", "caller", "expected"), _cases(QUERY_MATRIX))
async def test_query(
    client: httpx.AsyncClient,
    db: DatabaseUnderTest,
    world: World,
    name: str,
    caller: str,
    expected: Any,
) -> None:
    # given the test world and the caller's token
    secret = await _secret(db, world, caller)
    document, variables, pick = QUERIES[name]
    before = await _counts(db)
    # when the caller runs the query
    status, body = await gql(client, secret, document, variables(world))
    # then the outcome is the one in the table, and reading changed nothing
    if expected == UNAUTHENTICATED:
        assert (status, body) == (401, unauthenticated_body(caller))
    elif expected == FORBIDDEN:
        assert status == 200
        _assert_forbidden(body, name)
    elif expected == NULL:
        assert (status, body) == (200, {"data": {name: None}})
    else:
        assert status == 200
        assert "errors" not in body
        assert pick(body["data"][name]) == expected
    assert await _counts(db) == before


@pytest.mark.parametrize(("name", "caller", "expected"), _cases(MUTATION_MATRIX))
async def test_mutation(
    client: httpx.AsyncClient,
    db: DatabaseUnderTest,
    world: World,
    name: str,
    caller: str,
    expected: str,
) -> None:
    # given the test world, the caller's token and the row counts before
    secret = await _secret(db, world, caller)
    document, variables, payload, changes = MUTATIONS[name]
    before = await _counts(db)
    # when the caller sends the mutation
    status, body = await gql(client, secret, document, variables(world))
    after = await _counts(db)
    # then the outcome is the one in the table
    if expected == ALLOWED:
        assert (status, body) == (200, {"data": {name: payload}})
        assert after == {table: n + changes.get(table, 0) for table, n in before.items()}
        return
    if expected == UNAUTHENTICATED:
        assert (status, body) == (401, unauthenticated_body(caller))
    else:
        assert status == 200
        _assert_forbidden(body, name)
    # and a denied mutation changed nothing at all, the audit log included
    assert after == before


# --- regressions found while building the matrix: update inputs declared with graphene.Field
# got the SDL default `= null`, so a partial update failed with "is required" on fields not sent ---


async def test_update_vendor_with_only_a_name(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given procurement's token and the row counts before
    document = MUTATIONS["updateVendor"][0]
    before = await _counts(db)
    # when renaming the US vendor and sending no other field
    status, body = await gql(
        client,
        world.secrets["procurement"],
        document,
        {"id": to_global_id("Vendor", world.vendor_us), "input": {"name": "Northwind Inc."}},
    )
    # then only the name changed, one audit event was written, and the vendor's purchase was
    # screened again (the explanations name the vendor)
    vendor = {"name": "Northwind Inc.", "country": "US", "ultimateParent": None}
    assert (status, body) == (200, {"data": {"updateVendor": {"vendor": vendor, "errors": []}}})
    assert await _counts(db) == before | {
        "audit_events": before["audit_events"] + 1,
        "screening_results": before["screening_results"] + 1,
    }


async def test_update_purchase_with_only_a_title(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given procurement's token and the row counts before
    document = MUTATIONS["updatePurchase"][0]
    before = await _counts(db)
    # when retitling operator A's core routers purchase and sending no other field
    status, body = await gql(
        client,
        world.secrets["procurement"],
        document,
        {"id": to_global_id("Purchase", world.purchase_a_cn), "input": {"title": "Routers"}},
    )
    # then only the title changed, and one audit event was written
    purchase = CORE_ROUTERS | {
        "title": "Routers",
        "contractValue": {"amount": "1200000.00", "currency": "CNY"},
        "inUseDate": None,
    }
    assert (status, body) == (
        200,
        {"data": {"updatePurchase": {"purchase": purchase, "errors": []}}},
    )
    assert await _counts(db) == before | {"audit_events": before["audit_events"] + 1}
