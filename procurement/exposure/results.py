"""What the calculator returns: plain frozen dataclasses, amounts as exact CNY Decimals.

Two totals, because most fines here depend on what happens next:

* ``total`` - the fines that can be imposed **at once, with no further condition**: the
  ``IMMEDIATE`` and ``OPTIONAL_AT_ONCE`` tiers of every counted norm. A warning-only tier adds
  CNY 0; a discretionary fine adds ``[0, max]``.
* ``conditional_max`` - the **worst case** if every condition occurs at its most serious tier:
  per counted norm the highest tier maximum (tiers of one norm are alternative outcomes of one
  penalty decision, not cumulative), summed over norms. Always ``>= total.max``.

Both include fines on individuals (``persons``) as well as on the operator (``entity``);
``entity_total``/``persons_total`` split the immediate total by who pays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from procurement.exposure.facts import Role
from procurement.exposure.money import ZERO, Range, add
from procurement.exposure.schedules import ActKind, Condition, Consequence, Law
from procurement.texts import Text


@cache
def label(law: Law, article: str) -> str:
    """A norm's label, "<LAW> Art. <article>" (asked for every item of every purchase)."""
    return f"{law.value} Art. {article}"


@dataclass(frozen=True, slots=True)
class PersonExposure:
    name: str
    role: Role
    range: Range


@dataclass(frozen=True, slots=True)
class ExposureItem:
    """One tier of one norm applied to one act of one purchase.

    ``counted`` is false when another norm covers the same act (APL Art. 29) or a later lighter
    rule replaced this one (APL Art. 37); such items are shown, never summed.
    """

    schedule_id: str
    law: Law
    article: str
    act_kind: ActKind
    condition: Condition
    act_date: date  # the date of the act this tier punishes
    entity: Range
    persons: tuple[PersonExposure, ...]
    consequences: tuple[Consequence, ...]
    counted: bool
    basis: str
    notes: tuple[str, ...]
    verified: bool = True
    # Administrative Penalty Law Art. 36: a time-barred item is shown, never counted; the text
    # says why (or why not), None when no assessment date was given.
    time_barred: bool = False
    limitation: str | None = None
    # ``basis`` as a message id and parameters (procurement/exposure/messages.py), for the
    # console's Chinese; None only where an item was built without one.
    basis_text: Text | None = field(default=None, compare=False)
    # Entity plus persons, computed once: the rules and summaries ask for it many times.
    _total: Range = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_total", self.entity + Range.total(p.range for p in self.persons))

    @property
    def label(self) -> str:
        return label(self.law, self.article)

    @property
    def immediate(self) -> bool:
        return self.condition.is_immediate

    @property
    def total(self) -> Range:
        return self._total

    @property
    def norm(self) -> tuple[Law, str, ActKind]:
        return (self.law, self.article, self.act_kind)


def immediate_total(items: Iterable[ExposureItem]) -> Range:
    """Counted fines that arise without further conditions."""
    return Range.total(i.total for i in items if i.counted and i.immediate)


def worst_case_by_norm(items: Iterable[ExposureItem]) -> dict[tuple[Law, str, ActKind], Decimal]:
    """Highest tier maximum of each counted norm (its tiers are alternatives)."""
    worst: dict[tuple[Law, str, ActKind], Decimal] = {}
    for item in items:
        if item.counted:
            worst[item.norm] = max(worst.get(item.norm, ZERO), item.total.max)
    return worst


def worst_case(items: Iterable[ExposureItem]) -> Decimal:
    return add(*worst_case_by_norm(items).values())


_ITEM_FIELDS = frozenset(ExposureItem.__slots__)


def evolve(item: ExposureItem, **changes: Any) -> ExposureItem:
    """``dataclasses.replace`` for changes that leave the amounts alone (notes, counted,
    limitation): copies the computed total instead of summing it again, as the calculator
    evolves every item several times (measured: a tenth of a cold exposure summary)."""
    if "entity" in changes or "persons" in changes:
        return replace(item, **changes)
    unknown = changes.keys() - _ITEM_FIELDS
    if unknown:
        raise TypeError(f"ExposureItem has no field {sorted(unknown)}")
    new = object.__new__(ExposureItem)
    for name in _ITEM_FIELDS:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(item, name))
    return new


@dataclass(frozen=True, slots=True)
class PurchaseExposure:
    purchase_id: str
    title: str
    vendor: str | None
    category: str | None
    amount_cny: Decimal  # the purchase amount basis, exact (unrounded)
    total: Range  # immediate, see module docstring
    conditional_max: Decimal  # worst case, see module docstring
    items: tuple[ExposureItem, ...]
    notes: tuple[str, ...] = ()

    @property
    def entity_total(self) -> Range:
        return Range.total(i.entity for i in self.items if i.counted and i.immediate)

    @property
    def persons_total(self) -> Range:
        return Range.total(
            p.range for i in self.items if i.counted and i.immediate for p in i.persons
        )


@dataclass(frozen=True, slots=True)
class ExposureRun:
    """Exposures of many purchases, with what they were computed from."""

    exposures: tuple[PurchaseExposure, ...]
    as_of: date
    schedule_version: int
    what_if: bool
    purchase_count: int = -1  # purchases covered; -1 means len(exposures)
    # The purchases' ids, in the order of ``exposures`` (whose ``purchase_id`` is the
    # calculator's string label of the same purchase).
    purchase_ids: tuple[int, ...] = ()

    @property
    def covered(self) -> int:
        return len(self.exposures) if self.purchase_count < 0 else self.purchase_count
