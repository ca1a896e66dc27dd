"""A purchase's digest (procurement.exposure.summary.PurchaseDigest) without building its items:
what the exposure cache computes for thousands of purchases on a cold summary.

``digest(assess_purchase(facts, explain=False))`` depends on the purchase amount only through
each tier's entity fine (factor x amount) and the comparisons of norms that follow (APL Arts. 29
and 37). Everything else (whether the duties bind, which acts, which provisions judge them on
which day, the time bar, the persons in scope) is a function of the facts without the amount,
the names and the labels: the *shape*. A :class:`Plan` is that part, computed once per shape
with the calculator's own functions (``bind``, ``purchase_acts``, ``act_norms``, the provisions
in force); :meth:`Plan.digest` then applies an amount with the same Decimal operations, in the
same order, as the items, norms and digest would (``Range.total``, ``Range.__add__``, ``max``
from zero per norm, ``money.add``), so every figure is the same value with the same exponent.
tests/unit/exposure/test_exposure_digest_plan.py checks it against the calculator.

Pure: plain values in and out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from procurement.errors import InputError
from procurement.exposure.binding import bind

# The calculator's own helpers, so that a plan judges exactly as an assessment does.
from procurement.exposure.calculator import (
    act_norms,
    persons_in_scope,
    provisions_in_force,
    purchase_acts,
)
from procurement.exposure.currency import CNY, ExchangeRate, rate_in_force
from procurement.exposure.facts import (
    PurchaseExposureFacts,
    ResponsiblePerson,
    plainly_valid,
    review_pending,
    validate_facts,
    what_if_compliant,
    what_if_differs,
)
from procurement.exposure.limitation import limitation
from procurement.exposure.money import EXACT, ZERO, Range, mul
from procurement.exposure.results import label
from procurement.exposure.schedules import (
    ActKind,
    Condition,
    EntityBasis,
    Law,
    PenaltySchedule,
)
from procurement.exposure.summary import PurchaseDigest

_NONE, _MULTIPLE, _FIXED = 0, 1, 2
_exact_add = EXACT.add
_exact_mul = EXACT.multiply


@dataclass(frozen=True, slots=True)
class _Tier:
    """One tier as :func:`calculator._tier_item` applies it, without the amount: the entity's
    kind and bounds, and the persons' total (``Range.total`` of the in-scope persons' ranges)
    both as it is and as a discretionary fine opens it down to zero."""

    immediate: bool
    basis: int
    entity_min: Decimal
    entity_max: Decimal
    optional: bool  # OPTIONAL_AT_ONCE: discretionary when the entity's fine is not zero
    persons: Range
    persons_opened: Range


@dataclass(frozen=True, slots=True)
class _Norm:
    key: tuple[Law, str, ActKind]
    label: str
    schedule_ids: tuple[str, ...]
    tiers: tuple[_Tier, ...]


@dataclass(frozen=True, slots=True)
class _Act:
    """One act of :func:`calculator._assess_act`: the norms at the act and later; ``barred``:
    time-barred on the assessment date (nothing counted); ``fixed``: the norm counted whatever
    the amount (the only one at the act, and no other later rule), else None."""

    at_act: tuple[_Norm, ...]
    later: tuple[_Norm, ...]
    barred: bool
    fixed: _Norm | None = None
    # No norm of the act fines a multiple of the amount: which norm counts, and its tiers'
    # totals, are the same at any amount (computed once, then shared: a missing agreement's
    # fines are fixed, beside a missing review's multiple).
    amount_free: bool = field(init=False, repr=False, compare=False)
    _counted: _Counted | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        free = all(t.basis != _MULTIPLE for n in (*self.at_act, *self.later) for t in n.tiers)
        object.__setattr__(self, "amount_free", free)
        object.__setattr__(self, "_counted", None)

    def counted(self, amount: Decimal) -> _Counted:
        """The counted norm at ``amount`` and its tiers' totals (rules.resolve); a live act's
        only."""
        found = self._counted
        if found is not None:
            return found
        found = (self.fixed, _totals(self.fixed, amount)) if self.fixed else _resolve(self, amount)
        if self.amount_free:
            object.__setattr__(self, "_counted", found)
        return found


def _act(at_act: tuple[_Norm, ...], later: tuple[_Norm, ...], barred: bool) -> _Act:
    fixed = None
    if len(at_act) == 1 and (
        not later or (len(later) == 1 and later[0].schedule_ids == at_act[0].schedule_ids)
    ):
        fixed = at_act[0]  # rules.resolve: the only baseline, no other newer rule
    return _Act(at_act, later, barred, fixed)


# A digest's figures (summary.PurchaseDigest but its labels): total, worst case, articles.
Figures = tuple[Range, Decimal, tuple[tuple[str, Decimal, Decimal, Decimal], ...]]


@dataclass(frozen=True, slots=True)
class Plan:
    """What a purchase's digest is made of, but the amount (module docstring)."""

    acts: tuple[_Act, ...]  # empty: the duties do not bind it, or nothing is owed
    # The acts that can count (not time-barred, some norm at the act): the others add nothing.
    live: tuple[_Act, ...] = field(init=False, repr=False, compare=False)
    # No live norm has a fine that is a multiple of the amount: every figure (and which norm
    # counts, APL Arts. 29 and 37) is the same at any amount.
    amount_free: bool = field(init=False, repr=False, compare=False)
    # The figures of an amount-free plan (total, worst case, articles), computed by its first
    # digest and shared by the others: a third of a cold fill's digests on the bench.
    _figures: Figures | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        live = tuple(a for a in self.acts if a.at_act and not a.barred)
        object.__setattr__(self, "live", live)
        object.__setattr__(self, "amount_free", all(act.amount_free for act in live))
        object.__setattr__(self, "_figures", None)

    def digest(self, facts: PurchaseExposureFacts, amount: Decimal) -> PurchaseDigest:
        """The digest of ``facts`` (of this plan's shape) priced at ``amount`` CNY."""
        return self.digest_of(facts.purchase_id, facts.vendor, facts.category, amount)

    def digest_of(
        self, purchase_id: str, vendor: str | None, category: str | None, amount: Decimal
    ) -> PurchaseDigest:
        """:meth:`digest` of facts of this plan's shape with these labels."""
        total, worst, articles = self.figures(amount)
        return PurchaseDigest(purchase_id, vendor, category, total, worst, articles)

    def figures(self, amount: Decimal) -> Figures:
        """A digest's figures at ``amount`` CNY: (total, worst case, articles); an amount-free
        plan's are computed once and shared (the same objects: equal at any amount)."""
        if not self.amount_free:
            return self._priced(amount)
        found = self._figures
        if found is None:
            found = self._priced(amount)
            object.__setattr__(self, "_figures", found)
        return found

    def _priced(self, amount: Decimal) -> Figures:
        if not self.live:
            return Range.trusted(ZERO, ZERO), ZERO, ()
        if len(self.live) == 1:  # one counted norm (the common case): no grouping needed
            norm, totals = self.live[0].counted(amount)
            low, high, worst = ZERO, ZERO, ZERO
            for tier, (lo, hi) in totals:
                if tier.immediate:
                    low, high = _exact_add(low, lo), _exact_add(high, hi)
                worst = max(worst, hi)
            worst = _exact_add(ZERO, worst)  # money.add of the one norm's worst case
            return Range.trusted(low, high), worst, ((norm.label, low, high, worst),)
        # (norm, label, immediate, min, max) of every counted item, in the items' order
        counted: list[tuple[tuple[Law, str, ActKind], str, bool, Decimal, Decimal]] = []
        for act in self.live:
            norm, totals = act.counted(amount)
            counted += [(norm.key, norm.label, t.immediate, lo, hi) for t, (lo, hi) in totals]
        by_label: dict[str, list[tuple[tuple[Law, str, ActKind], bool, Decimal, Decimal]]] = {}
        for key, name, immediate, lo, hi in counted:
            by_label.setdefault(name, []).append((key, immediate, lo, hi))
        articles = []
        for name, items in by_label.items():
            low, high = _immediate(items)
            articles.append((name, low, high, _worst(items)))
        every = [(key, immediate, lo, hi) for key, _name, immediate, lo, hi in counted]
        low, high = _immediate(every)
        return Range.trusted(low, high), _worst(every), tuple(articles)


