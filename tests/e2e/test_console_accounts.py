"""Admin pages for people's accounts and their API tokens, through the ASGI app: the paged list,
creating an account (a generated password shown once), disabling and enabling, signing an
account out everywhere, and tokens whose secret appears only on the answer to the POST that
made it. A non-admin is refused and a form without its CSRF token is refused; neither changes
anything; a repeated action says that nothing changed."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from procurement.enums import Role
from procurement.models import Account, ApiToken, WebSession
from tests.support.accounts import PASSWORD, form_csrf, make_account, sign_in
from tests.support.console import EN, ZH, alert_text, field_error, nav_labels, reviewer, section
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql, row_counts

ACCOUNTS = "/console/admin/accounts"


async def _form_post(
    client: httpx.AsyncClient, page: str, action: str, headers: dict[str, str] = EN, **data: str
) -> httpx.Response:
    """Post a form of ``page`` with the page's CSRF token, as a browser does."""
    shown = await client.get(page, headers=headers)
    assert shown.status_code == 200, shown.status_code
    return await client.post(action, data={"csrf": form_csrf(shown.text), **data}, headers=headers)


async def _account_id(db: DatabaseUnderTest, login: str) -> int:
    async with db.sessions() as session:
        found = await session.scalar(select(Account.id).where(Account.login == login))
        assert found is not None
        return found


