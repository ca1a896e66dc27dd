"""Issue 9 over HTTP: updateOperator records the identification history (CII Regulations
Arts. 10-11), isCiiOperator follows it, a purchase contracted before the identification owes no
review and the agreement only once it is in use; markPurchaseUnderInvestigation and the
time-barred lines of Administrative Penalty Law Art. 36.

Test world: operator A registered as a CII operator without a date (an assumed period from
2017-06-01); A-CN and A-US contracted 2025-03-01, no agreement; A-US screened YES, never reviewed.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from procurement.clock import today_in_china
from procurement.models import AuditEvent
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import gid
from tests.support.world import World, gql, row_counts

UPDATE = """mutation U($id: ID!, $input: UpdateOperatorInput!) {
  updateOperator(id: $id, input: $input) {
    operator { name isCiiOperator version
      identificationHistory { identifiedOn endedOn assumed reference endReference current } }
    errors { field message code } } }"""
HISTORY = """query H($id: ID!) { node(id: $id) { ... on Operator { isCiiOperator version
  identificationHistory { identifiedOn endedOn assumed } } } }"""
EXPOSURE = """query E($id: ID!, $asOf: Date!) { purchase(id: $id) {
  exposure(asOf: $asOf) { total { min max } conditionalMax notes
    items { article actKind actDate counted timeBarred limitation notes } } } }"""
MARK = """mutation M($input: MarkPurchaseUnderInvestigationInput!) {
  markPurchaseUnderInvestigation(input: $input) {
    purchase { underInvestigationSince version } errors { field message code } } }"""


SET_RATE = """mutation R($input: SetExchangeRateInput!) { setExchangeRate(input: $input) {
  errors { field } } }"""
RATE_INPUT = {"currency": "USD", "rateToCny": "7.1", "validFrom": "2025-01-01", "source": "PBOC"}


@pytest.fixture
async def usd(client: httpx.AsyncClient, world: World) -> None:
    data = await ok(client, world.secrets["admin"], SET_RATE, {"input": RATE_INPUT})
    assert data["setExchangeRate"]["errors"] == []


async def ok(client: httpx.AsyncClient, secret: str, query: str, variables: Any) -> Any:
    status, body = await gql(client, secret, query, variables)
    assert status == 200 and "errors" not in body, body
    return body["data"]


async def update(client: httpx.AsyncClient, world: World, **fields: Any) -> Any:
    variables = {"id": gid("Operator", world.operator_a), "input": fields}
    return (await ok(client, world.secrets["admin"], UPDATE, variables))["updateOperator"]


async def test_identification_history_and_is_cii_operator(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given operator A with its assumed period
    before = await ok(
        client, world.secrets["admin"], HISTORY, {"id": gid("Operator", world.operator_a)}
    )
    assert before["node"] == {
        "isCiiOperator": True,
        "version": 1,
        "identificationHistory": [{"identifiedOn": "2017-06-01", "endedOn": None, "assumed": True}],
    }
    # when the admin records the notification date, then the notice that it no longer is one
    identified = await update(
        client, world, ciiIdentifiedOn="2025-04-01", identificationReference="粤公网认〔2025〕7号"
    )
    ended = await update(
        client, world, ciiEndedOn="2026-01-01", identificationReference="粤公网认〔2026〕2号",
        expectedVersion=2,
    )  # fmt: skip
    # then the assumed start is replaced, the period closed, and isCiiOperator follows (today,
    # after 2026-01-01, A is no CII operator)
    assert identified == {
        "operator": {
            "name": "Operator A",
            "isCiiOperator": True,
            "version": 2,
            "identificationHistory": [
                {"identifiedOn": "2025-04-01", "endedOn": None, "assumed": False,
                 "reference": "粤公网认〔2025〕7号", "endReference": None, "current": True}
            ],
        },
        "errors": [],
    }  # fmt: skip
    assert ended["operator"]["isCiiOperator"] is False
    assert ended["operator"]["version"] == 3
    assert ended["operator"]["identificationHistory"] == [
        {"identifiedOn": "2025-04-01", "endedOn": "2026-01-01", "assumed": False,
         "reference": "粤公网认〔2025〕7号", "endReference": "粤公网认〔2026〕2号", "current": False}
    ]  # fmt: skip
    # and each change is audited with the history before and after
    async with db.sessions() as session:
        events = list(
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "operator.updated")
                .order_by(AuditEvent.id)
            )
        )
    assert [e.object_id for e in events] == [world.operator_a, world.operator_a]
    assert events[0].before is not None and events[1].after is not None
    assert events[0].before["identification_history"] == [
        {"identified_on": "2017-06-01", "ended_on": None, "assumed": True, "reference": None,
         "end_reference": None}
    ]  # fmt: skip
    assert events[1].after["is_cii_operator"] is False


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"ciiEndedOn": "2099-01-01"},
            {"field": "ciiEndedOn", "code": "OUT_OF_RANGE",
             "message": "2099-01-01 is after today ({today}): record a notification once it "
                        "has been received"},
        ),
        (
            {"ciiIdentifiedOn": "2025-04-01", "ciiEndedOn": "2025-04-01"},
            {"field": "ciiEndedOn", "code": "OUT_OF_RANGE",
             "message": "2025-04-01 is not after the identification date 2025-04-01"},
        ),
        (
            {"name": "Renamed", "expectedVersion": 7},
            {"field": "expectedVersion", "code": "CONFLICT",
             "message": "the operator is at version 1, not 7: it was changed after it was read; "
                        "nothing was saved: reload it and try again"},
        ),
        (
            {"identificationReference": "No. 1"},
            {"field": "identificationReference", "code": "INVALID",
             "message": "is given without ciiIdentifiedOn or ciiEndedOn: a reference names a "
                        "notification"},
        ),
    ],
)  # fmt: skip
async def test_refused_changes_write_nothing(
    client: httpx.AsyncClient,
    db: DatabaseUnderTest,
    world: World,
    fields: dict[str, Any],
    error: dict[str, str],
) -> None:
    async with db.sessions() as session:
        counts = await row_counts(session)
    # when the admin sends a change the rules refuse
    payload = await update(client, world, **fields)
    # then the payload names the field, and nothing was written
    expected = {**error, "message": error["message"].format(today=today_in_china().isoformat())}
    assert payload == {"operator": None, "errors": [expected]}
    async with db.sessions() as session:
        assert await row_counts(session) == counts


async def test_a_purchase_before_identification_owes_the_agreement_once_in_use(
    client: httpx.AsyncClient, world: World, usd: None
) -> None:
    # given operator A notified of its identification on 2025-04-01, after A-US's contract
    await update(client, world, ciiIdentifiedOn="2025-04-01")
    admin = world.secrets["admin"]
    variables = {"id": gid("Purchase", world.purchase_a_us), "asOf": "2025-06-01"}
    # when A-US (screened YES, never reviewed, no agreement) is not in use
    idle = (await ok(client, admin, EXPOSURE, variables))["purchase"]["exposure"]
    # then it owes nothing, and says why
    assert idle["items"] == [] and idle["conditionalMax"] == "0.00"
    assert idle["notes"] == [
        "no fine exposure: contracted on 2025-03-01, before the operator was identified as a CII "
        "operator on 2025-04-01 (CII Regulations Art. 10), and not in use while it was one: no "
        "security review is owed retroactively (Art. 19), and no agreement (Art. 20) for a "
        "product not in use"
    ]
    # when it is put into use on 2025-05-01
    status, body = await gql(
        client, admin,
        "mutation($id: ID!) { recordPurchaseInUse(id: $id, inUseDate: \"2025-05-01\") "
        "{ errors { field } } }",
        {"id": variables["id"]},
    )  # fmt: skip
    assert (status, body) == (200, {"data": {"recordPurchaseInUse": {"errors": []}}})
    used = (await ok(client, admin, EXPOSURE, variables))["purchase"]["exposure"]
    # then only the agreement is owed, from the in-use date, with the basis on each line
    assert {(i["article"], i["actKind"], i["actDate"], i["counted"]) for i in used["items"]} == {
        ("39(9)", "NO_CONFIDENTIALITY_AGREEMENT", "2025-05-01", True),
        ("59", "NO_CONFIDENTIALITY_AGREEMENT", "2025-05-01", False),
    }
    assert all(i["notes"][0].startswith("contracted on 2025-03-01, before") for i in used["items"])
    assert all(i["timeBarred"] is False for i in used["items"])


async def test_time_barred_line_and_investigation(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World, usd: None
) -> None:
    # given A-US, screened YES, never reviewed nor used, contracted 2025-03-01: buying it
    # without the review ended that day; on 2027-06-01 two years have passed
    variables = {"id": gid("Purchase", world.purchase_a_us), "asOf": "2027-06-01"}
    admin = world.secrets["admin"]
    barred = (await ok(client, admin, EXPOSURE, variables))["purchase"]["exposure"]
    (art41,) = [i for i in barred["items"] if i["article"] == "41"]
    # then the Art. 41 line is time-barred, not counted, and cites APL Art. 36
    assert (art41["counted"], art41["timeBarred"]) == (False, True)
    assert art41["limitation"].startswith(
        "time-barred: the act ended on 2025-03-01 and, assuming it was not discovered, two "
        "years passed on 2027-03-01"
    )
    # and the missing agreement, which continues, still counts (the amended CSL Art. 61)
    agreement = [i for i in barred["items"] if i["actKind"] == "NO_CONFIDENTIALITY_AGREEMENT"]
    assert {i["article"] for i in agreement if i["counted"]} == {"61"}
    assert barred["total"] == {"min": "0.00", "max": "100000.00"}
    # when legal marks the purchase as under investigation since 2025-09-01
    marked = await ok(
        client, world.secrets["legal"], MARK,
        {"input": {"id": variables["id"], "since": "2025-09-01"}},
    )  # fmt: skip
    assert marked["markPurchaseUnderInvestigation"] == {
        "purchase": {"underInvestigationSince": "2025-09-01", "version": 2},
        "errors": [],
    }
    # then Art. 41 counts again: the act was discovered within the period
    again = (await ok(client, admin, EXPOSURE, variables))["purchase"]["exposure"]
    (art41,) = [i for i in again["items"] if i["article"] == "41"]
    assert (art41["counted"], art41["timeBarred"]) == (True, False)
    assert art41["limitation"] == (
        "not time-barred: under investigation since 2025-09-01, within two years of the act's "
        "end on 2025-03-01 (Administrative Penalty Law Art. 36)"
    )
    async with db.sessions() as session:
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "purchase.investigation_marked")
        )
    assert event is not None
    assert (event.object_id, event.before, event.after) == (
        world.purchase_a_us,
        {"under_investigation_since": None},
        {"under_investigation_since": "2025-09-01"},
    )


async def test_a_vendor_cannot_read_the_history_or_the_investigation(
    client: httpx.AsyncClient, world: World
) -> None:
    status, body = await gql(
        client, world.secrets["vendor"],
        "query($id: ID!) { purchase(id: $id) { title underInvestigationSince "
        "operator { identificationHistory { identifiedOn } } } }",
        {"id": gid("Purchase", world.purchase_a_cn)},
    )  # fmt: skip
    assert status == 200
    assert body["data"]["purchase"]["underInvestigationSince"] is None
    assert body["data"]["purchase"]["operator"]["identificationHistory"] is None
    assert sorted(e["extensions"]["code"] for e in body["errors"]) == ["FORBIDDEN", "FORBIDDEN"]


async def test_update_operator_records_the_chinese_name(
    client: httpx.AsyncClient, world: World
) -> None:
    # given operator A with no Chinese name
    query = """mutation U($id: ID!, $input: UpdateOperatorInput!) {
      updateOperator(id: $id, input: $input) { operator { nameZh version }
        errors { field message code } } }"""
    variables: dict[str, Any] = {"id": gid("Operator", world.operator_a)}
    # when an admin gives an English "Chinese name", then a Chinese one
    refused = await ok(
        client, world.secrets["admin"], query, variables | {"input": {"nameZh": "Grid Co"}}
    )
    accepted = await ok(
        client, world.secrets["admin"], query, variables | {"input": {"nameZh": "电网公司"}}
    )
    # then the first is refused on its field and changes nothing; the second is recorded
    assert refused["updateOperator"]["operator"] is None
    assert [(e["field"], e["code"]) for e in refused["updateOperator"]["errors"]] == [
        ("nameZh", "INVALID")
    ]
    assert accepted["updateOperator"] == {
        "operator": {"nameZh": "电网公司", "version": 2},
        "errors": [],
    }
