"""Registering operators and their CII systems, and recording their identification as CII
operators (admin only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from procurement import audit
from procurement.clock import today_in_china
from procurement.concurrency import at_version, check_expected_version, refuse_concurrent_change
from procurement.enums import Sector
from procurement.errors import ErrorCode, NotFound
from procurement.identification import (
    ASSUMED_START,
    CiiPeriod,
    change_history,
    is_cii_on,
)
from procurement.identification import TEMPLATES as IDENTIFICATION
from procurement.models import CiiSystem, Operator, OperatorIdentification
from procurement.permissions import Action, Principal, require
from procurement.registry.messages import ERRORS
from procurement.texts import Text
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
    # The day it was notified of its identification; None with is_cii_operator: not known, an
    # assumed period from ASSUMED_START stands in (procurement.identification).
    cii_identified_on: date | str | None = None
    identification_reference: str | None = None
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
            twice = Text("registry.operator.system_twice", {"name": system_name})
            check.fail(f"ciiSystems.{i}.name", twice, ErrorCode.DUPLICATE, ERRORS)
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
            exists = Text("registry.operator.credit_code_taken", {"code": credit_code})
            check.fail("creditCode", exists, ErrorCode.DUPLICATE, ERRORS)
    identified_on = check.date_value("ciiIdentifiedOn", data.cii_identified_on, required=False)
    reference = check.text(
        "identificationReference", data.identification_reference, max_len=300, required=False
    )
    today = today_in_china()
    if identified_on is not None and not data.is_cii_operator:
        check.fail("ciiIdentifiedOn", Text("registry.operator.not_cii", {}), templates=ERRORS)
    elif identified_on is not None and identified_on > today:
        days = {"day": identified_on.isoformat(), "today": today.isoformat()}
        future = Text("identification.future", days)
        check.fail("ciiIdentifiedOn", future, ErrorCode.OUT_OF_RANGE, IDENTIFICATION)
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
    periods: list[OperatorIdentification] = []
    if data.is_cii_operator:
        periods.append(
            OperatorIdentification(
                operator_id=operator.id,
                identified_on=identified_on or ASSUMED_START,
                assumed=identified_on is None,
                reference=reference,
            )
        )
        session.add_all(periods)
    await session.flush()
    after = _snapshot(operator, periods) | {"cii_systems": [audit.snapshot(s) for s in systems]}
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


def _snapshot(operator: Operator, periods: list[OperatorIdentification]) -> dict[str, Any]:
    # The row version is bookkeeping for concurrent changes, not a fact of the operator.
    return audit.snapshot(operator, exclude=frozenset({"version"})) | {
        "identification_history": [
            audit.snapshot(p, exclude=frozenset({"id", "operator_id", "recorded_at"}))
            for p in periods
        ]
    }


@dataclass(frozen=True, slots=True)
class OperatorChange:
    """What ``updateOperator`` may change; None leaves a field as it is."""

    name: str | None = None
    name_zh: str | None = None  # the name in Chinese documents (agreements)
    address: str | None = None
    # Notification of its identification as a CII operator (opens a period, or replaces the
    # assumed start of the open one); notification that it no longer is one (closes it).
    cii_identified_on: date | str | None = None
    cii_ended_on: date | str | None = None
    identification_reference: str | None = None


# Of two changes at the same moment, the later UPDATE finds the operator's version changed.
operator_change = refuse_concurrent_change(
    "operator", "operator_id", Operator.version, Operator.id, describe=at_version
)


@operator_change
async def update_operator(
    session: AsyncSession,
    principal: Principal,
    operator_id: int,
    change: OperatorChange,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Operator:
    """Change the operator's name or address, and record its identification history (CII
    Regulations Arts. 10-11). ``isCiiOperator`` follows the history as of today."""
    require(principal, Action.MANAGE_OPERATORS)
    operator = await session.get(Operator, operator_id)
    if operator is None:
        raise NotFound("id", "operator", operator_id)
    check_expected_version("operator", operator.version, expected_version)
    today = today or today_in_china()
    check = Checker()
    name = check.text("name", change.name, max_len=200, required=False)
    name_zh = check.chinese_text("nameZh", change.name_zh, max_len=200)
    address = check.text("address", change.address, max_len=300, required=False)
    identified_on = check.date_value("ciiIdentifiedOn", change.cii_identified_on, required=False)
    ended_on = check.date_value("ciiEndedOn", change.cii_ended_on, required=False)
    reference = check.text(
        "identificationReference", change.identification_reference, max_len=300, required=False
    )
    if reference is not None and identified_on is None and ended_on is None:
        alone = Text("registry.operator.reference_alone", {})
        check.fail("identificationReference", alone, templates=ERRORS)
    changes = (name, name_zh, address, identified_on, ended_on)
    if all(v is None for v in changes) and not check.errors:
        check.fail(None, Text("registry.no_changes", {}), ErrorCode.REQUIRED, ERRORS)
    rows = list(
        await session.scalars(
            select(OperatorIdentification)
            .where(OperatorIdentification.operator_id == operator_id)
            .order_by(OperatorIdentification.identified_on, OperatorIdentification.id)
        )
    )
    history = [CiiPeriod(r.identified_on, r.ended_on, r.assumed) for r in rows]
    if not rows and operator.is_cii_operator:  # recorded without history: assumed, as 0017 did
        history = [CiiPeriod(ASSUMED_START, None, True)]
    new_history = history
    if identified_on is not None or ended_on is not None:
        new_history, problems = change_history(
            history, identified_on=identified_on, ended_on=ended_on, today=today
        )
        check.errors.extend(problems)
    check.done()

    before = _snapshot(operator, rows)
    if name is not None:
        operator.name = name
    if name_zh is not None:
        operator.name_zh = name_zh
    if address is not None:
        operator.address = address
    rows = _apply_history(session, operator_id, rows, new_history, reference)
    # Always an UPDATE of the row: a change of the history alone also takes part in the version.
    operator.is_cii_operator = is_cii_on(new_history, today)
    flag_modified(operator, "is_cii_operator")
    await session.flush()
    audit.record(
        session,
        principal,
        "operator.updated",
        "Operator",
        operator.id,
        operator_id=operator.id,
        before=before,
        after=_snapshot(operator, rows),
    )
    await session.commit()
    return operator


def _apply_history(
    session: AsyncSession,
    operator_id: int,
    rows: list[OperatorIdentification],
    history: list[CiiPeriod],
    reference: str | None,
) -> list[OperatorIdentification]:
    """Rewrite the stored rows to ``history``: periods only ever change at the end (a new one,
    the open one closed, or the assumed start replaced), so rows are matched in order."""
    out: list[OperatorIdentification] = []
    for i, period in enumerate(history):
        row = rows[i] if i < len(rows) else None
        if row is None:
            row = OperatorIdentification(operator_id=operator_id)
            session.add(row)
        changed = (row.identified_on, row.ended_on, row.assumed) != (
            period.identified_on,
            period.ended_on,
            period.assumed,
        )
        if changed and reference is not None:
            # A period that only got its end keeps the notice it began with.
            if row.identified_on == period.identified_on and row.ended_on is None:
                row.end_reference = reference
            else:
                row.reference = reference
        if changed:
            row.identified_on, row.ended_on = period.identified_on, period.ended_on
            row.assumed = period.assumed
        out.append(row)
    return out
