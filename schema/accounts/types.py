from __future__ import annotations

from typing import Any

import graphene

from procurement.permissions import Principal
from schema.context import context_of
from schema.core.enums import RoleEnum
from schema.core.ids import to_global_id
from schema.operators.loaders import OperatorByIdLoader
from schema.operators.types import Operator
from schema.vendors.loaders import VendorByIdLoader
from schema.vendors.types import Vendor


class Me(graphene.ObjectType):
    """The caller: the token's name, role and what it is bound to."""

    name = graphene.String(required=True, description="The token's or account's name")
    role = graphene.Field(RoleEnum, required=True, description="The caller's role")
    token_id = graphene.Int(description="Null for the local command line (e.g. assignReviewer)")
    account_id = graphene.ID(
        description="The caller's account (assignReviewer's reviewerAccountId); null for a "
        "machine's token and the local command line"
    )
    operator = graphene.Field(Operator, description="The operator the caller belongs to, if any")
    vendor = graphene.Field(Vendor, description="The vendor the caller belongs to (vendor role)")

    @staticmethod
    def resolve_account_id(root: Principal, _info: Any) -> str | None:
        return None if root.account_id is None else to_global_id("Account", root.account_id)

    @staticmethod
    async def resolve_operator(root: Principal, info: Any) -> Any:
        if root.operator_id is None:
            return None
        return await OperatorByIdLoader(info).load(root.operator_id)

    @staticmethod
    async def resolve_vendor(root: Principal, info: Any) -> Any:
        if root.vendor_id is None:
            return None
        return await VendorByIdLoader(info).load(root.vendor_id)


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(Me, required=True, description="The caller")

    @staticmethod
    def resolve_me(_root: Any, info: Any) -> Principal:
        return context_of(info).principal
