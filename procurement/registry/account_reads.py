"""Reads for the administration of people's accounts and their API tokens: a page of accounts
with when each last signed in, one account, and an account's tokens (never a secret: only the
hash is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Account, ApiToken, WebSession
from procurement.permissions import Action, Principal, require

MAX_TOKENS_SHOWN = 200  # a person holds a handful; the page says so when there are more


@dataclass(frozen=True, slots=True)
class AccountRow:
    account: Account
    last_sign_in: datetime | None  # the newest console session's start; None: never recorded


@dataclass(frozen=True, slots=True)
class AccountsPage:
    rows: list[AccountRow]
    total: int


async def accounts_page(
    session: AsyncSession, principal: Principal, offset: int, limit: int
) -> AccountsPage:
    """Accounts in the order they were created, ``limit`` of them from ``offset``."""
    require(principal, Action.MANAGE_ACCOUNTS)
    total = int(await session.scalar(select(func.count()).select_from(Account)) or 0)
    last = (
        select(WebSession.account_id, func.max(WebSession.created_at).label("last"))
        .group_by(WebSession.account_id)
        .subquery()
    )
    stmt = (
        select(Account, last.c.last)
        .outerjoin(last, last.c.account_id == Account.id)
        .order_by(Account.id)
        .offset(offset)
        .limit(limit)
    )
    rows = [AccountRow(account, when) for account, when in (await session.execute(stmt)).all()]
    return AccountsPage(rows=rows, total=total)


async def account_by_id(
    session: AsyncSession, principal: Principal, account_id: int
) -> AccountRow | None:
    require(principal, Action.MANAGE_ACCOUNTS)
    account = await session.get(Account, account_id)
    if account is None:
        return None
    last = await session.scalar(
        select(func.max(WebSession.created_at)).where(WebSession.account_id == account_id)
    )
    return AccountRow(account, last)


async def tokens_of_account(
    session: AsyncSession, principal: Principal, account_id: int
) -> list[ApiToken]:
    """The account's tokens, newest first (live and revoked: the history is useful)."""
    require(principal, Action.MANAGE_TOKENS)
    stmt = (
        select(ApiToken)
        .where(ApiToken.account_id == account_id)
        .order_by(ApiToken.id.desc())
        .limit(MAX_TOKENS_SHOWN)
    )
    return list(await session.scalars(stmt))
