"""GraphQL for notifications: own subscriptions for every role, team addresses for admins, the
write-only secret, kinds limited to what the role may read, the delivery log, test notices."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from sqlalchemy import select

from procurement.models import AuditEvent
from procurement.notifications.channels import ChannelConfig
from procurement.notifications.dispatcher import run_once
from procurement.notifications.sending import channel_sender
from procurement.settings import load_settings
from tests.support.databases import DatabaseUnderTest
from tests.support.http_receiver import Reply, http_receiver
from tests.support.reviews import gid
from tests.support.world import World, gql, row_counts

FIELDS = "id name kinds channel address hasSecret language mode warnWorkingDays active role"
CREATE = f"""mutation C($input: CreateNotificationSubscriptionInput!) {{
  createNotificationSubscription(input: $input) {{
    subscription {{ {FIELDS} }} errors {{ field message code }} }} }}"""
UPDATE = f"""mutation U($id: ID!, $input: UpdateNotificationSubscriptionInput!) {{
  updateNotificationSubscription(id: $id, input: $input) {{
    subscription {{ {FIELDS} }} errors {{ field message code }} }} }}"""
DELETE = """mutation D($id: ID!) { deleteNotificationSubscription(id: $id) {
  deletedId errors { field message code } } }"""
TEST = """mutation T($id: ID!) { sendTestNotification(id: $id) {
  delivery { status attemptCount } errors { field message code } } }"""
LIST = "{ notificationSubscriptions { totalCount edges { node { id name } } } }"
DELIVERIES = """{ notificationDeliveries(first: 10) { totalCount edges { node {
  kind status attemptCount subscription { name }
  attempts { number delivered statusCode detail } } } } }"""


def webhook(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Reviewers' hook",
        "kinds": ["REVIEW_CASE_CHANGED", "ADVISORY_HIT"],
        "channel": "WEBHOOK",
        "address": "https://hooks.example.cn/review",
        "secret": "s3cret-value",
        "language": "ZH_CN",
        "warnWorkingDays": 3,
    } | overrides


async def _call(
    client: httpx.AsyncClient, secret: str, query: str, **variables: Any
) -> dict[str, Any]:
    status, body = await gql(client, secret, query, variables)
    assert status == 200 and "errors" not in body, body
    data: dict[str, Any] = next(iter(body["data"].values()))
    return data


async def test_a_reviewer_manages_its_own_subscription_and_never_sees_the_secret(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    reviewer = world.secrets["reviewer"]
    # when the reviewer subscribes
    created = await _call(client, reviewer, CREATE, input=webhook())
    sub = created["subscription"]
    # then it is stored as given, the secret only as "set"
    assert created["errors"] == []
    assert {k: v for k, v in sub.items() if k != "id"} == {
        "name": "Reviewers' hook",
        "kinds": ["REVIEW_CASE_CHANGED", "ADVISORY_HIT"],
        "channel": "WEBHOOK",
        "address": "https://hooks.example.cn/review",
        "hasSecret": True,
        "language": "ZH_CN",
        "mode": "IMMEDIATE",
        "warnWorkingDays": 3,
        "active": True,
        "role": None,
    }
    # and the audit event says a secret is set without holding it
    async with db.sessions() as session:
        [event] = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "notification_subscription.created")
            )
        )
    assert event.after is not None and event.after["has_secret"] is True
    assert "s3cret-value" not in orjson.dumps(event.after).decode()
    # when it removes the secret and switches to a daily digest in English
    updated = await _call(
        client, reviewer, UPDATE, id=sub["id"],
        input={"secret": "", "mode": "DAILY_DIGEST", "language": "EN"},
    )  # fmt: skip
    assert (updated["subscription"]["hasSecret"], updated["subscription"]["mode"]) == (
        False,
        "DAILY_DIGEST",
    )
    # then only the reviewer and the admin list it; another account cannot touch it
    assert (await _call(client, reviewer, LIST))["totalCount"] == 1
    assert (await _call(client, world.secrets["admin"], LIST))["totalCount"] == 1
    assert (await _call(client, world.secrets["legal"], LIST))["totalCount"] == 0
    refused = await _call(client, world.secrets["legal"], DELETE, id=sub["id"])
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    # when the reviewer deletes it, it is gone from the list
    deleted = await _call(client, reviewer, DELETE, id=sub["id"])
    assert deleted == {"deletedId": sub["id"], "errors": []}
    assert (await _call(client, reviewer, LIST))["totalCount"] == 0


async def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a vendor asks for screening news at a malformed address, warning 99 days ahead
    payload = await _call(
        client,
        world.secrets["vendor"],
        CREATE,
        input=webhook(
            kinds=["SBOM_UPLOADED", "ADVISORY_HIT"], address="ftp://x", warnWorkingDays=99
        ),
    )
    # then every problem is named, and nothing changed
    assert payload["subscription"] is None
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("address", "INVALID"),
        ("kinds.1", "INVALID"),
        ("warnWorkingDays", "OUT_OF_RANGE"),
    ]
    assert [e["message"] for e in payload["errors"] if e["field"] == "kinds.1"] == [
        "role 'vendor' may not receive screening.advisory_hit notices"
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_team_addresses_are_for_admins(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    team = webhook(operatorId=gid("Operator", world.operator_a), role="REVIEWER")
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a reviewer tries to make one, it is forbidden and nothing changes
    status, body = await gql(client, world.secrets["reviewer"], CREATE, {"input": team})
    assert status == 200
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    async with db.sessions() as session:
        assert await row_counts(session) == before
    # when the admin makes it, it reads as the role given
    made = await _call(client, world.secrets["admin"], CREATE, input=team)
    assert (made["errors"], made["subscription"]["role"]) == ([], "REVIEWER")


async def test_a_test_notice_is_delivered_and_logged(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    config = ChannelConfig(timeout_seconds=5.0, trust_env=False)
    send = channel_sender(load_settings({}), config)
    with http_receiver(lambda _r: Reply(200, b"{}")) as receiver:
        # given the procurement user's webhook
        made = await _call(
            client, world.secrets["procurement"], CREATE,
            input=webhook(kinds=["SBOM_UPLOADED"], address=receiver.url + "/hook"),
        )  # fmt: skip
        # when a test notice is asked for and the dispatcher runs
        queued = await _call(
            client, world.secrets["procurement"], TEST, id=made["subscription"]["id"]
        )
        await run_once(db.sessions, send)
    # then it was queued, sent once, and the delivery log shows the attempt
    assert queued == {"delivery": {"status": "PENDING", "attemptCount": 0}, "errors": []}
    [request] = receiver.requests
    assert orjson.loads(request.body)["title"] == "测试通知"
    log = await _call(client, world.secrets["procurement"], DELIVERIES)
    assert log["totalCount"] == 1
    node = log["edges"][0]["node"]
    assert [(a["number"], a["delivered"], a["statusCode"]) for a in node.pop("attempts")] == [
        (1, True, 200)
    ]
    assert node == {
        "kind": "test",
        "status": "DELIVERED",
        "attemptCount": 1,
        "subscription": {"name": "Reviewers' hook"},
    }
    # and another account sees nothing of it
    assert (await _call(client, world.secrets["reviewer"], DELIVERIES))["totalCount"] == 0


async def test_a_refused_update_leaves_the_subscription_as_it_was(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    reviewer = world.secrets["reviewer"]
    made = (await _call(client, reviewer, CREATE, input=webhook()))["subscription"]
    async with db.sessions() as session:
        before = await row_counts(session)
    # when an update renames it but points the webhook at an email address
    refused = await _call(
        client, reviewer, UPDATE, id=made["id"], input={"name": "Renamed", "address": "a@b.cn"}
    )
    # then it is refused, and neither the name nor anything else changed
    assert refused == {
        "subscription": None,
        "errors": [{"field": "address", "message": "'a@b.cn' is not an http(s) URL",
                    "code": "INVALID"}],
    }  # fmt: skip
    listed = await _call(client, reviewer, LIST)
    assert [e["node"]["name"] for e in listed["edges"]] == ["Reviewers' hook"]
    async with db.sessions() as session:
        assert await row_counts(session) == before