_Item = tuple[tuple[Law, str, ActKind], bool, Decimal, Decimal]
# A counted norm and each of its tiers with the tier's total (min, max) at some amount.
_Counted = tuple[_Norm, list[tuple[_Tier, tuple[Decimal, Decimal]]]]


def _immediate(items: Sequence[_Item]) -> tuple[Decimal, Decimal]:
    """results.immediate_total: Range.total from zero over the immediate items."""
    low, high = ZERO, ZERO
    for _key, immediate, lo, hi in items:
        if immediate:
            low, high = _exact_add(low, lo), _exact_add(high, hi)
    return low, high


def _worst(items: Sequence[_Item]) -> Decimal:
    """results.worst_case: per norm the highest maximum (``max`` from zero, first kept on a
    tie), then money.add of those from zero."""
    worst: dict[tuple[Law, str, ActKind], Decimal] = {}
    for key, _immediate, _lo, hi in items:
        worst[key] = max(worst.get(key, ZERO), hi)
    total = ZERO
    for amount in worst.values():
        total = _exact_add(total, amount)
    return total


def _totals(norm: _Norm, amount: Decimal) -> list[tuple[_Tier, tuple[Decimal, Decimal]]]:
    """Each tier's ExposureItem.total at ``amount`` (calculator._tier_item, then the item's
    ``entity + Range.total(persons)``)."""
    out = []
    for tier in norm.tiers:
        if tier.basis == _NONE:
            lo, hi = ZERO, ZERO
        elif tier.basis == _MULTIPLE:
            lo, hi = _exact_mul(tier.entity_min, amount), _exact_mul(tier.entity_max, amount)
        else:
            lo, hi = tier.entity_min, tier.entity_max
        persons = tier.persons
        if tier.optional and hi != 0:  # discretionary: opened down to zero, persons alike
            lo, persons = ZERO, tier.persons_opened
        out.append((tier, (_exact_add(lo, persons.min), _exact_add(hi, persons.max))))
    return out


