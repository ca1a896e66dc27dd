"""Loaders for Article 20 agreements, their templates, obligations and supervision checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.agreements import reads
from procurement.models import (
    Agreement,
    AgreementObligation,
    AgreementTemplate,
    SupervisionCheck,
)
from procurement.permissions import Principal
from schema.core.dataloaders import ListLoader, ObjectLoader


class AgreementByIdLoader(ObjectLoader[int, Agreement]):
    context_key = "agreement_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, Agreement]:
        return await reads.agreements_by_ids(session, principal, keys)


class AgreementsByPurchaseIdLoader(ListLoader[int, Agreement]):
    context_key = "agreements_by_purchase_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[Agreement]]:
        return await reads.agreements_by_purchase_ids(session, principal, keys)


class AgreementTemplateByIdLoader(ObjectLoader[int, AgreementTemplate]):
    context_key = "agreement_template_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, AgreementTemplate]:
        return await reads.templates_by_ids(session, principal, keys)


class ObligationByIdLoader(ObjectLoader[int, AgreementObligation]):
    context_key = "obligation_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, AgreementObligation]:
        return await reads.obligations_by_ids(session, principal, keys)


class ObligationsByAgreementIdLoader(ListLoader[int, AgreementObligation]):
    context_key = "obligations_by_agreement_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[AgreementObligation]]:
        return await reads.obligations_by_agreement_ids(session, principal, keys)


class SupervisionCheckByIdLoader(ObjectLoader[int, SupervisionCheck]):
    context_key = "supervision_check_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, SupervisionCheck]:
        return await reads.checks_by_ids(session, principal, keys)


class SupervisionChecksByObligationIdLoader(ListLoader[int, SupervisionCheck]):
    context_key = "supervision_checks_by_obligation_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[SupervisionCheck]]:
        return await reads.checks_by_obligation_ids(session, principal, keys)
