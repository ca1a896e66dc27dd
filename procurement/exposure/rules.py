"""Which norm counts when several could punish one act (Administrative Penalty Law).

* APL Art. 29 - one act that breaks several norms carrying fines is fined once, under the norm
  with the higher fine (:func:`pick_highest`).
* APL Art. 37 - the rule in force when the act occurred applies, unless a rule in force when the
  case is decided is lighter (:func:`is_lighter`, :func:`resolve`).

Tiered norms are compared on three measures for the concrete purchase (its amount and persons):
worst case, immediate maximum, immediate minimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from procurement.exposure.money import ZERO, Range
from procurement.exposure.results import ExposureItem, label
from procurement.exposure.schedules import ActKind, Law


@dataclass(frozen=True, slots=True)
class NormExposure:
    """All tiers of one provision, applied to one act of one purchase."""

    law: Law
    article: str
    act_kind: ActKind
    act_date: date
    items: tuple[ExposureItem, ...]
    # Computed once: every comparison of norms (Arts. 29 and 37) asks for them.
    _immediate: Range = field(init=False, repr=False, compare=False)
    _worst_case: Decimal = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_immediate", Range.total(i.total for i in self.items if i.immediate)
        )
        object.__setattr__(
            self, "_worst_case", max((i.total.max for i in self.items), default=ZERO)
        )

    @property
    def label(self) -> str:
        return label(self.law, self.article)

    @property
    def schedule_ids(self) -> tuple[str, ...]:
        return tuple(i.schedule_id for i in self.items)

    @property
    def immediate(self) -> Range:
        return self._immediate

    @property
    def worst_case(self) -> Decimal:
        return self._worst_case

    @property
    def fine_key(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self._worst_case, self._immediate.max, self._immediate.min)


def pick_highest(norms: Sequence[NormExposure]) -> NormExposure | None:
    """APL Art. 29: the norm with the higher fine (compared by :attr:`NormExposure.fine_key`).

    On a full tie the first listed wins; callers list CII Regulations before the CSL and the
    purchase before the use, so the more specific norm is shown as counted. The amount is the
    same either way.
    """
    best: NormExposure | None = None
    for norm in norms:
        if best is None or norm.fine_key > best.fine_key:
            best = norm
    return best


def is_lighter(candidate: NormExposure, baseline: NormExposure) -> bool:
    """APL Art. 37: is ``candidate`` lighter than ``baseline`` for this purchase?

    Lighter means heavier on no measure (immediate min, immediate max, worst case) and lower on
    at least one. A rule lower on one measure and higher on another is *not* lighter, so the law
    at the act date stays (conservative; the note on the item says so). Non-monetary
    consequences are not compared.
    """
    pairs = [
        (candidate.immediate.min, baseline.immediate.min),
        (candidate.immediate.max, baseline.immediate.max),
        (candidate.worst_case, baseline.worst_case),
    ]
    return all(c <= b for c, b in pairs) and any(c < b for c, b in pairs)


@dataclass(frozen=True, slots=True)
class Resolution:
    counted: NormExposure | None
    not_counted: tuple[tuple[NormExposure, str], ...]  # with the reason shown to the user
    note: str | None  # added to the counted norm's items


def resolve(at_act: Sequence[NormExposure], later: Sequence[NormExposure]) -> Resolution:
    """Picks the counted norm for one act (APL Art. 29) and applies a lighter later rule (37).

    ``at_act``: norms in force when the act occurred; ``later``: norms in force on the
    assessment date (empty if none was given). No norm at the act date means no fine, even if a
    later rule would punish the act: a heavier later rule never reaches back.
    """
    baseline = pick_highest(at_act)
    if baseline is None:
        return Resolution(None, (), None)
    not_counted = [
        (
            norm,
            f"not counted: the same act is punishable under {baseline.label} with "
            f"{'an equal' if norm.fine_key == baseline.fine_key else 'a higher'} fine; "
            "one act is not fined twice (Administrative Penalty Law Art. 29)",
        )
        for norm in at_act
        if norm is not baseline
    ]
    newer = pick_highest(later)
    if newer is None or newer.schedule_ids == baseline.schedule_ids:
        return Resolution(baseline, tuple(not_counted), None)
    if is_lighter(newer, baseline):
        not_counted.append(
            (
                baseline,
                f"not counted: the later rule {newer.label} is lighter and applies "
                "(Administrative Penalty Law Art. 37)",
            )
        )
        note = (
            f"applied as the lighter later rule; the law when the act occurred was "
            f"{baseline.label} (Administrative Penalty Law Art. 37)"
        )
        return Resolution(newer, tuple(not_counted), note)
    note = (
        f"{newer.label}, in force on the assessment date, is not lighter; the law when the act "
        "occurred applies (Administrative Penalty Law Art. 37)"
    )
    return Resolution(baseline, tuple(not_counted), note)
