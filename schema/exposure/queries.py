from __future__ import annotations

from datetime import date
from typing import Any

import graphene

from procurement.clock import today_in_china
from procurement.exposure import GroupBy, to_fen
from procurement.exposure import reads as service
from procurement.exposure.summary import GroupTotal, Unpriced
from schema.context import context_of
from schema.core.describe import enum_description
from schema.core.ids import parse_optional_global_id
from schema.core.scalars import JSON, Decimal
from schema.exposure.types import CnyRange, Exposure
from schema.purchases.loaders import PurchaseByIdLoader

GroupByEnum = graphene.Enum.from_enum(
    GroupBy,
    name="ExposureGroupBy",
    description=enum_description(
        "A dimension to group fine exposure by.",
        VENDOR="By vendor",
        CATEGORY="By purchase category (Review Measures Art. 21)",
        ARTICLE='By legal norm, keyed "<LAW> Art. <article>"',
    ),
)


class ExposureGroup(graphene.ObjectType):
    """The totals of one group of purchases"""

    key = graphene.String(required=True, description="Vendor name, category or law + article")
    purchase_count = graphene.Int(required=True, description="Purchases in the group")
    total = graphene.Field(
        CnyRange, required=True, description="Fines that can be imposed at once (CNY)"
    )
    conditional_max = graphene.Field(
        Decimal,
        required=True,
        description="Worst case if every condition occurs (CNY Decimal string)",
    )

    @staticmethod
    def resolve_key(root: GroupTotal, _info: Any) -> str:
        return " / ".join(root.key)

    @staticmethod
    def resolve_purchase_count(root: GroupTotal, _info: Any) -> int:
        return len(root.purchase_ids)

    @staticmethod
    def resolve_conditional_max(root: GroupTotal, _info: Any) -> Any:
        return to_fen(root.conditional_max)


class TopPurchase(graphene.ObjectType):
    """A purchase among those with the largest exposure"""

    purchase = graphene.Field(
        "schema.purchases.types.Purchase", required=True, description="The purchase"
    )
    exposure = graphene.Field(Exposure, required=True, description="Its exposure")

    @staticmethod
    async def resolve_purchase(root: Any, info: Any) -> Any:
        return await PurchaseByIdLoader(info).load(int(root.purchase_id))

    @staticmethod
    def resolve_exposure(root: Any, _info: Any) -> Any:
        return root


class UnpricedPurchase(graphene.ObjectType):
    """A purchase left out of the totals because its exposure cannot be computed."""

    purchase = graphene.Field(
        "schema.purchases.types.Purchase", required=True, description="The purchase"
    )
    reason = graphene.String(
        required=True, description="Why it cannot be priced, and what to record to price it"
    )

    @staticmethod
    async def resolve_purchase(root: Unpriced, info: Any) -> Any:
        return await PurchaseByIdLoader(info).load(root.purchase_id)


class ExposureSummary(graphene.ObjectType):
    """Fine exposure of many purchases, in CNY Decimal strings"""

    as_of = graphene.Date(required=True, description="The day it was assessed on")
    what_if = graphene.Boolean(
        required=True, description="True: as if pending reviews passed and agreements were signed"
    )
    schedule_version = graphene.Int(required=True, description="0 = the shipped schedules")
    purchase_count = graphene.Int(
        required=True, description="Purchases in the totals (unpriced ones are listed apart)"
    )
    total = graphene.Field(
        CnyRange, required=True, description="Fines that can be imposed at once, summed (CNY)"
    )
    conditional_max = graphene.Field(
        Decimal,
        required=True,
        description="Worst case if every condition occurs, summed (CNY Decimal string)",
    )
    groups = graphene.List(
        graphene.NonNull(ExposureGroup),
        required=True,
        description="Totals per group, worst case first",
    )
    top = graphene.List(
        graphene.NonNull(TopPurchase),
        required=True,
        description="The purchases with the largest exposure",
    )
    unpriced = graphene.List(
        graphene.NonNull(UnpricedPurchase),
        required=True,
        description="Purchases whose exposure cannot be computed, each with the reason; the "
        "totals cover the rest",
    )


class ExchangeRateType(graphene.ObjectType):
    """The CNY rate of a currency from a day on"""

    class Meta:
        name = "ExchangeRate"

    currency = graphene.String(required=True, description="ISO 4217 code")
    rate_to_cny = graphene.Field(
        Decimal, required=True, description="CNY per 1 unit, Decimal string"
    )
    valid_from = graphene.Date(required=True, description="The first day it applies (China time)")
    source = graphene.String(required=True, description="Where the rate comes from")


class PenaltySchedules(graphene.ObjectType):
    """The penalty figures the exposure is computed from"""

    version = graphene.Int(required=True, description="0 = the schedules shipped with the service")
    schedules = graphene.Field(JSON, required=True, description="The records, as JSON")


class ExposureQueries(graphene.ObjectType):
    exposure_summary = graphene.Field(
        ExposureSummary,
        required=True,
        operator_id=graphene.ID(description="Default: every operator the caller sees"),
        as_of=graphene.Date(description="Default: today in China"),
        group_by=graphene.Argument(
            graphene.NonNull(GroupByEnum),
            default_value=GroupBy.VENDOR.value,
            description="What to group the totals by",
        ),
        what_if=graphene.Boolean(
            required=True,
            default_value=False,
            description="As if pending reviews passed and agreements were signed",
        ),
        top=graphene.Int(
            required=True, default_value=10, description="How many purchases to list in top (0-100)"
        ),
        description=(
            "Fine exposure of the caller's purchases, totalled and grouped (not for vendors)"
        ),
    )
    exchange_rates = graphene.List(
        graphene.NonNull(ExchangeRateType),
        required=True,
        description="The recorded CNY exchange rates",
    )
    penalty_schedules = graphene.Field(
        PenaltySchedules, required=True, description="The penalty schedules in force"
    )

    @staticmethod
    async def resolve_exposure_summary(
        _root: Any,
        info: Any,
        operator_id: str | None = None,
        as_of: date | None = None,
        group_by: Any = GroupBy.VENDOR,
        what_if: bool = False,
        top: int = 10,
    ) -> ExposureSummary:
        ctx = context_of(info)
        operator = parse_optional_global_id(operator_id, "Operator", "operatorId")
        day = as_of or today_in_china()
        top = max(0, min(top, 100))
        run, summary = await ctx.call(
            service.summary, operator_id=operator, as_of=day, group_by=GroupBy(group_by),
            what_if=what_if, top_n=top,
        )  # fmt: skip
        return ExposureSummary(
            as_of=run.as_of,
            what_if=run.what_if,
            schedule_version=run.schedule_version,
            purchase_count=run.covered,
            total=summary.total,
            conditional_max=to_fen(summary.conditional_max),
            groups=list(summary.groups),
            top=list(summary.top),
            unpriced=list(summary.unpriced),
        )

    @staticmethod
    async def resolve_exchange_rates(_root: Any, info: Any) -> Any:
        return await context_of(info).call(service.exchange_rates)

    @staticmethod
    async def resolve_penalty_schedules(_root: Any, info: Any) -> PenaltySchedules:
        ctx = context_of(info)
        version, document = await ctx.call(service.schedules_document)
        return PenaltySchedules(version=version, schedules=document)
