"""Penalty schedules: dated data, one record per (law, article, act kind, tier).

Figures live in ``seed_schedules.json`` (see :mod:`procurement.exposure.loader`), never in code,
because they change with the law (the 2025 Cybersecurity Law amendment in force 2026-01-01 is the
first example) and an administrator will edit them.

Periods are half-open: a schedule is in force on ``effective_from <= day < effective_to``;
``effective_to`` is *exclusive* and ``None`` means "until further notice". The amended CSL takes
effect 2026-01-01, so the 2016 text carries ``effective_to = 2026-01-01`` and 2025-12-31 is its
last day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Law(StrEnum):
    # Declaration order is the tie-break when two norms carry the same fine (see rules.py).
    CII_REGULATIONS_2021 = "CII_REGULATIONS_2021"
    CYBERSECURITY_LAW_2016 = "CYBERSECURITY_LAW_2016"
    CYBERSECURITY_LAW_2025_AMENDMENT = "CYBERSECURITY_LAW_2025_AMENDMENT"


class ActKind(StrEnum):
    PURCHASE_WITHOUT_REVIEW = "PURCHASE_WITHOUT_REVIEW"
    USE_WITHOUT_REVIEW = "USE_WITHOUT_REVIEW"
    NO_CONFIDENTIALITY_AGREEMENT = "NO_CONFIDENTIALITY_AGREEMENT"


class Condition(StrEnum):
    """When a tier applies. Declaration order is severity order."""

    IMMEDIATE = "IMMEDIATE"  # imposed at once, the fine (if any) is mandatory
    OPTIONAL_AT_ONCE = "OPTIONAL_AT_ONCE"  # at once, but the fine is discretionary (可以并处)
    IF_REFUSES_RECTIFICATION_OR_HARM = "IF_REFUSES_RECTIFICATION_OR_HARM"
    SERIOUS_HARM = "SERIOUS_HARM"
    ESPECIALLY_SERIOUS_HARM = "ESPECIALLY_SERIOUS_HARM"

    @property
    def is_immediate(self) -> bool:
        return self in _AT_ONCE

    @property
    def rank(self) -> int:
        return list(Condition).index(self)


_AT_ONCE = frozenset({Condition.IMMEDIATE, Condition.OPTIONAL_AT_ONCE})


class EntityBasis(StrEnum):
    NONE = "NONE"  # no fine on the operator in this tier (e.g. warning only)
    MULTIPLE_OF_PURCHASE_AMOUNT = "MULTIPLE_OF_PURCHASE_AMOUNT"  # min/max are factors
    FIXED_CNY = "FIXED_CNY"  # min/max are CNY


class PersonScope(StrEnum):
    PERSON_IN_CHARGE_ONLY = "PERSON_IN_CHARGE_ONLY"  # 直接负责的主管人员
    ALL_RESPONSIBLE = "ALL_RESPONSIBLE"  # ... 和其他直接责任人员


class Consequence(StrEnum):
    ORDER_TO_RECTIFY = "ORDER_TO_RECTIFY"
    WARNING = "WARNING"
    STOP_USE = "STOP_USE"


@dataclass(frozen=True, slots=True)
class PenaltySchedule:
    """One tier of one article. Construct freely; validate with ``loader.validate_schedules``.

    ``entity_min``/``entity_max`` are factors of the purchase amount when ``entity_basis`` is
    ``MULTIPLE_OF_PURCHASE_AMOUNT``, CNY when ``FIXED_CNY``, and ``None`` when ``NONE``.
    ``person_min``/``person_max``/``person_scope`` are all ``None`` when no person is fined.
    ``verified`` is false where LEGAL.md marks the figure unverified or it is not in LEGAL.md.
    """

    id: str
    law: Law
    article: str
    act_kind: ActKind
    condition: Condition
    effective_from: date
    effective_to: date | None  # exclusive
    entity_basis: EntityBasis
    entity_min: Decimal | None
    entity_max: Decimal | None
    person_min: Decimal | None
    person_max: Decimal | None
    person_scope: PersonScope | None
    consequences: tuple[Consequence, ...]
    source: str
    note: str = ""
    verified: bool = True

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    @property
    def norm(self) -> tuple[Law, str, ActKind]:
        """The provision this tier belongs to; tiers of one norm are alternatives."""
        return (self.law, self.article, self.act_kind)

    @property
    def label(self) -> str:
        return f"{self.law.value} Art. {self.article}"


def schedule_in_force(
    schedules: Iterable[PenaltySchedule], act_kind: ActKind, law: Law, on: date
) -> tuple[PenaltySchedule, ...]:
    """All tiers of ``law`` for ``act_kind`` in force on ``on``, mildest condition first.

    Empty when the law had no such penalty that day (e.g. the CII Regulations before 2021-09-01).
    """
    found = [s for s in schedules if s.act_kind is act_kind and s.law is law and s.in_force_on(on)]
    return tuple(sorted(found, key=lambda s: (s.article, s.condition.rank)))


def laws_in_force(
    schedules: Iterable[PenaltySchedule], act_kind: ActKind, on: date
) -> tuple[Law, ...]:
    """Laws with at least one tier for ``act_kind`` in force on ``on``, in :class:`Law` order."""
    present = {s.law for s in schedules if s.act_kind is act_kind and s.in_force_on(on)}
    return tuple(law for law in Law if law in present)
