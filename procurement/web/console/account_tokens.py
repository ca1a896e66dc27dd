"""Admin: one account's page. Disable or enable it, sign it out of every browser, and its API
tokens: the list (name, prefix, dates; never the secret, of which only a hash is stored), a new
token (its secret shown on the answer to the POST only, never cached or shown again) and
revoking one. Each change goes through the registry's actions (permission, audit, one commit);
a repeated or stale action says that nothing changed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from procurement.errors import InputError, NotFound, PermissionDenied
from procurement.permissions import Action, Principal, can
from procurement.registry import account_reads
from procurement.registry.actions import accounts as account_actions
from procurement.registry.actions import tokens as token_actions
from procurement.web.auth import csrf_presented_ok
from procurement.web.console.accounts import choices, no_store
from procurement.web.console.common import (
    field_errors,
    gettext,
    not_allowed,
    not_found,
    number_param,
    page,
    person,
)
from procurement.web.signin_routes import refused

TOKEN_FIELDS = {"name": "name", "expiresInDays": "expiresInDays"}


async def _account_page(
    request: Request,
    account_id: int,
    *,
    form: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
    notice: str | None = None,
    secret: str | None = None,
    status: int = 200,
) -> Response:
    principal = person(request)
    if not can(principal, Action.MANAGE_ACCOUNTS):
        return not_allowed(request)
    async with request.app.state.sessions() as session:
        row = await account_reads.account_by_id(session, principal, account_id)
        tokens = (
            await account_reads.tokens_of_account(session, principal, account_id)
            if row is not None and can(principal, Action.MANAGE_TOKENS)
            else []
        )
    if row is None:
        return not_found(request)
    response = page(
        request,
        "console/account.html",
        {
            "row": row, "account": row.account, "tokens": tokens, "notice": notice,
            "may_tokens": can(principal, Action.MANAGE_TOKENS), "secret": secret,
            "form": dict(form or {"expiresInDays": "90"}), "errors": errors or {},
            "general": general or [], **(await choices(request)),
        },
        status_code=status,
    )  # fmt: skip
    return no_store(response) if secret is not None else response


async def account_page(request: Request) -> Response:
    account_id = number_param(request.path_params["account_id"])
    if account_id is None:
        return not_found(request)
    return await _account_page(request, account_id)


# An accounts action on one account: (session, principal, account id).
Change = Callable[[AsyncSession, Principal, int], Awaitable[Any]]


async def _change(
    request: Request, change: Change, already: Callable[[Any], bool], message: str
) -> Response:
    """Post ``change``; when ``already`` says the account is already so (a repeated or stale
    form), the page says ``message`` instead and nothing is written."""
    account_id = number_param(request.path_params["account_id"])
    if account_id is None:
        return not_found(request)
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
    principal = person(request)
    async with request.app.state.sessions() as session:
        try:
            row = await account_reads.account_by_id(session, principal, account_id)
            if row is None:
                return not_found(request)
            if already(row.account):
                return await _account_page(request, account_id, notice=message, status=409)
            await change(session, principal, account_id)
        except PermissionDenied:
            return not_allowed(request)
    return RedirectResponse(f"/console/admin/accounts/{account_id}", status_code=303)


async def disable_account(request: Request) -> Response:
    _ = gettext(request)
    return await _change(
        request,
        account_actions.disable_account,
        lambda a: a.disabled_at is not None,
        _("This account was already disabled; nothing changed."),
    )


async def enable_account(request: Request) -> Response:
    _ = gettext(request)
    return await _change(
        request,
        account_actions.enable_account,
        lambda a: a.disabled_at is None,
        _("This account was already active; nothing changed."),
    )


async def end_sessions(request: Request) -> Response:
    return await _change(request, account_actions.end_account_sessions, lambda _a: False, "")


def _days(text: str) -> int | None:
    """The lifetime typed; a value that is no whole number becomes -1, refused as out of
    range by the action (with its field)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 6 else -1


async def create_token(request: Request) -> Response:
    account_id = number_param(request.path_params["account_id"])
    if account_id is None:
        return not_found(request)
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
        values = {k: str(v) for k, v in form.items() if k != "csrf"}
    principal = person(request)
    data = token_actions.TokenInput(
        role=None,
        name=values.get("name", "").strip(),
        expires_in_days=_days(values.get("expiresInDays", "")),
        account_id=account_id,
    )
    async with request.app.state.sessions() as session:
        try:
            if await account_reads.account_by_id(session, principal, account_id) is None:
                return not_found(request)
            _token, secret = await token_actions.create_token(session, principal, data)
        except PermissionDenied:
            return not_allowed(request)
        except InputError as invalid:
            placed, general = field_errors(request, invalid.errors, TOKEN_FIELDS)
            return await _account_page(
                request, account_id, form=values, errors=placed, general=general, status=422
            )
    # The only answer that carries the secret; the page it links back to never shows it.
    return await _account_page(request, account_id, secret=secret)


async def revoke_token(request: Request) -> Response:
    account_id = number_param(request.path_params["account_id"])
    token_id = number_param(request.path_params["token_id"])
    if account_id is None or token_id is None:
        return not_found(request)
    async with request.form() as form:
        if not csrf_presented_ok(request, str(form.get("csrf") or "")):
            return refused(request)
    principal = person(request)
    _ = gettext(request)
    async with request.app.state.sessions() as session:
        try:
            tokens = await account_reads.tokens_of_account(session, principal, account_id)
            token = next((t for t in tokens if t.id == token_id), None)
            if token is None:
                return not_found(request)
            if token.revoked_at is not None:
                notice = _("This token was already revoked; nothing changed.")
                return await _account_page(request, account_id, notice=notice, status=409)
            await token_actions.revoke_token(session, principal, token_id)
        except PermissionDenied:
            return not_allowed(request)
        except NotFound:
            return not_found(request)
    return RedirectResponse(f"/console/admin/accounts/{account_id}#tokens", status_code=303)