def _key(totals: list[tuple[_Tier, tuple[Decimal, Decimal]]]) -> tuple[Decimal, Decimal, Decimal]:
    """rules.NormExposure.fine_key: (worst case, immediate max, immediate min)."""
    low, high = ZERO, ZERO
    worst: Decimal | None = None
    for tier, (lo, hi) in totals:
        if tier.immediate:
            low, high = _exact_add(low, lo), _exact_add(high, hi)
        if worst is None or hi > worst:
            worst = hi
    return (ZERO if worst is None else worst, high, low)


def _highest(
    norms: tuple[_Norm, ...], amount: Decimal
) -> tuple[_Norm, list[tuple[_Tier, tuple[Decimal, Decimal]]], tuple[Decimal, ...]] | None:
    """rules.pick_highest: the first norm with the highest fine key."""
    best = None
    for norm in norms:
        totals = _totals(norm, amount)
        key = _key(totals)
        if best is None or key > best[2]:
            best = (norm, totals, key)
    return best


def _resolve(act: _Act, amount: Decimal) -> _Counted:
    """rules.resolve's counted norm (APL Art. 29, then a lighter later rule, Art. 37) of an act
    with some norm at the act."""
    baseline = _highest(act.at_act, amount)
    assert baseline is not None  # a live act has a norm at the act
    newer = _highest(act.later, amount)
    if newer is None or newer[0].schedule_ids == baseline[0].schedule_ids:
        return baseline[0], baseline[1]
    # rules.is_lighter on (worst, immediate max, immediate min)
    pairs = list(zip(newer[2], baseline[2], strict=True))
    if all(c <= b for c, b in pairs) and any(c < b for c, b in pairs):
        return newer[0], newer[1]
    return baseline[0], baseline[1]


