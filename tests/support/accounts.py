"""People's accounts for tests, and signing in over HTTP as a browser does."""

from __future__ import annotations

import re

import httpx

from procurement.enums import Role
from procurement.permissions import SYSTEM
from procurement.registry.actions import accounts
from tests.support.databases import DatabaseUnderTest

PASSWORD = "correct horse battery staple"


async def make_account(
    db: DatabaseUnderTest,
    login: str = "ada",
    role: Role = Role.ADMIN,
    *,
    name: str = "Ada Lovelace",
    operator_id: int | None = None,
    vendor_id: int | None = None,
) -> int:
    async with db.sessions() as session:
        account, _ = await accounts.create_account(
            session,
            SYSTEM,
            accounts.AccountInput(
                name=name,
                login=login,
                role=role,
                operator_id=operator_id,
                vendor_id=vendor_id,
                password=PASSWORD,
            ),
        )
        return account.id


def form_csrf(html: str) -> str:
    found = re.search(r'<input type="hidden" name="csrf" value="([^"]*)">', html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, login: str = "ada", password: str = PASSWORD
) -> httpx.Response:
    """Open the sign-in page and post its form (the client keeps the cookies)."""
    page = await client.get("/sign-in")
    assert page.status_code == 200
    return await client.post(
        "/sign-in",
        data={"csrf": form_csrf(page.text), "next": "/", "login": login, "password": password},
    )


async def page_csrf(client: httpx.AsyncClient, path: str = "/") -> str:
    """The CSRF token of a signed-in page's forms."""
    page = await client.get(path)
    assert page.status_code == 200, page.status_code
    return form_csrf(page.text)
