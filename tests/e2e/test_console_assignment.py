"""Assigning review cases to people from the console (issue 10): "assign to me" and "assign to"
on a case's page, the "assigned to me" filter of the queue, and the same assignment seen through
GraphQL by account and by token. Whoever may not assign is refused; a form without its CSRF
token, a stale form and an ineligible reviewer are refused; none of them changes anything."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from procurement.enums import Role
from procurement.models import Account, AuditEvent
from tests.support.accounts import form_csrf, make_account
from tests.support.console import EN, ZH, alert_text, buyer, reviewer, section, signed_in_as
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import ASSIGN, call, gid, open_case_id
from tests.support.world import World, gql, row_counts


async def _cases(db: DatabaseUnderTest, world: World) -> tuple[int, int]:
    async with db.sessions() as session:
        return (
            await open_case_id(session, world.purchase_a_cn),
            await open_case_id(session, world.purchase_a_us),
        )


async def _account(db: DatabaseUnderTest, login: str) -> int:
    async with db.sessions() as session:
        found = await session.scalar(select(Account.id).where(Account.login == login))
        assert found is not None
        return found


async def _post(
    client: httpx.AsyncClient, case_id: int, step: str, headers: dict[str, str] = EN, **data: str
) -> httpx.Response:
    """Post the case page's form of ``step`` with its CSRF token and version."""
    shown = await client.get(f"/console/reviews/{case_id}", headers=headers)
    form = re.search(rf'<form id="step-{step}".*?</form>', shown.text, re.S)
    assert form is not None, f"the page offers no {step} form"
    version = re.search(r'name="version" value="(\d+)"', form.group(0))
    assert version is not None
    fields = {"csrf": form_csrf(shown.text), "version": version.group(1), **data}
    return await client.post(f"/console/reviews/{case_id}/{step}", data=fields, headers=headers)


def _queue(page: str) -> list[tuple[str, str]]:
    """(case id, assigned name) of the queue's rows."""
    rows = re.findall(
        r'<td><a href="/console/reviews/(\d+)">.*?<td>([^<]*)</td>\s*</tr>', page, re.S
    )
    return [(case, name) for case, name in rows]


@pytest.mark.parametrize(("headers", "assigned"), [(EN, "Assigned to me"), (ZH, "分配给我的")])
async def test_a_reviewer_assigns_a_case_to_herself_and_finds_it_assigned_to_her(
    client: httpx.AsyncClient,
    db: DatabaseUnderTest,
    world: World,
    headers: dict[str, str],
    assigned: str,
) -> None:
    # given a reviewer of operator A signed in (no API token), and two open cases
    await reviewer(client, db, world)
    case_cn, case_us = await _cases(db, world)
    me = await _account(db, "reviewer")
    # when she assigns the router case to herself
    done = await _post(client, case_cn, "assign-me", headers)
    # then the case names her, no longer offers "assign to me", and the queue filter finds it
    assert (done.status_code, done.headers["location"]) == (
        303,
        f"/console/reviews/{case_cn}#timeline",
    )
    page = await client.get(f"/console/reviews/{case_cn}", headers=headers)
    assert re.search(r"<dd>Reviewer</dd>", page.text)
    assert 'id="step-assign-me"' not in page.text
    mine = await client.get("/console/reviews?mine=yes", headers=headers)
    assert f'<label for="mine">{assigned}</label>' in mine.text
    assert 'name="mine" type="checkbox" value="yes" checked' in mine.text
    assert _queue(mine.text) == [(str(case_cn), "Reviewer")]
    everyone = await client.get("/console/reviews", headers=headers)
    assert sorted(_queue(everyone.text)) == sorted([(str(case_cn), "Reviewer"), (str(case_us), "")])
    # and the assignment is audited with her account
    async with db.sessions() as session:
        event = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "review_case.assigned", AuditEvent.object_id == case_cn
            )
        )
    assert event is not None and event.after is not None
    assert (event.after["assigned_account_id"], event.after["assigned_name"]) == (me, "Reviewer")


