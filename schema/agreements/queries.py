from __future__ import annotations

from typing import Any

import graphene

from procurement.agreements import reads as agreement_reads
from schema.agreements.loaders import AgreementByIdLoader
from schema.agreements.supervision_types import ObligationDueConnection
from schema.agreements.types import Agreement, AgreementTemplateConnection
from schema.context import context_of
from schema.core.ids import parse_global_id, parse_optional_global_id
from schema.core.pagination import connection, page_args
from schema.purchases.types import PurchaseConnection


class ObligationsDueFilterInput(graphene.InputObjectType):
    """Which obligations to list"""

    as_of = graphene.Date(description="The day to judge on; defaults to today in China")
    operator_id = graphene.ID(description="Only this Operator's (global ID)")
    purchase_id = graphene.ID(description="Only this Purchase's (global ID)")
    overdue = graphene.Boolean(description="Only overdue (true) or only not overdue (false)")
    failed = graphene.Boolean(description="Only failed (true) or only not failed (false)")


def _due_filter(raw: dict[str, Any] | None) -> agreement_reads.ObligationsDueFilter:
    raw = dict(raw or {})
    return agreement_reads.ObligationsDueFilter(
        as_of=raw.get("as_of"),
        operator_id=parse_optional_global_id(
            raw.get("operator_id"), "Operator", "filter.operatorId"
        ),
        purchase_id=parse_optional_global_id(
            raw.get("purchase_id"), "Purchase", "filter.purchaseId"
        ),
        overdue=raw.get("overdue"),
        failed=raw.get("failed"),
    )


class AgreementQueries(graphene.ObjectType):
    agreement = graphene.Field(
        Agreement,
        id=graphene.ID(required=True, description="The Agreement's global ID"),
        description="One agreement",
    )
    agreement_templates = graphene.Field(
        AgreementTemplateConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        template_id=graphene.String(description="Only this template id"),
        language=graphene.String(description="Only this language (zh or en)"),
        description="Template versions the caller may use (shared and its operator's)",
    )
    obligations_due = graphene.Field(
        ObligationDueConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        filter=ObligationsDueFilterInput(description="Which obligations to list"),
        description="Obligations of agreements in force that are overdue or failed",
    )
    purchases_without_agreement = graphene.Field(
        PurchaseConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        operator_id=graphene.ID(description="Only this Operator's purchases (global ID)"),
        description="Active purchases with no signed agreement (the Art. 39(9) exposure)",
    )

    @staticmethod
    async def resolve_agreement(_root: Any, info: Any, id: str) -> Any:
        pk = parse_global_id(id, "Agreement", "id")
        return await AgreementByIdLoader(info).load(pk)

    @staticmethod
    async def resolve_agreement_templates(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        template_id: str | None = None,
        language: str | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(
            agreement_reads.list_agreement_templates, after_id, limit, template_id, language
        )
        return connection(AgreementTemplateConnection, page, after)

    @staticmethod
    async def resolve_obligations_due(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        filter: dict[str, Any] | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(agreement_reads.obligations_due, _due_filter(filter), after_id, limit)
        return connection(ObligationDueConnection, page, after)

    @staticmethod
    async def resolve_purchases_without_agreement(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        operator_id: str | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        operator = parse_optional_global_id(operator_id, "Operator", "operatorId")
        page = await ctx.call(
            agreement_reads.purchases_without_agreement, operator, after_id, limit
        )
        return connection(PurchaseConnection, page, after)
