from __future__ import annotations

from typing import Any

import graphene

from procurement.clock import today_in_china
from procurement.reviews import reads as review_reads
from procurement.reviews.decisions import PendingReviewOrder
from procurement.reviews.state_machine import CaseState
from procurement.screening import Severity
from schema.context import context_of
from schema.core.ids import (
    decode_keyset_cursor,
    encode_keyset_cursor,
    parse_global_id,
    parse_optional_global_id,
)
from schema.core.pagination import cursor_connection, page_args
from schema.core.selection import selected_fields
from schema.purchases.loaders import prime_read_purchases
from schema.reviews.loaders import ReviewCaseByIdLoader
from schema.reviews.types import (
    CaseStateEnum,
    CaseView,
    PendingReviewConnection,
    PendingReviewOrderEnum,
    ReviewCase,
)
from schema.screening.types import SeverityEnum


class PendingReviewFilterInput(graphene.InputObjectType):
    """Which review cases to list (all conditions must hold)"""

    state = graphene.Field(CaseStateEnum, description="Default: every open state")
    min_severity = graphene.Field(SeverityEnum, description="Worst finding at least this severe")
    operator_id = graphene.ID(description="Only this Operator's (global ID)")
    vendor_id = graphene.ID(description="Only purchases from this Vendor (global ID)")
    overdue = graphene.Boolean(description="Due date before asOf (true) or not (false)")
    assigned_to_me = graphene.Boolean(description="Only cases assigned to the caller")
    provisional = graphene.Boolean(
        description="Due date counted through a year with no holiday schedule (true) or not"
    )


def _filter(raw: dict[str, Any] | None) -> review_reads.PendingFilter:
    raw = dict(raw or {})
    return review_reads.PendingFilter(
        state=CaseState(raw["state"]) if raw.get("state") is not None else None,
        min_severity=Severity(raw["min_severity"]) if raw.get("min_severity") is not None else None,
        operator_id=parse_optional_global_id(
            raw.get("operator_id"), "Operator", "filter.operatorId"
        ),
        vendor_id=parse_optional_global_id(raw.get("vendor_id"), "Vendor", "filter.vendorId"),
        overdue=raw.get("overdue"),
        assigned_to_me=raw.get("assigned_to_me"),
        provisional=raw.get("provisional"),
    )


class ReviewQueries(graphene.ObjectType):
    pending_reviews = graphene.Field(
        PendingReviewConnection,
        required=True,
        filter=PendingReviewFilterInput(description="Which cases to list"),
        order_by=graphene.Argument(
            graphene.NonNull(PendingReviewOrderEnum),
            default_value=PendingReviewOrder.DEADLINE,
            description="How to sort them",
        ),
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        as_of=graphene.Date(description="The day overdue is judged on (default: today in China)"),
        description="Review cases to work on, keyset-paginated; not for vendors",
    )
    review_case = graphene.Field(
        ReviewCase,
        id=graphene.ID(required=True, description="The ReviewCase's global ID"),
        description="One review case (not for vendors)",
    )

    @staticmethod
    async def resolve_pending_reviews(
        _root: Any,
        info: Any,
        filter: dict[str, Any] | None = None,
        order_by: PendingReviewOrder = PendingReviewOrder.DEADLINE,
        first: int | None = None,
        after: str | None = None,
        as_of: Any = None,
    ) -> Any:
        ctx = context_of(info)
        _ignored, limit = page_args(first, None, ctx.settings.max_page_size)
        day = as_of or today_in_china()
        order = PendingReviewOrder(order_by)
        position = decode_keyset_cursor(after, order.value, review_reads.SORT_KEY_TYPES[order])
        if "purchase" in selected_fields(info, "edges", "node"):  # read in the page's statement
            found = await ctx.call(
                review_reads.list_pending_reviews_with_purchases,
                _filter(filter), order, position, limit, day,
            )  # fmt: skip
            page = found.page
            await prime_read_purchases(
                info,
                [case.purchase_id for case in page.items],
                found.purchases,
                found.vendors,
                selected_fields(info, "edges", "node", "purchase"),
            )
        else:
            page = await ctx.call(
                review_reads.list_pending_reviews, _filter(filter), order, position, limit, day
            )
        return cursor_connection(
            PendingReviewConnection,
            page,
            after,
            cursor=lambda case: encode_keyset_cursor(
                order.value, *review_reads.case_key(case, order)
            ),
            node=lambda case: CaseView(case, day),
        )

    @staticmethod
    async def resolve_review_case(_root: Any, info: Any, id: str) -> CaseView | None:
        pk = parse_global_id(id, "ReviewCase", "id")
        case = await ReviewCaseByIdLoader(info).load(pk)
        return None if case is None else CaseView(case)
