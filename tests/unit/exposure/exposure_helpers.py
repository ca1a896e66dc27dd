"""Builders shared by the exposure tests (imported by module name; no package needed)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from procurement.exposure import (
    ExchangeRate,
    PenaltySchedule,
    PurchaseExposure,
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    load_seed_schedules,
)

WANG = ResponsiblePerson("Wang", Role.PERSON_IN_CHARGE)
LI = ResponsiblePerson("Li", Role.OTHER_RESPONSIBLE)
RATES = (
    ExchangeRate("USD", Decimal("6.9"), date(2021, 1, 1), "test rate 2021"),
    ExchangeRate("USD", Decimal("7.1"), date(2025, 2, 28), "test rate 2025"),
    ExchangeRate("EUR", Decimal("7.8"), date(2021, 1, 1), "test rate EUR"),
)


@cache
def seed() -> tuple[PenaltySchedule, ...]:
    return load_seed_schedules()


def facts(**overrides: Any) -> PurchaseExposureFacts:
    """A clean purchase (nothing owed) unless overridden: CNY 1,000,000, 2025-06-01."""
    base = PurchaseExposureFacts(
        purchase_id="P1",
        title="Core routers",
        contract_value=Decimal("1000000.00"),
        currency="CNY",
        tax_included=True,
        contract_date=date(2025, 6, 1),
        in_use_date=None,
        may_affect_national_security=False,
        review_passed=False,
        review_failed=False,
        agreement_signed=True,
        persons=(WANG, LI),
    )
    return dataclasses.replace(base, **overrides)


def counted_ids(exposure: PurchaseExposure) -> list[str]:
    return [i.schedule_id for i in exposure.items if i.counted]


def not_counted_ids(exposure: PurchaseExposure) -> list[str]:
    return [i.schedule_id for i in exposure.items if not i.counted]


def walk(value: object) -> list[object]:
    """Every leaf value inside nested dataclasses/tuples (to check types, e.g. no float)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [leaf for f in dataclasses.fields(value) for leaf in walk(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [leaf for v in value for leaf in walk(v)]
    return [value]