async def test_assign_to_offers_the_operators_reviewers_and_the_assignee_sees_it_by_token(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given Rita, a reviewer of operator A with a token made for her, and Bob of operator B
    rita = await make_account(db, "rita", Role.REVIEWER, name="Rita", operator_id=world.operator_a)
    await make_account(db, "bob", Role.REVIEWER, name="Bob", operator_id=world.operator_b)
    async with db.sessions() as session:
        from procurement.permissions import SYSTEM
        from procurement.registry.actions import tokens

        _t, secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=None, name="rita CI", account_id=rita)
        )
    await reviewer(client, db, world)
    case_cn, _case_us = await _cases(db, world)
    # when the reviewer opens the case, then "assign to" offers operator A's reviewers only
    page = await client.get(f"/console/reviews/{case_cn}", headers=EN)
    options = re.findall(
        r'<option value="(\d*)"[^>]*>([^<]+)</option>', section(page.text, "assignment")
    )
    me = await _account(db, "reviewer")
    assert options == [("", "Nobody"), (str(me), "Reviewer"), (str(rita), "Rita")]
    # when she assigns the case to Rita
    assert (await _post(client, case_cn, "assign", account=str(rita))).status_code == 303
    # then Rita's token finds it assigned to her, named by her account
    status, body = await gql(
        client, secret,
        "{ pendingReviews(filter: {assignedToMe: true}) { edges { node { id assignedReviewer "
        "{ accountId tokenId name } } } } }",
    )  # fmt: skip
    assert status == 200
    assert body["data"]["pendingReviews"]["edges"] == [
        {"node": {"id": gid("ReviewCase", case_cn), "assignedReviewer": {
            "accountId": gid("Account", rita), "tokenId": None, "name": "Rita"}}}
    ]  # fmt: skip
    # when the admin's token unassigns it through "Nobody"'s GraphQL equivalent and assigns by
    # account, then the payload names the account
    payload = await call(
        client, world.secrets["admin"], ASSIGN, caseId=gid("ReviewCase", case_cn),
        reviewerAccountId=gid("Account", rita),
    )  # fmt: skip
    assert payload["errors"] == []
    # when "Nobody" is chosen on the page, then the case is unassigned
    assert (await _post(client, case_cn, "assign", account="")).status_code == 303
    page = await client.get(f"/console/reviews/{case_cn}", headers=EN)
    assert "<dt>Assigned to</dt><dd>Nobody yet</dd>" in page.text


async def test_an_ineligible_or_stale_assignment_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    bob = await make_account(db, "bob", Role.REVIEWER, name="Bob", operator_id=world.operator_b)
    await reviewer(client, db, world)
    case_cn, _case_us = await _cases(db, world)
    shown = await client.get(f"/console/reviews/{case_cn}", headers=EN)
    csrf = form_csrf(shown.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when operator B's reviewer is posted (not offered by the page)
    refused = await _post(client, case_cn, "assign", account=str(bob))
    # then it is refused with the reason
    assert refused.status_code == 422
    assert alert_text(refused.text) == (
        f"account {bob} is not an active reviewer of this case's operator (or an admin)"
    )
    # when a form made before a change is posted
    assert (await _post(client, case_cn, "assign-me")).status_code == 303
    async with db.sessions() as session:
        before = await row_counts(session)
    stale = await client.post(
        f"/console/reviews/{case_cn}/assign", data={"csrf": csrf, "version": "1", "account": ""},
        headers=ZH,
    )  # fmt: skip
    # then it is refused as a conflict, in the page's language
    assert stale.status_code == 409
    assert "此步骤已不可执行" in alert_text(stale.text)
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_who_may_not_assign_is_refused_and_a_form_without_csrf_changes_nothing(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    case_cn, _case_us = await _cases(db, world)
    # given procurement staff, who read cases but do not assign them
    await buyer(client, db, world)
    page = await client.get(f"/console/reviews/{case_cn}", headers=EN)
    assert page.status_code == 200 and 'id="assignment"' not in page.text
    async with db.sessions() as session:
        before = await row_counts(session)
    denied = await client.post(
        f"/console/reviews/{case_cn}/assign-me",
        data={"csrf": form_csrf(page.text), "version": "1"}, headers=EN,
    )  # fmt: skip
    assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.text
    # when a reviewer's form comes without its CSRF token
    client.cookies.clear()
    await signed_in_as(client, db, "rev", Role.REVIEWER, operator_id=world.operator_a)
    forged = await client.post(
        f"/console/reviews/{case_cn}/assign-me", data={"csrf": "forged", "version": "1"}
    )
    assert forged.status_code == 403
    # then nothing changed (beyond the reviewer's own account and session)
    async with db.sessions() as session:
        after = await row_counts(session)
    assert {
        k: v for k, v in after.items() if k not in ("accounts", "web_sessions", "audit_events")
    } == {k: v for k, v in before.items() if k not in ("accounts", "web_sessions", "audit_events")}
