"""Registering operators and their CII systems (admin only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.enums import Sector
from procurement.errors import ErrorCode
from procurement.models import CiiSystem, Operator
from procurement.permissions import Action, Principal, require
from procurement.validation import Checker


@dataclass(frozen=True, slots=True)
class CiiSystemInput:
    name: str
    description: str | None = None
    business_critical: bool = True
    name_zh: str | None = None  # the name in Chinese documents (agreements)


@dataclass(frozen=True, slots=True)
class OperatorInput:
    name: str
    credit_code: str
    sector: Sector | str
    is_cii_operator: bool
    address: str | None = None
    cii_systems: list[CiiSystemInput] = field(default_factory=list)
    name_zh: str | None = None  # the name in Chinese documents (agreements)


async def register_operator(
    session: AsyncSession, principal: Principal, data: OperatorInput
) -> Operator:
    require(principal, Action.MANAGE_OPERATORS)
    check = Checker()
    name = check.text("name", data.name, max_len=200)
    name_zh = check.chinese_text("nameZh", data.name_zh, max_len=200)
    credit_code = check.credit_code("creditCode", data.credit_code)
    sector = check.enum("sector", data.sector, Sector)
    address = check.text("address", data.address, max_len=300, required=False)
    seen: set[str] = set()
    systems: list[CiiSystem] = []
    for i, system in enumerate(data.cii_systems):
        system_name = check.text(f"ciiSystems.{i}.name", system.name, max_len=200)
        if system_name is not None and system_name in seen:
            check.fail(
                f"ciiSystems.{i}.name", f"'{system_name}' is listed twice", ErrorCode.DUPLICATE
            )
        elif system_name is not None:
            seen.add(system_name)
            systems.append(
                CiiSystem(
                    name=system_name,
                    name_zh=check.chinese_text(
                        f"ciiSystems.{i}.nameZh", system.name_zh, max_len=200
                    ),
                    description=check.text(
                        f"ciiSystems.{i}.description",
                        system.description,
                        max_len=2000,
                        required=False,
                    ),
                    business_critical=bool(system.business_critical),
                )
            )
    if credit_code is not None:
        taken = await session.scalar(select(Operator.id).where(Operator.credit_code == credit_code))
        if taken is not None:
            check.fail(
                "creditCode",
                f"an operator with credit code {credit_code} exists",
                ErrorCode.DUPLICATE,
            )
    check.done()
    assert name is not None and credit_code is not None and sector is not None

    operator = Operator(
        name=name,
        name_zh=name_zh,
        credit_code=credit_code,
        sector=sector,
        is_cii_operator=bool(data.is_cii_operator),
        address=address,
    )
    session.add(operator)
    await session.flush()
    for row in systems:
        row.operator_id = operator.id
        session.add(row)
    await session.flush()
    after = audit.snapshot(operator) | {"cii_systems": [audit.snapshot(s) for s in systems]}
    audit.record(
        session,
        principal,
        "operator.registered",
        "Operator",
        operator.id,
        operator_id=operator.id,
        after=after,
    )
    await session.commit()
    return operator