def _tier(s: PenaltySchedule, persons: tuple[ResponsiblePerson, ...]) -> _Tier:
    if s.entity_basis is EntityBasis.NONE or s.entity_min is None or s.entity_max is None:
        basis, low, high = _NONE, ZERO, ZERO
    else:
        basis = _MULTIPLE if s.entity_basis is EntityBasis.MULTIPLE_OF_PURCHASE_AMOUNT else _FIXED
        low, high = s.entity_min, s.entity_max
    if s.person_min is not None and s.person_max is not None:
        count = len(persons_in_scope(s.person_scope, persons))
        whole = Range.total([Range(s.person_min, s.person_max)] * count)
        opened = Range.total([Range(ZERO, s.person_max)] * count)
    else:
        whole = opened = Range.total(())
    return _Tier(
        immediate=s.condition.is_immediate, basis=basis, entity_min=low, entity_max=high,
        optional=s.condition is Condition.OPTIONAL_AT_ONCE, persons=whole, persons_opened=opened,
    )  # fmt: skip


def _norms(
    schedules: Sequence[PenaltySchedule],
    entries: tuple[tuple[ActKind, date, date], ...],
    persons: tuple[ResponsiblePerson, ...],
) -> tuple[_Norm, ...]:
    out = []
    for kind, _day, on in entries:
        for law, article, tiers in provisions_in_force(schedules, kind, on):
            ids = tuple(t.id for t in tiers)
            ranges = tuple(_tier(t, persons) for t in tiers)
            out.append(_Norm((law, article, kind), label(law, article), ids, ranges))
    return tuple(out)


def plan(
    facts: PurchaseExposureFacts, schedules: Sequence[PenaltySchedule], assessed_on: date | None
) -> Plan:
    """The plan of ``facts``' shape (calculator.assess_purchase's structure, explain=False)."""
    if not facts.network_product:
        return Plan(())
    binding = bind(facts, assessed_on)
    if isinstance(binding, str):
        return Plan(())
    acts = []
    review, agreement, ended = purchase_acts(facts, binding, assessed_on)
    for found in (review, agreement):
        if not found:
            continue
        norms = act_norms(found, schedules, assessed_on, ended)
        at_act = _norms(schedules, norms.at_act, facts.persons)
        barred = False
        if assessed_on is not None and at_act:
            barred = limitation(
                norms.ended,
                assessed_on,
                harm_to_life_or_finance=facts.harm_to_life_or_finance,
                investigated_on=facts.investigated_on,
            ).time_barred
        acts.append(_act(at_act, _norms(schedules, norms.later, facts.persons), barred))
    return Plan(tuple(acts))


# The fields of the facts a plan does not read: the amount (applied by Plan.digest), the labels
# copied into the digest, the persons' names (only their roles decide who is in scope).
NOT_IN_SHAPE = frozenset({
    "purchase_id", "title", "contract_value", "currency", "tax_included", "vendor", "category",
    "amount_scope", "persons",
})  # fmt: skip
IN_SHAPE = tuple(f.name for f in fields(PurchaseExposureFacts) if f.name not in NOT_IN_SHAPE)
_PASSED, _SIGNED = IN_SHAPE.index("review_passed"), IN_SHAPE.index("agreement_signed")


