"""Loaders for review cases and their events, pauses and attachments (the reads check
READ_REVIEWS, so vendors are refused)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import ReviewAttachment, ReviewCase, ReviewEvent, ReviewPause
from procurement.permissions import Principal
from procurement.reviews import reads
from procurement.reviews.deadlines import CountingRules
from schema.core.dataloaders import DataLoader, ListLoader, ObjectLoader


class ReviewCaseByIdLoader(ObjectLoader[int, ReviewCase]):
    context_key = "review_case_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, ReviewCase]:
        return await reads.cases_by_ids(session, principal, keys)


class ReviewCaseByPurchaseIdLoader(ObjectLoader[int, ReviewCase]):
    """The purchase's open case, else its most recent one."""

    context_key = "review_case_by_purchase_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, ReviewCase]:
        return await reads.cases_by_purchase_ids(session, principal, keys)


class ReviewEventsByCaseIdLoader(ListLoader[int, ReviewEvent]):
    context_key = "review_events_by_case_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[ReviewEvent]]:
        return await reads.events_by_case_ids(session, principal, keys)


class ReviewPausesByCaseIdLoader(ListLoader[int, ReviewPause]):
    context_key = "review_pauses_by_case_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[ReviewPause]]:
        return await reads.pauses_by_case_ids(session, principal, keys)


class ReviewAttachmentsByCaseIdLoader(ListLoader[int, ReviewAttachment]):
    """Attachment metadata only: the file content is not loaded."""

    context_key = "review_attachments_by_case_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[ReviewAttachment]]:
        return await reads.attachments_by_case_ids(session, principal, keys)


class ReviewCountingRulesLoader(DataLoader[int, CountingRules]):
    """The holiday schedules and the Art. 15 reading, read once per request whatever the key
    (resolvers load key 0), so every deadline of one answer is counted the same way."""

    context_key = "review_counting_rules"

    async def batch_load(self, keys: Sequence[int]) -> Sequence[CountingRules | Exception]:
        rules = await self.ctx.call(reads.read_counting_rules)
        return [rules for _ in keys]
