"""Fine exposure over HTTP: summary totals for the test world, per-purchase items, permissions,
admin-only data, and the demo data set reconciled from its per-purchase figures.

Test world as of 2025-06-01 with USD at 7.1: A-CN (CNY 1,200,000, NEEDS_ASSESSMENT) and B-CN
(same, NEEDS_ASSESSMENT) carry only Art. 39(9): immediate 0, worst case 1,000,000 + 100,000;
A-US (USD 250,000.50 = CNY 1,775,003.55, screened YES, no review) adds Art. 41.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import orjson
import pytest

from procurement.exposure import reads as exposure_reads
from procurement.permissions import SYSTEM
from procurement.screening.actions import rates
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import gid
from tests.support.world import World, gql, row_counts

AS_OF = "2025-06-01"
SUMMARY = """query S($groupBy: ExposureGroupBy, $whatIf: Boolean, $top: Int, $op: ID) {
  exposureSummary(asOf: "2025-06-01", groupBy: $groupBy, whatIf: $whatIf, top: $top,
                  operatorId: $op) {
    purchaseCount whatIf scheduleVersion total { min max } conditionalMax
    groups { key purchaseCount total { min max } conditionalMax }
    top { purchase { id title } exposure { total { min max } conditionalMax } } } }"""
ITEMS = "items { article law condition counted entity { min max } persons { name role min max } basis notes }"
PURCHASE = f"""query P($id: ID!) {{ purchase(id: $id) {{ title
  exposure(asOf: "2025-06-01") {{ total {{ min max }} conditionalMax amountCny {ITEMS} notes }} }} }}"""
SET_RATE = """mutation R($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  exchangeRate { currency rateToCny validFrom source } errors { field message code } } }"""
UPDATE = """mutation U($d: String!) { updatePenaltySchedules(document: $d, note: "t") {
  version errors { field message code } } }"""
RATE_INPUT = {"currency": "USD", "rateToCny": "7.1", "validFrom": "2025-01-01", "source": "PBOC"}


async def ok(
    client: httpx.AsyncClient, secret: str, query: str, variables: dict[str, Any] | None = None
) -> Any:
    status, body = await gql(client, secret, query, variables)
    assert status == 200 and "errors" not in body, body
    return body["data"]


@pytest.fixture
async def usd(client: httpx.AsyncClient, world: World) -> None:
    data = await ok(client, world.secrets["admin"], SET_RATE, {"input": RATE_INPUT})
    assert data["setExchangeRate"]["errors"] == []


def r(lo: str, hi: str) -> dict[str, str]:
    return {"min": lo, "max": hi}


@pytest.mark.parametrize(
    ("group_by", "groups"),
    [
        ("VENDOR", [
            {"key": "Northwind Storage", "purchaseCount": 1,
             "total": r("1795003.55", "17950035.50"), "conditionalMax": "19050035.50"},
            {"key": "Huaxin Networks", "purchaseCount": 2,
             "total": r("0.00", "0.00"), "conditionalMax": "2200000.00"},
        ]),
        ("CATEGORY", [
            {"key": "MASS_STORAGE_DEVICE", "purchaseCount": 1,
             "total": r("1795003.55", "17950035.50"), "conditionalMax": "19050035.50"},
            {"key": "CORE_NETWORK_EQUIPMENT", "purchaseCount": 2,
             "total": r("0.00", "0.00"), "conditionalMax": "2200000.00"},
        ]),
        ("ARTICLE", [
            {"key": "CII_REGULATIONS_2021 Art. 41", "purchaseCount": 1,
             "total": r("1795003.55", "17950035.50"), "conditionalMax": "17950035.50"},
            {"key": "CII_REGULATIONS_2021 Art. 39(9)", "purchaseCount": 3,
             "total": r("0.00", "0.00"), "conditionalMax": "3300000.00"},
        ]),
    ],
)  # fmt: skip
async def test_summary_groups_exact(
    client: httpx.AsyncClient, world: World, usd: None, group_by: Any, groups: Any
) -> None:
    # when an admin asks for every operator
    data = await ok(client, world.secrets["admin"], SUMMARY, {"groupBy": group_by})
    s = data["exposureSummary"]
    # then the groups and totals are exact, and the groups add up to the total
    assert s["groups"] == groups
    assert (s["purchaseCount"], s["whatIf"], s["scheduleVersion"]) == (3, False, 0)
    assert s["total"] == r("1795003.55", "17950035.50")
    assert s["conditionalMax"] == "21250035.50"
    assert sum(Decimal(g["conditionalMax"]) for g in groups) == Decimal(s["conditionalMax"])


async def test_top_ordering_and_what_if(client: httpx.AsyncClient, world: World, usd: None) -> None:
    # when
    s = (await ok(client, world.secrets["legal"], SUMMARY, {"top": 2}))["exposureSummary"]
    w = (await ok(client, world.secrets["admin"], SUMMARY, {"whatIf": True}))["exposureSummary"]
    # then legal (operator A) sees A-US then A-CN, by worst case; the what-if is all zero
    assert [t["purchase"]["title"] for t in s["top"]] == ["Storage array", "Core routers"]
    assert [t["exposure"]["conditionalMax"] for t in s["top"]] == ["19050035.50", "1100000.00"]
    assert s["purchaseCount"] == 2 and s["conditionalMax"] == "20150035.50"
    assert (w["whatIf"], w["total"], w["conditionalMax"], w["top"]) == (
        True, r("0.00", "0.00"), "0.00", []
    )  # fmt: skip


async def test_purchase_exposure_items_with_basis(
    client: httpx.AsyncClient, world: World, usd: None
) -> None:
    # when
    data = await ok(
        client, world.secrets["reviewer"], PURCHASE, {"id": gid("Purchase", world.purchase_a_us)}
    )
    e = data["purchase"]["exposure"]
    # then
    assert (e["amountCny"], e["total"], e["conditionalMax"]) == (
        "1775003.55", r("1795003.55", "17950035.50"), "19050035.50"
    )  # fmt: skip
    art41 = next(i for i in e["items"] if i["article"] == "41")
    assert (art41["counted"], art41["condition"], art41["entity"]) == (
        True, "IMMEDIATE", r("1775003.55", "17750035.50")
    )  # fmt: skip
    assert [(p["name"], p["role"], p["min"], p["max"]) for p in art41["persons"]] == [
        ("Zhang Wei", "PERSON_IN_CHARGE", "10000.00", "100000.00"),
        ("Liu Yang", "OTHER_RESPONSIBLE", "10000.00", "100000.00"),
    ]
    assert "USD 250,000.50, tax included" in art41["basis"]
    assert "converted from USD at 7.1 on 2025-03-01" in art41["basis"]
    assert "1x-10x the purchase amount" in art41["basis"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('{ exposureSummary(asOf: "2025-06-01") { purchaseCount } }', "exposureSummary"),
        ("{ exchangeRates { currency } }", "exchangeRates"),
        ("{ penaltySchedules { version } }", "penaltySchedules"),
    ],
)
async def test_vendor_forbidden(
    client: httpx.AsyncClient, world: World, usd: None, query: Any, field: Any
) -> None:
    status, body = await gql(client, world.secrets["vendor"], query)
    assert status == 200 and (body["data"] or {}).get(field) is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


async def test_vendor_forbidden_purchase_exposure(
    client: httpx.AsyncClient, world: World, usd: None
) -> None:
    # given the vendor's own purchase, which it may see
    q = '{ purchase(id: "%s") { title exposure { conditionalMax } } }'
    status, body = await gql(
        client, world.secrets["vendor"], q % gid("Purchase", world.purchase_a_cn)
    )
    # then the purchase is there, its exposure is null and FORBIDDEN
    assert status == 200 and body["data"]["purchase"] == {"title": "Core routers", "exposure": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


@pytest.mark.parametrize("role", ["procurement", "legal", "reviewer", "auditor", "vendor"])
async def test_admin_mutations_refused(
    db: DatabaseUnderTest, client: httpx.AsyncClient, world: World, role: Any
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
        _v, seed = await exposure_reads.schedules_document(session, SYSTEM)
    document = orjson.dumps({"schedules": seed}).decode()
    attempts: list[tuple[str, dict[str, Any]]] = [
        (SET_RATE, {"input": RATE_INPUT}),
        (UPDATE, {"d": document}),
    ]
    for query, variables in attempts:
        status, body = await gql(client, world.secrets[role], query, variables)
        assert status == 200 and {e["extensions"]["code"] for e in body["errors"]} == {
            "FORBIDDEN"
        }, body
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_admin_updates_schedules_and_bad_document_reports_path(
    client: httpx.AsyncClient, world: World, usd: None
) -> None:
    admin = world.secrets["admin"]
    bad = await ok(client, admin, UPDATE, {"d": '{"schedules": [{"id": "x"}]}'})
    fields = {e["field"] for e in bad["updatePenaltySchedules"]["errors"]}
    assert (
        "document.schedules[0].law" in fields and bad["updatePenaltySchedules"]["version"] is None
    )
    seed = (await ok(client, admin, "{ penaltySchedules { version schedules } }"))[
        "penaltySchedules"
    ]
    good = await ok(client, admin, UPDATE, {"d": orjson.dumps(seed).decode()})
    assert good["updatePenaltySchedules"] == {"version": 1, "errors": []}
    s = (await ok(client, admin, SUMMARY))["exposureSummary"]
    assert (s["scheduleVersion"], s["conditionalMax"]) == (1, "21250035.50")


def dec(x: dict[str, str]) -> tuple[Decimal, Decimal]:
    return Decimal(x["min"]), Decimal(x["max"])


DEMO_LIST = """{ purchases(first: 100) { totalCount edges { node { id
  exposure(asOf: "2026-03-01") { total { min max } conditionalMax
    items { counted condition entity { min max } persons { min max } } } } } } }"""


async def test_demo_totals_reconcile(
    db: DatabaseUnderTest, client: httpx.AsyncClient, world: World, demo: str
) -> None:
    # given the demo data set next to the test world (the `demo` fixture loads it after the world)
    async with db.sessions() as session:
        await rates.set_exchange_rate(session, SYSTEM, "USD", "7.1", "2025-01-01", "t")
    admin = world.secrets["admin"]
    # when
    status, body = await gql(client, admin, DEMO_LIST)
    listed = body["data"]["purchases"]
    q = SUMMARY.replace('"2025-06-01"', '"2026-03-01"')
    s = (await ok(client, admin, q, {"top": 100}))["exposureSummary"]
    # then a purchase without exposure says why (cancelled, or contracted later) ...
    assert status == 200
    assert {(e["extensions"]["errors"][0]["field"], e["extensions"]["errors"][0]["code"])
            for e in body.get("errors", [])} <= {("status", "INVALID_STATE"), ("asOf", "OUT_OF_RANGE")}  # fmt: skip
    # ... each purchase total is the sum of its counted immediate items ...
    nodes = [e["node"] for e in listed["edges"] if e["node"]["exposure"] is not None]
    assert len(nodes) + len(body.get("errors", [])) == len(listed["edges"])
    assert listed["totalCount"] == len(listed["edges"]) and len(nodes) == s["purchaseCount"]
    for node in nodes:
        e = node["exposure"]
        counted = [i for i in e["items"] if i["counted"]]
        immediate = [i for i in counted if i["condition"] in ("IMMEDIATE", "OPTIONAL_AT_ONCE")]
        lo = sum(dec(i["entity"])[0] + sum(dec(p)[0] for p in i["persons"]) for i in immediate)
        hi = sum(dec(i["entity"])[1] + sum(dec(p)[1] for p in i["persons"]) for i in immediate)
        assert (lo, hi) == dec(e["total"]), node["id"]
    # ... and the summary total is exactly the sum of the per-purchase totals
    assert dec(s["total"]) == (
        sum(dec(n["exposure"]["total"])[0] for n in nodes),
        sum(dec(n["exposure"]["total"])[1] for n in nodes),
    )
    assert Decimal(s["conditionalMax"]) == sum(
        Decimal(n["exposure"]["conditionalMax"]) for n in nodes
    )
    assert Decimal(s["conditionalMax"]) > 0


LIST = """{ purchases(first: 10) { edges { node { title
  exposure(asOf: "2025-06-01") { total { min max } } } } } }"""
NO_USD_RATE = (
    "no exchange rate from USD to CNY in force on 2025-03-01; "
    "add a USD rate valid from 2025-03-01 or earlier"
)


async def test_missing_rate_fails_only_that_purchase_in_a_list(
    client: httpx.AsyncClient, world: World
) -> None:
    # given no USD rate: the batched exposures of a page keep the one-by-one errors
    # when an admin lists the purchases with their exposure
    status, body = await gql(client, world.secrets["admin"], LIST)
    # then only the USD purchase's exposure is null, with its own error at its own path
    zero = {"total": r("0.00", "0.00")}
    assert status == 200 and [e["node"] for e in body["data"]["purchases"]["edges"]] == [
        {"title": "Core routers", "exposure": zero},
        {"title": "Storage array", "exposure": None},
        {"title": "Branch switches", "exposure": zero},
    ]
    assert [(e["path"], e["message"], e["extensions"]) for e in body["errors"]] == [
        (
            ["purchases", "edges", 1, "node", "exposure"],
            f"currency: {NO_USD_RATE}",
            {
                "code": "BAD_USER_INPUT",
                "errors": [{"field": "currency", "message": NO_USD_RATE, "code": "NOT_FOUND"}],
            },
        )
    ]


BEFORE_CONTRACT = """query P($id: ID!) { purchase(id: $id) { contractDate contractPlanned
  exposure(asOf: "2025-02-28") { conditionalMax } } }"""


async def test_exposure_before_the_contract_date_says_why(
    client: httpx.AsyncClient, world: World, usd: None
) -> None:
    # given a purchase contracted on 2025-03-01 (before today, so not planned)
    # when its exposure is asked for the day before
    status, body = await gql(
        client,
        world.secrets["admin"],
        BEFORE_CONTRACT,
        {"id": gid("Purchase", world.purchase_a_cn)},
    )
    # then it is null with a reason naming both days, not a bare null
    assert status == 200 and body["data"]["purchase"] == {
        "contractDate": "2025-03-01", "contractPlanned": False, "exposure": None
    }  # fmt: skip
    [error] = body["errors"]
    assert error["path"] == ["purchase", "exposure"]
    assert error["extensions"]["errors"] == [
        {
            "field": "asOf",
            "message": f"2025-02-28 is before purchase {world.purchase_a_cn}'s contract date "
            "2025-03-01: no duty to review or to sign an agreement had been breached yet, so "
            "nothing is exposed; ask for a day on or after the contract date",
            "code": "OUT_OF_RANGE",
        }
    ]


UNPRICED = SUMMARY.replace("groups {", "unpriced { purchase { title } reason } groups {")


async def test_summary_lists_a_purchase_without_rate_as_unpriced_and_totals_the_rest(
    client: httpx.AsyncClient, world: World
) -> None:
    # given no USD rate, so the USD purchase (Storage array) cannot be priced
    # when an admin asks for the summary
    s = (await ok(client, world.secrets["admin"], UNPRICED))["exposureSummary"]
    # then the summary is answered: the two CNY purchases are totalled ...
    assert (s["purchaseCount"], s["total"], s["conditionalMax"]) == (
        2, r("0.00", "0.00"), "2200000.00"
    )  # fmt: skip
    assert s["groups"] == [
        {"key": "Huaxin Networks", "purchaseCount": 2, "total": r("0.00", "0.00"),
         "conditionalMax": "2200000.00"}
    ]  # fmt: skip
    # ... and the USD one is listed apart with the reason and what to record
    assert s["unpriced"] == [{"purchase": {"title": "Storage array"}, "reason": NO_USD_RATE}]
    # when the rate is recorded, the same purchase is priced and no longer listed
    await ok(client, world.secrets["admin"], SET_RATE, {"input": RATE_INPUT})
    s = (await ok(client, world.secrets["admin"], UNPRICED))["exposureSummary"]
    assert (s["purchaseCount"], s["unpriced"], s["conditionalMax"]) == (3, [], "21250035.50")


async def test_vendor_list_gets_one_forbidden_per_exposure(
    client: httpx.AsyncClient, world: World, usd: None
) -> None:
    # when the vendor lists its two purchases with their exposure
    status, body = await gql(client, world.secrets["vendor"], LIST)
    # then each exposure is null with its own FORBIDDEN error
    assert status == 200 and [e["node"] for e in body["data"]["purchases"]["edges"]] == [
        {"title": "Core routers", "exposure": None},
        {"title": "Branch switches", "exposure": None},
    ]
    assert [(e["path"], e["message"], e["extensions"]) for e in body["errors"]] == [
        (["purchases", "edges", i, "node", "exposure"], "role 'vendor' may not see the fines a purchase may expose the operator to",
         {"code": "FORBIDDEN"})
        for i in (0, 1)
    ]  # fmt: skip


async def test_a_future_contract_date_is_flagged_as_planned(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a purchase registered with a contract date after today (screened before buying)
    from procurement.clock import today_in_china

    planned = today_in_china().replace(year=today_in_china().year + 1, day=1)
    mutation = """mutation R($input: RegisterPurchaseInput!) { registerPurchase(input: $input) {
      purchase { contractDate contractPlanned exposure { conditionalMax } } errors { field } } }"""
    variables = {
        "input": {
            "vendorId": gid("Vendor", world.vendor_cn),
            "operatorId": gid("Operator", world.operator_a),
            "title": "Next year's routers",
            "category": "CORE_NETWORK_EQUIPMENT",
            "contractValue": {"amount": "100000", "currency": "CNY"},
            "taxIncluded": True,
            "contractDate": planned.isoformat(),
            "persons": [{"name": "Zhang", "role": "PERSON_IN_CHARGE"}],
        }
    }
    # when it is registered and read back with today's exposure
    status, body = await gql(client, world.secrets["admin"], mutation, variables)
    # then it is accepted, flagged as planned, and its exposure today says why there is none
    assert status == 200
    payload = body["data"]["registerPurchase"]
    assert payload["errors"] == []
    assert payload["purchase"] == {
        "contractDate": planned.isoformat(), "contractPlanned": True, "exposure": None
    }  # fmt: skip
    [error] = body["errors"]
    assert error["extensions"]["errors"][0]["field"] == "asOf"
    assert f"contract date {planned.isoformat()}" in error["message"]


NON_CII = """{ purchases(first: 100) { edges { node { title operator { isCiiOperator }
  exposure { total { min max } conditionalMax items { article } notes } } } } }"""


async def test_purchases_of_a_non_cii_operator_owe_no_cii_fine(
    client: httpx.AsyncClient, world: World, demo: str
) -> None:
    # given the demo data, whose Xijiang Water is not an identified CII operator
    # when an admin lists every purchase with its exposure
    status, body = await gql(client, world.secrets["admin"], NON_CII)
    nodes = [e["node"] for e in body["data"]["purchases"]["edges"]]
    plain = [n for n in nodes if not n["operator"]["isCiiOperator"]]
    # then each of its purchases shows no fine at all, and says why
    assert status == 200 and len(plain) == 2
    from procurement.exposure.binding import NOT_A_CII_OPERATOR

    assert [n["exposure"] for n in plain] == [
        {"total": r("0.00", "0.00"), "conditionalMax": "0.00", "items": [],
         "notes": [NOT_A_CII_OPERATOR]}
    ] * 2  # fmt: skip