def shape(facts: PurchaseExposureFacts) -> tuple[object, ...]:
    """The key of ``facts``' plan: the IN_SHAPE fields in order, then the persons' roles."""
    return (
        facts.contract_date, facts.in_use_date, facts.may_affect_national_security,
        facts.review_passed, facts.review_failed, facts.agreement_signed,
        facts.agreement_act_date, facts.operator_is_cii, facts.network_product,
        facts.cii_periods, facts.harm_to_life_or_finance, facts.investigated_on,
        tuple(p.role for p in facts.persons),
    )  # fmt: skip


class Digester:
    """Digests of many purchases on one day under one schedule set and rate table, one plan
    per shape (a portfolio of thousands has a few hundred)."""

    def __init__(
        self,
        schedules: Sequence[PenaltySchedule],
        rates: Sequence[ExchangeRate],
        assessed_on: date | None,
    ) -> None:
        self.schedules, self.rates, self.assessed_on = schedules, rates, assessed_on
        self.plans: dict[tuple[object, ...], Plan] = {}
        # (currency, day) -> the rate in force: purchases share their contract days, and
        # rate_in_force scans the whole table.
        self._rate: dict[tuple[str, date], Decimal] = {}

    def digest(self, facts: PurchaseExposureFacts) -> PurchaseDigest:
        """``summary.digest(assess_purchase(facts, ..., explain=False))``, with its errors:
        InputError on inconsistent facts, MissingExchangeRate without a rate in force."""
        return self._plan(shape(facts), facts).digest(facts, self.amount_of(facts))

    def pair(self, facts: PurchaseExposureFacts) -> tuple[PurchaseDigest, PurchaseDigest]:
        """The digests of ``facts`` and of ``what_if_compliant(facts)`` (the same object when
        that changes nothing), with :meth:`digest`'s errors. The what-if fails only where the
        facts do: it changes whether a review passed (never to passed and failed) and whether
        the agreement is signed, which neither validate_facts nor the rate look-up reads."""
        amount = self.amount_of(facts)
        actual, what_if = self.plans_of(facts)
        found = actual.digest(facts, amount)
        return found, found if what_if is None else what_if.digest(facts, amount)

    def plans_of(self, facts: PurchaseExposureFacts) -> tuple[Plan, Plan | None]:
        """The plans of ``facts`` and of ``what_if_compliant(facts)``, None when that changes
        nothing (the what-if digest is then the actual one)."""
        key = shape(facts)
        actual = self._plan(key, facts)
        if not what_if_differs(facts):
            return actual, None
        # shape(what_if_compliant(facts)) without building it
        changed = list(key)
        changed[_PASSED] = facts.review_passed or review_pending(facts)
        changed[_SIGNED] = True
        what_if = tuple(changed)
        found = self.plans.get(what_if)
        if found is None:
            found = self.plans[what_if] = plan(
                what_if_compliant(facts), self.schedules, self.assessed_on
            )
        return actual, found

    def amount_of(self, facts: PurchaseExposureFacts) -> Decimal:
        """currency.convert_to_cny of the validated facts (InputError when they are not)."""
        if not plainly_valid(facts):
            errors = validate_facts(facts)
            if errors:
                raise InputError(errors)
        return self.amount(facts.currency, facts.contract_value, facts.contract_date)

    def amount(self, currency: str, value: Decimal, contract_date: date) -> Decimal:
        """currency.convert_to_cny of a valid contract value, with the rates looked up once per
        currency and day (MissingExchangeRate, not cached, when there is none)."""
        if currency == CNY:
            return value
        key = (currency, contract_date)
        rate = self._rate.get(key)
        if rate is None:
            rate = self._rate[key] = rate_in_force(currency, contract_date, self.rates).rate_to_cny
        return mul(value, rate)

    def _plan(self, key: tuple[object, ...], facts: PurchaseExposureFacts) -> Plan:
        found = self.plans.get(key)
        if found is None:
            found = self.plans[key] = plan(facts, self.schedules, self.assessed_on)
        return found