async def test_an_admin_creates_a_reviewer_whose_generated_password_is_shown_once(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given the accounts page with the admin's own account on it
    listed = await console.get(ACCOUNTS, headers=EN)
    assert listed.status_code == 200
    # (reached from the administration index, which the nav links to)
    assert "Administration" in nav_labels(listed.text)
    index = await console.get("/console/admin", headers=EN)
    assert '<a href="/console/admin/accounts">' in index.text
    assert '<p id="count" class="hint">1 accounts</p>' in listed.text
    # when the admin creates a reviewer of operator A with no password
    created = await _form_post(
        console, ACCOUNTS, ACCOUNTS, name="Rita Reviewer", login="Rita",
        role="reviewer", operator=str(world.operator_a), vendor="", password="",
    )  # fmt: skip
    # then the answer shows the generated password once and may not be cached
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    password = re.search(r'<code id="new-password">([^<]+)</code>', created.text)
    assert password is not None
    assert created.text.count(password.group(1)) == 1
    rita = await _account_id(db, "rita")
    cells = re.findall(r"<td>(.*?)</td>", section_row(created.text, rita), re.S)
    assert cells[1:5] == ["rita", "Security reviewer", "Operator A", "yes"]
    assert cells[5] == "Never"
    # and the list and the account's page never show it again
    for path in (ACCOUNTS, f"{ACCOUNTS}/{rita}"):
        again = await console.get(path, headers=EN)
        assert password.group(1) not in again.text
    # and Rita signs in with it
    console.cookies.clear()
    assert (await sign_in(console, "rita", password.group(1))).status_code == 303


def section_row(page: str, account_id: int) -> str:
    found = re.search(rf'<tr id="account-{account_id}">(.*?)</tr>', page, re.S)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("headers", "login_error", "operator_error"),
    [
        (
            EN,
            "2 to 80 characters: letters, digits, '.', '_', '@' or '-', starting with a letter "
            "or digit",
            "a reviewer account must belong to an operator",
        ),
        (
            ZH,
            "须为 2 至 80 个字符，只能包含字母、数字、“.”、“_”、“@”或“-”，并以字母或数字开头。",
            "审查人员账户必须属于一个运营者。",
        ),
    ],
)
async def test_each_error_of_the_account_form_is_shown_next_to_its_field(
    console: httpx.AsyncClient,
    db: DatabaseUnderTest,
    world: World,
    headers: dict[str, str],
    login_error: str,
    operator_error: str,
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the form comes with no name, a bad login and a reviewer with no operator
    refused = await _form_post(
        console, ACCOUNTS, ACCOUNTS, headers, name="", login="-x", role="reviewer",
        operator="", vendor="", password="",
    )  # fmt: skip
    # then each error is under its field, what was typed is kept, and nothing was saved
    assert refused.status_code == 422
    assert field_error(refused.text, "login") == login_error
    assert field_error(refused.text, "operator") == operator_error
    assert field_error(refused.text, "name") is not None
    assert 'name="login" type="text" value="-x"' in refused.text
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_token_secret_appears_only_on_the_answer_to_its_post_and_works_once_made(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given Rita's account
    rita = await make_account(db, "rita", Role.REVIEWER, name="Rita", operator_id=world.operator_a)
    page = f"{ACCOUNTS}/{rita}"
    # when the admin makes her a token that expires in 30 days
    made = await _form_post(console, page, f"{page}/tokens", name="rita's CI", expiresInDays="30")
    # then the secret is on the answer exactly once, which no cache may keep
    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    secret = re.search(r'<code id="new-secret">([^<]+)</code>', made.text)
    assert secret is not None
    assert made.text.count(secret.group(1)) == 1
    # and the token acts as Rita (her role, operator and account)
    status, body = await gql(console, secret.group(1), "{ me { name role accountId } }")
    assert (status, body["data"]["me"]["role"]) == (200, "REVIEWER")
    assert body["data"]["me"]["accountId"] is not None
    # and coming back to the page lists the token by its prefix, never its secret
    again = await console.get(page, headers=EN)
    assert secret.group(1) not in again.text and 'id="new-secret"' not in again.text
    tokens = section(again.text, "tokens")
    assert f"<code>{secret.group(1)[:12]}…</code>" in tokens
    assert "rita&#39;s CI" in tokens and "live" in tokens
    # and the same form posted again (a reload) is refused next to its field
    twice = await _form_post(console, page, f"{page}/tokens", name="rita's CI", expiresInDays="")
    assert twice.status_code == 422
    assert (
        field_error(twice.text, "name") == "this account already has a live token named 'rita's CI'"
    )
    async with db.sessions() as session:
        live = await session.scalars(select(ApiToken).where(ApiToken.account_id == rita))
        tokens_made = list(live)
    assert [t.name for t in tokens_made] == ["rita's CI"]
    # when the admin revokes it, then it stops working, and revoking again says so
    revoke = f"{page}/tokens/{tokens_made[0].id}/revoke"
    assert (await _form_post(console, page, revoke)).status_code == 303
    status, _body = await gql(console, secret.group(1), "{ me { name } }")
    assert status == 401
    repeated = await console.post(revoke, data={"csrf": form_csrf(again.text)}, headers=EN)
    assert repeated.status_code == 409
    assert alert_text(repeated.text) == "This token was already revoked; nothing changed."


async def test_disabling_signs_the_person_out_and_enabling_lets_them_back_in(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given Rita signed in on another browser
    rita = await make_account(db, "rita", Role.REVIEWER, name="Rita", operator_id=world.operator_a)
    admin_cookies = httpx.Cookies(console.cookies)
    console.cookies.clear()
    assert (await sign_in(console, "rita")).status_code == 303
    rita_cookies = httpx.Cookies(console.cookies)
    console.cookies = admin_cookies
    page = f"{ACCOUNTS}/{rita}"
    # when the admin disables her account
    assert (await _form_post(console, page, f"{page}/disable")).status_code == 303
    # then her browser is signed out, the page says disabled, and disabling again says so
    shown = await console.get(page, headers=EN)
    assert re.search(r'<dd id="active">no, disabled on [^<]+</dd>', shown.text)
    console.cookies = rita_cookies
    assert (await console.get("/console/reviews")).status_code == 303
    console.cookies = admin_cookies
    again = await console.post(f"{page}/disable", data={"csrf": form_csrf(shown.text)}, headers=EN)
    assert again.status_code == 409
    assert alert_text(again.text) == "This account was already disabled; nothing changed."
    # when the admin enables it, then she signs in again
    assert (await _form_post(console, page, f"{page}/enable")).status_code == 303
    # and enabling through GraphQL (the same action) changes nothing more
    status, body = await gql(
        console, world.secrets["admin"],
        'mutation { enableAccount(login: "rita") { account { login disabledAt } errors { code } } }',
    )  # fmt: skip
    assert (status, body) == (
        200,
        {
            "data": {
                "enableAccount": {"account": {"login": "rita", "disabledAt": None}, "errors": []}
            }
        },
    )
    console.cookies.clear()
    assert (await sign_in(console, "rita")).status_code == 303


async def test_signing_an_account_out_everywhere_ends_its_sessions(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    rita = await make_account(db, "rita", Role.REVIEWER, name="Rita", operator_id=world.operator_a)
    admin_cookies = httpx.Cookies(console.cookies)
    console.cookies.clear()
    assert (await sign_in(console, "rita")).status_code == 303
    console.cookies = admin_cookies
    page = f"{ACCOUNTS}/{rita}"
    ended = await _form_post(console, page, f"{page}/sessions/end")
    assert ended.status_code == 303
    async with db.sessions() as session:
        live = await session.scalars(
            select(WebSession).where(WebSession.account_id == rita, WebSession.revoked_at.is_(None))
        )
        assert list(live) == []
    # and the account page records her last sign-in
    shown = await console.get(page, headers=EN)
    assert "<dt>Last sign-in</dt><dd>Never</dd>" not in shown.text


async def test_a_non_admin_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a reviewer signed in, and an account of someone else
    await reviewer(client, db, world)
    target = await _account_id(db, "reviewer")
    home = await client.get("/", headers=EN)
    assert "Administration" not in nav_labels(home.text)
    csrf = form_csrf(home.text)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the reviewer opens the pages and posts every form
    assert (await client.get(ACCOUNTS, headers=EN)).status_code == 403
    assert (await client.get(f"{ACCOUNTS}/{target}", headers=EN)).status_code == 403
    posts = {
        ACCOUNTS: {"name": "X", "login": "xx", "role": "admin"},
        f"{ACCOUNTS}/{target}/disable": {},
        f"{ACCOUNTS}/{target}/sessions/end": {},
        f"{ACCOUNTS}/{target}/tokens": {"name": "mine"},
    }
    for path, data in posts.items():
        refused = await client.post(path, data={"csrf": csrf, **data}, headers=EN)
        # then each is refused
        assert refused.status_code == 403, path
        assert "<h1>Not allowed</h1>" in refused.text
    # and nothing changed
    async with db.sessions() as session:
        assert await row_counts(session) == before


@pytest.mark.parametrize("headers", [EN, ZH])
async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World, headers: dict[str, str]
) -> None:
    rita = await make_account(db, "rita", Role.REVIEWER, name="Rita", operator_id=world.operator_a)
    async with db.sessions() as session:
        before = await row_counts(session)
    posts = {
        ACCOUNTS: {"name": "X", "login": "xx", "role": "admin"},
        f"{ACCOUNTS}/{rita}/disable": {},
        f"{ACCOUNTS}/{rita}/tokens": {"name": "t"},
    }
    for path, data in posts.items():
        refused = await console.post(path, data={"csrf": "forged", **data}, headers=headers)
        assert refused.status_code == 403, path
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_the_list_is_paged(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given 26 accounts (the admin's and 25 more, stored directly: hashing is not the point)
    async with db.sessions() as session:
        for n in range(25):
            session.add(
                Account(name=f"Person {n:02d}", login=f"p{n:02d}", role=Role.AUDITOR,
                        operator_id=world.operator_a, password_hash="-")
            )  # fmt: skip
        await session.commit()
    # when opening the second page of 25
    second = await console.get(f"{ACCOUNTS}?page=2", headers=ZH)
    # then it holds the last account only, and says which page it is
    assert re.findall(r'<tr id="account-\d+">\s*<td><a [^>]*>([^<]+)</a>', second.text) == [
        "Person 24"
    ]
    assert "26" in second.text and PASSWORD not in second.text
