"""Loaders for operators and their CII systems (scoped to the operators a principal may see)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import CiiSystem, Operator, OperatorIdentification
from procurement.permissions import Principal
from procurement.registry import reads
from schema.core.dataloaders import ListLoader, ObjectLoader


class OperatorByIdLoader(ObjectLoader[int, Operator]):
    context_key = "operator_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, Operator]:
        return await reads.operators_by_ids(session, principal, keys)


class CiiSystemByIdLoader(ObjectLoader[int, CiiSystem]):
    context_key = "cii_system_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, CiiSystem]:
        return await reads.cii_systems_by_ids(session, principal, keys)


class CiiSystemsByOperatorIdLoader(ListLoader[int, CiiSystem]):
    context_key = "cii_systems_by_operator_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[CiiSystem]]:
        return await reads.cii_systems_by_operator_ids(session, principal, keys)


class IdentificationsByOperatorIdLoader(ListLoader[int, OperatorIdentification]):
    context_key = "identifications_by_operator_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[OperatorIdentification]]:
        return await reads.identifications_by_operator_ids(session, principal, keys)
