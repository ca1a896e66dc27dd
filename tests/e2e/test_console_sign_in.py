"""Signing in to the console over HTTP: cookies, CSRF, throttling, the gate on pages, and the
session authenticating GraphQL through the same permission choke point as tokens."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from procurement.enums import Role
from procurement.models import AuditEvent, WebSession
from procurement.web.pages import CONTENT_SECURITY_POLICY
from tests.support.accounts import PASSWORD, form_csrf, make_account, page_csrf, sign_in
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, row_counts

ME = "{ me { name role tokenId } }"


def cookie_header(response: httpx.Response, name: str) -> str:
    found = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


async def _count(db: DatabaseUnderTest, model: type, **where: object) -> int:
    async with db.sessions() as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return int(await session.scalar(stmt) or 0)


async def test_signing_in_sets_a_strict_cookie_and_the_home_page_shows_the_person(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    # given an account, and the start page asked for before signing in
    await make_account(db, "ada")
    gate = await client.get("/explorer?lang=en")
    assert (gate.status_code, gate.headers["location"]) == (
        303,
        "/sign-in?next=%2Fexplorer%3Flang%3Den",
    )
    # when the person signs in
    response = await sign_in(client)
    # then they are sent home with an HttpOnly, SameSite=Lax session cookie (not Secure over HTTP)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = cookie_header(response, "procurement_session")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "Max-Age=43200" in cookie
    # and the home page says who is signed in, with which role, and offers signing out
    home = await client.get("/", headers={"accept-language": "en"})
    assert home.status_code == 200
    assert '<p id="who">Signed in as Ada Lovelace, role: Administrator.</p>' in home.text
    assert '<form class="sign-out" method="post" action="/sign-out">' in home.text
    assert home.headers["cache-control"] == "no-store"
    zh = await client.get("/", headers={"accept-language": "zh-CN"})
    assert '<p id="who">当前登录：Ada Lovelace，角色：管理员。</p>' in zh.text


async def test_over_https_the_cookie_is_secure(
    db: DatabaseUnderTest, client: httpx.AsyncClient
) -> None:
    await make_account(db, "ada")
    secure = httpx.AsyncClient(transport=client._transport, base_url="https://testserver")
    async with secure:
        page = await secure.get("/sign-in")
        assert "Secure" in cookie_header(page, "procurement_signin")
        response = await sign_in(secure)
    assert response.status_code == 303
    assert "; Secure" in cookie_header(response, "procurement_session")


async def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    await make_account(db, "ada")
    wrong = await sign_in(client, "ada", "not the password")
    unknown = await sign_in(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "procurement_session" not in response.headers.get("set-cookie", "")
    assert (
        '<p id="sign-in-message" class="message" role="alert">登录名或密码错误。</p>' in wrong.text
    )
    assert wrong.text.replace("ada", "nobody") == unknown.text.replace(
        form_csrf(unknown.text), form_csrf(wrong.text)
    )
    assert await _count(db, WebSession) == 0
    assert await _count(db, AuditEvent, action="signin.failed") == 2


async def test_a_sign_in_form_without_its_token_is_refused_and_signs_nobody_in(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    await make_account(db, "ada")
    await client.get("/sign-in")  # the nonce cookie is set
    forged = await client.post("/sign-in", data={"login": "ada", "password": PASSWORD, "csrf": "x"})
    missing = await client.post("/sign-in", data={"login": "ada", "password": PASSWORD})
    assert (forged.status_code, missing.status_code) == (403, 403)
    assert await _count(db, WebSession) == 0


async def test_failed_sign_ins_are_throttled_with_429_even_for_the_right_password(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    # given ten failed sign-ins for one login
    await make_account(db, "ada")
    for _ in range(10):
        assert (await sign_in(client, "ada", "guess guess guess")).status_code == 401
    # when the right password comes next
    response = await sign_in(client, "ada", PASSWORD)
    # then it is refused with 429, Retry-After and a message in the person's language
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 300
    assert "登录失败次数过多" in response.text
    assert await _count(db, WebSession) == 0
    assert await _count(db, AuditEvent, action="signin.throttled") == 1
    assert await _count(db, AuditEvent, action="signin.failed") == 10


async def test_signing_out_needs_the_pages_csrf_token(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    # given a signed-in person
    await make_account(db, "ada")
    await sign_in(client)
    csrf = await page_csrf(client)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a form posts to /sign-out without the token, or with a wrong one
    for data in ({}, {"csrf": "0" * 64}):
        refused = await client.post("/sign-out", data=data)
        # then it is refused with 403 and nothing changed: the person is still signed in
        assert refused.status_code == 403
        assert "因此未做任何更改" in refused.text
    async with db.sessions() as session:
        assert await row_counts(session) == before
    assert (await client.get("/")).status_code == 200
    # when the page's own sign-out form is posted
    out = await client.post("/sign-out", data={"csrf": csrf})
    # then the session ends, the cookie is cleared, and pages send the person to sign in
    assert (out.status_code, out.headers["location"]) == (303, "/sign-in")
    assert 'procurement_session=""' in cookie_header(out, "procurement_session")
    assert await _count(db, WebSession, revoked_at=None) == 0
    assert await _count(db, AuditEvent, action="session.ended") == 1
    assert (await client.get("/")).status_code == 303


async def test_a_stolen_cookie_stops_working_once_signed_out(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    await make_account(db, "ada")
    await sign_in(client)
    stolen = client.cookies["procurement_session"]
    await client.post("/sign-out", data={"csrf": await page_csrf(client)})
    client.cookies.set("procurement_session", stolen)
    replay = await client.get("/")
    assert replay.status_code == 303


async def test_public_paths_stay_public_and_next_never_leaves_the_site(
    client: httpx.AsyncClient, db: DatabaseUnderTest
) -> None:
    for path in ("/healthz", "/static/console.css", "/sign-in"):
        assert (await client.get(path)).status_code == 200, path
    page = await client.get("/sign-in?next=//evil.example/")
    assert '<input type="hidden" name="next" value="/">' in page.text
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


async def test_graphql_by_cookie_needs_the_csrf_header_and_then_obeys_the_role(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given an auditor of operator A signed in to the console
    await make_account(db, "aud", Role.AUDITOR, name="Audrey", operator_id=world.operator_a)
    await sign_in(client, "aud")
    csrf = await page_csrf(client)
    mutation = (
        'mutation { createAccount(input: {name: "Eve", login: "eve", role: ADMIN}) '
        "{ account { login } errors { code } } }"
    )
    async with db.sessions() as session:
        before = await row_counts(session)
    # when GraphQL is called with the cookie but without the header
    bare = await client.post("/graphql", json={"query": ME})
    forged = await client.post(
        "/graphql", json={"query": mutation}, headers={"x-csrf-token": "f" * 64}
    )
    # then both are refused with 403, and nothing changed
    assert bare.status_code == 403 and forged.status_code == 403
    assert forged.json() == {
        "errors": [
            {
                "message": "a request signed in with the console's cookie must carry its page's "
                "CSRF token (header X-CSRF-Token)"
            }
        ]
    }
    # when the page's token comes in the header
    me = await client.post("/graphql", json={"query": ME}, headers={"x-csrf-token": csrf})
    denied = await client.post("/graphql", json={"query": mutation}, headers={"x-csrf-token": csrf})
    # then the person is the caller, and the same choke point refuses an auditor's mutation
    assert me.json() == {"data": {"me": {"name": "Audrey", "role": "AUDITOR", "tokenId": None}}}
    assert denied.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_an_admin_manages_accounts_through_graphql_in_the_console(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    csrf = await page_csrf(console)
    headers = {"x-csrf-token": csrf}

    async def call(query: str) -> dict[str, object]:
        response = await console.post("/graphql", json={"query": query}, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    created = await call(
        'mutation { createAccount(input: {name: "Wang Fang", login: "wang", role: PROCUREMENT}) '
        "{ account { login role } password errors { field message code } } }"
    )
    assert created == {
        "data": {
            "createAccount": {
                "account": None,
                "password": None,
                "errors": [
                    {
                        "field": "operator",
                        "message": "a procurement account must belong to an operator",
                        "code": "REQUIRED",
                    }
                ],
            }
        }
    }
    listed = await call("{ accounts { login role disabledAt } }")
    assert listed == {"data": {"accounts": [{"login": "ada", "role": "ADMIN", "disabledAt": None}]}}
    revoked = await call('mutation { revokeAccountTokens(login: "ada") { count errors { code } } }')
    assert revoked == {"data": {"revokeAccountTokens": {"count": 0, "errors": []}}}
    missing = await call(
        'mutation { disableAccount(login: "zed") { account { login } errors { field code } } }'
    )
    assert missing == {
        "data": {
            "disableAccount": {"account": None, "errors": [{"field": "login", "code": "NOT_FOUND"}]}
        }
    }
    # an admin disabling their own account signs themselves out
    disabled = await call(
        'mutation { disableAccount(login: "ada") { account { login } errors { code } } }'
    )
    assert disabled == {"data": {"disableAccount": {"account": {"login": "ada"}, "errors": []}}}
    assert (await console.get("/")).status_code == 303


async def test_rest_uploads_by_cookie_need_the_csrf_header_too(
    console: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    # given a signed-in admin, whose browser sends the cookie with any request to the service
    async with db.sessions() as session:
        before = await row_counts(session)
    # when an upload comes with the cookie but without the page's CSRF token
    response = await console.post("/api/advisories/import?name=all.zip", content=b"{}")
    # then it is refused with 403 and nothing changed
    assert response.status_code == 403
    assert response.json()["error"].startswith("a request signed in with the console's cookie")
    async with db.sessions() as session:
        assert await row_counts(session) == before
