"""DataLoaders, created per request: one scoped IN query per batch, results in key order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from graphene.utils.dataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements import reads as agreement_reads
from procurement.permissions import Principal
from procurement.registry import reads
from procurement.reviews import reads as review_reads
from procurement.sboms import reads as sbom_reads
from procurement.screening.actions import restrictions

if TYPE_CHECKING:
    from schema.context import RequestContext

V = TypeVar("V")
Fetch = Callable[[AsyncSession, Principal, Sequence[int]], Awaitable[dict[int, V]]]


class _ByIdLoader(DataLoader):
    """Batches keys into one call of ``fetch``; missing keys give ``default()``."""

    def __init__(self, ctx: RequestContext, fetch: Fetch[Any], default: Callable[[], Any]) -> None:
        super().__init__()
        self._ctx = ctx
        self._fetch = fetch
        self._default = default

    async def batch_load_fn(self, keys: list[int]) -> list[Any]:
        found = await self._ctx.call(self._fetch, sorted(set(keys)))
        return [found.get(key, self._default()) for key in keys]


class Loaders:
    """The request's loader set; new loaders for new relations are added here."""

    def __init__(self, ctx: RequestContext) -> None:
        none: Callable[[], None] = lambda: None  # noqa: E731
        self.operator_by_id: _ByIdLoader = _ByIdLoader(ctx, reads.operators_by_ids, none)
        self.vendor_by_id: _ByIdLoader = _ByIdLoader(ctx, reads.vendors_by_ids, none)
        self.purchase_by_id: _ByIdLoader = _ByIdLoader(ctx, reads.purchases_by_ids, none)
        self.cii_system_by_id: _ByIdLoader = _ByIdLoader(ctx, reads.cii_systems_by_ids, none)
        self.cii_systems_by_operator_id: _ByIdLoader = _ByIdLoader(
            ctx, reads.cii_systems_by_operator_ids, list
        )
        self.persons_by_purchase_id: _ByIdLoader = _ByIdLoader(
            ctx, reads.persons_by_purchase_ids, list
        )
        self.restrictions_by_vendor_id: _ByIdLoader = _ByIdLoader(
            ctx, reads.restrictions_by_vendor_ids, list
        )
        self.sbom_version_by_id: _ByIdLoader = _ByIdLoader(ctx, sbom_reads.versions_by_ids, none)
        self.sbom_series_by_id: _ByIdLoader = _ByIdLoader(ctx, sbom_reads.series_by_ids, none)
        self.sbom_history_by_series_id: _ByIdLoader = _ByIdLoader(
            ctx, sbom_reads.history_by_series_ids, list
        )
        self.sboms_by_purchase_id: _ByIdLoader = _ByIdLoader(
            ctx, sbom_reads.current_versions_by_purchase_ids, list
        )
        # Screening and reviews: each fetch checks READ_SCREENING/READ_REVIEWS (no vendors).
        self.screening_by_purchase_id: _ByIdLoader = _ByIdLoader(
            ctx, review_reads.screenings_by_purchase_ids, none
        )
        self.screening_history_by_purchase_id: _ByIdLoader = _ByIdLoader(
            ctx, review_reads.screening_history_by_purchase_ids, list
        )
        self.review_case_by_id: _ByIdLoader = _ByIdLoader(ctx, review_reads.cases_by_ids, none)
        self.review_case_by_purchase_id: _ByIdLoader = _ByIdLoader(
            ctx, review_reads.cases_by_purchase_ids, none
        )
        self.review_events_by_case_id: _ByIdLoader = _ByIdLoader(
            ctx, review_reads.events_by_case_ids, list
        )
        self.review_pauses_by_case_id: _ByIdLoader = _ByIdLoader(
            ctx, review_reads.pauses_by_case_ids, list
        )
        self.review_attachments_by_case_id: _ByIdLoader = _ByIdLoader(
            ctx, review_reads.attachments_by_case_ids, list
        )
        self.restriction_entries_by_list_id: _ByIdLoader = _ByIdLoader(
            ctx, restrictions.entries_by_list_ids, list
        )
        self._add_agreement_loaders(ctx, none)

    def _add_agreement_loaders(self, ctx: RequestContext, none: Callable[[], None]) -> None:
        a = agreement_reads
        self.agreement_by_id: _ByIdLoader = _ByIdLoader(ctx, a.agreements_by_ids, none)
        self.agreements_by_purchase_id: _ByIdLoader = _ByIdLoader(
            ctx, a.agreements_by_purchase_ids, list
        )
        self.agreement_template_by_id: _ByIdLoader = _ByIdLoader(ctx, a.templates_by_ids, none)
        self.obligations_by_agreement_id: _ByIdLoader = _ByIdLoader(
            ctx, a.obligations_by_agreement_ids, list
        )
        self.obligation_by_id: _ByIdLoader = _ByIdLoader(ctx, a.obligations_by_ids, none)
        self.checks_by_obligation_id: _ByIdLoader = _ByIdLoader(
            ctx, a.checks_by_obligation_ids, list
        )
        self.supervision_check_by_id: _ByIdLoader = _ByIdLoader(ctx, a.checks_by_ids, none)
