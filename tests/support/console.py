"""Signing people in to the console over HTTP, and reading the console's pages in tests."""

from __future__ import annotations

import html
import re

import httpx

from procurement.enums import Role
from tests.support.accounts import make_account, page_csrf, sign_in
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World

EN = {"accept-language": "en"}
ZH = {"accept-language": "zh-CN"}


async def signed_in_as(
    client: httpx.AsyncClient,
    db: DatabaseUnderTest,
    login: str,
    role: Role,
    *,
    operator_id: int | None = None,
    vendor_id: int | None = None,
) -> None:
    """Create the account and sign in with it (the client forgets whoever was signed in)."""
    client.cookies.clear()
    await make_account(
        db, login, role, name=login.title(), operator_id=operator_id, vendor_id=vendor_id
    )
    response = await sign_in(client, login)
    assert response.status_code == 303, response.text


async def buyer(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    """Procurement staff of operator A."""
    await signed_in_as(client, db, "buyer", Role.PROCUREMENT, operator_id=world.operator_a)


async def huaxin(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    """The vendor Huaxin Networks (supplies operators A and B)."""
    await signed_in_as(client, db, "huaxin", Role.VENDOR, vendor_id=world.vendor_cn)


async def northwind(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    """The vendor Northwind Storage."""
    await signed_in_as(client, db, "northwind", Role.VENDOR, vendor_id=world.vendor_us)


async def reviewer(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    """A security reviewer of operator A."""
    await signed_in_as(client, db, "reviewer", Role.REVIEWER, operator_id=world.operator_a)


async def reviewer_b(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    """A security reviewer of operator B."""
    await signed_in_as(client, db, "reviewer_b", Role.REVIEWER, operator_id=world.operator_b)


async def lawyer(client: httpx.AsyncClient, db: DatabaseUnderTest, world: World) -> None:
    """Legal staff of operator A."""
    await signed_in_as(client, db, "lawyer", Role.LEGAL, operator_id=world.operator_a)


def section(page: str, anchor: str) -> str:
    """The HTML of the page's ``<section id="anchor">``."""
    start = page.index(f'<section id="{anchor}"')
    return page[start : page.index("</section>", start)]


def alert_text(page: str) -> str:
    """The text of the page's alert (its problems), tags removed."""
    found = re.search(r'<div id="problems" class="message" role="alert">(.*?)</div>', page, re.S)
    assert found is not None, "the page shows no problem"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def register_titles(page: str) -> list[str]:
    """The purchase titles of the register's rows, in order."""
    return [
        html.unescape(t)
        for t in re.findall(r'<td><a href="/console/purchases/\d+">([^<]*)</a></td>', page)
    ]


def nav_labels(page: str) -> list[str]:
    found = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S)
    return [] if found is None else re.findall(r">([^<]+)</a>", found.group(1))


def field_error(page: str, field: str) -> str | None:
    """The error shown under a form field, or None."""
    anchor = field.replace(".", "-")
    found = re.search(rf'<p class="field-error" id="{re.escape(anchor)}-error">([^<]*)</p>', page)
    return None if found is None else html.unescape(found.group(1))


__all__ = ["EN", "ZH", "page_csrf"]
