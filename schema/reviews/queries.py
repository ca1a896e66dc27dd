from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.clock import today_in_china
from procurement.reviews import reads as review_reads
from procurement.reviews.decisions import PendingReviewOrder
from procurement.reviews.state_machine import CaseState
from procurement.screening import Severity
from schema.context import context_of
from schema.core.ids import parse_global_id
from schema.core.pagination import page_args
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
    state = graphene.Field(CaseStateEnum, description="Default: every open state")
    min_severity = graphene.Field(SeverityEnum, description="Worst finding at least this severe")
    operator_id = graphene.ID()
    vendor_id = graphene.ID()
    overdue = graphene.Boolean(description="Due date before asOf (true) or not (false)")
    assigned_to_me = graphene.Boolean()


def _filter(raw: dict[str, Any] | None) -> review_reads.PendingFilter:
    raw = dict(raw or {})
    return review_reads.PendingFilter(
        state=CaseState(raw["state"]) if raw.get("state") is not None else None,
        min_severity=Severity(raw["min_severity"]) if raw.get("min_severity") is not None else None,
        operator_id=parse_global_id(raw["operator_id"], "Operator", "filter.operatorId")
        if raw.get("operator_id") is not None
        else None,
        vendor_id=parse_global_id(raw["vendor_id"], "Vendor", "filter.vendorId")
        if raw.get("vendor_id") is not None
        else None,
        overdue=raw.get("overdue"),
        assigned_to_me=raw.get("assigned_to_me"),
    )


class ReviewQueries(graphene.ObjectType):
    pending_reviews = graphene.Field(
        PendingReviewConnection,
        required=True,
        filter=PendingReviewFilterInput(),
        order_by=graphene.Argument(
            PendingReviewOrderEnum, default_value=PendingReviewOrder.DEADLINE
        ),
        first=graphene.Int(),
        after=graphene.String(),
        as_of=graphene.Date(description="The day overdue is judged on (default: today in China)"),
        description="Review cases to work on, keyset-paginated; not for vendors",
    )
    review_case = graphene.Field(ReviewCase, id=graphene.ID(required=True))

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
        page = await ctx.call(
            review_reads.list_pending_reviews, _filter(filter), order, after, limit, day
        )
        edges = [
            PendingReviewConnection.Edge(node=CaseView(case, day), cursor=cursor)
            for case, cursor in zip(page.items, page.cursors, strict=True)
        ]
        return PendingReviewConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total_count,
        )

    @staticmethod
    async def resolve_review_case(_root: Any, info: Any, id: str) -> CaseView | None:
        pk = parse_global_id(id, "ReviewCase", "id")
        case = await ReviewCaseByIdLoader(info).load(pk)
        return None if case is None else CaseView(case)
