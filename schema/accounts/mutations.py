"""People's accounts over GraphQL (admin): create, disable, revoke their tokens, end their
sessions. Accounts are named by login, which is unique and what people know them by."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import graphene

from procurement.registry.actions import accounts as service
from procurement.registry.reads import list_accounts
from schema.context import context_of
from schema.core.enums import RoleEnum
from schema.core.ids import parse_optional_global_id, to_global_id
from schema.core.payload import errors_field, run


class Account(graphene.ObjectType):
    """A person who signs in to the console, with the same role and scope as a token."""

    id = graphene.ID(required=True, description="The Account's global ID")
    login = graphene.String(required=True, description="The login name")
    name = graphene.String(required=True, description="The person's name")
    role = graphene.Field(RoleEnum, required=True, description="What the account may do")
    operator_id = graphene.ID(description="The operator it belongs to (null for admins, vendors)")
    vendor_id = graphene.ID(description="The vendor it belongs to (vendor accounts)")
    oidc_identity = graphene.String(
        description="The OpenID Connect claim value that signs this person in, if any"
    )
    created_at = graphene.DateTime(required=True, description="When it was created")
    disabled_at = graphene.DateTime(description="When it was disabled; null while enabled")

    @staticmethod
    def resolve_id(root: Any, _info: Any) -> str:
        return to_global_id("Account", root.id)

    @staticmethod
    def resolve_operator_id(root: Any, _info: Any) -> str | None:
        return None if root.operator_id is None else to_global_id("Operator", root.operator_id)

    @staticmethod
    def resolve_vendor_id(root: Any, _info: Any) -> str | None:
        return None if root.vendor_id is None else to_global_id("Vendor", root.vendor_id)


class CreateAccountInput(graphene.InputObjectType):
    """A person's account to create"""

    name = graphene.String(required=True, description="The person's name")
    login = graphene.String(required=True, description="The login name")
    role = graphene.InputField(RoleEnum, required=True, description="What the account may do")
    operator_id = graphene.ID(description="The Operator it belongs to (global ID)")
    vendor_id = graphene.ID(description="The Vendor it belongs to (global ID; vendor accounts)")
    password = graphene.String(description="At least 12 characters; left out: one is generated")
    oidc_identity = graphene.String(
        description="The value of the configured OpenID Connect claim (e.g. the email)"
    )


class CreateAccountPayload(graphene.ObjectType):
    """The result of createAccount"""

    account = graphene.Field(Account, description="The account; null when errors is not empty")
    password = graphene.String(description="The generated password, shown only this once")
    errors = errors_field()


class CreateAccount(graphene.Mutation):
    """Create a person's account (admin); audited."""

    class Arguments:
        input = CreateAccountInput(required=True, description="The account to create")

    Output = CreateAccountPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            data = service.AccountInput(
                name=input["name"],
                login=input["login"],
                role=input["role"],
                operator_id=parse_optional_global_id(
                    input.get("operator_id"), "Operator", "operatorId"
                ),
                vendor_id=parse_optional_global_id(input.get("vendor_id"), "Vendor", "vendorId"),
                password=input.get("password"),
                oidc_identity=input.get("oidc_identity"),
            )
            return await ctx.call(service.create_account, data)

        payload = await run(CreateAccountPayload, "account", action)
        if payload.account is not None:
            payload.account, payload.password = payload.account
        return payload


async def _on_account(
    info: Any, login: str, act: Callable[..., Awaitable[Any]], payload: type, field: str
) -> Any:
    """Find the account by login, then run ``act`` on its id: both through the service, so an
    unknown login is a payload error like any other."""
    ctx = context_of(info)

    async def action() -> Any:
        found = await ctx.call(service.find_account_by_login, login)
        return await ctx.call(act, found.id)

    return await run(payload, field, action)


class AccountPayload(graphene.ObjectType):
    """The result of an account mutation"""

    account = graphene.Field(Account, description="The account; null when errors is not empty")
    errors = errors_field()


class DisableAccount(graphene.Mutation):
    """Disable an account (admin): its sessions end and its API tokens are revoked at once."""

    class Arguments:
        login = graphene.String(required=True, description="The account's login")

    Output = AccountPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, login: str) -> Any:
        return await _on_account(info, login, service.disable_account, AccountPayload, "account")


class EnableAccount(graphene.Mutation):
    """Let a disabled account sign in again (admin); its revoked tokens stay revoked."""

    class Arguments:
        login = graphene.String(required=True, description="The account's login")

    Output = AccountPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, login: str) -> Any:
        return await _on_account(info, login, service.enable_account, AccountPayload, "account")


class CountPayload(graphene.ObjectType):
    """How many things a mutation changed"""

    count = graphene.Int(description="How many were revoked or ended")
    errors = errors_field()


class RevokeAccountTokens(graphene.Mutation):
    """Revoke every API token of an account at once (admin); audited."""

    class Arguments:
        login = graphene.String(required=True, description="The account's login")

    Output = CountPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, login: str) -> Any:
        return await _on_account(info, login, service.revoke_account_tokens, CountPayload, "count")


class EndAccountSessions(graphene.Mutation):
    """Sign an account out of every browser (admin); audited."""

    class Arguments:
        login = graphene.String(required=True, description="The account's login")

    Output = CountPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, login: str) -> Any:
        return await _on_account(info, login, service.end_account_sessions, CountPayload, "count")


class AccountMutations(graphene.ObjectType):
    create_account = CreateAccount.Field()
    disable_account = DisableAccount.Field()
    enable_account = EnableAccount.Field()
    revoke_account_tokens = RevokeAccountTokens.Field()
    end_account_sessions = EndAccountSessions.Field()


class AccountListQueries(graphene.ObjectType):
    accounts = graphene.List(
        graphene.NonNull(Account),
        required=True,
        description="People's accounts, oldest first (admin)",
    )

    @staticmethod
    async def resolve_accounts(_root: Any, info: Any) -> Any:
        return await context_of(info).call(list_accounts)
