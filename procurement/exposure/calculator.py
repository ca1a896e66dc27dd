"""Fine exposure of one purchase: pure functions over facts, dated schedules and rates.

Interpretation (each choice is also written into the item notes users see):

* Review duty. CII Regulations Art. 41 punishes *purchasing* a product that may affect national
  security without passing the security review. CSL Art. 65 (Art. 67 from 2026-01-01) punishes
  *using* an unreviewed or failed product. For one purchase these are treated as one act
  (LEGAL.md; Administrative Penalty Law Art. 29): both are shown, only the higher counts; on a
  tie (same 1-10x and person figures) Art. 41 is counted. Use is exposed when the product is in
  use and its review did not pass, and either a review was owed or it failed.
* Agreement duty. A missing security confidentiality agreement is a *different* act, so its
  fine adds to the review fine. It can fall under CII Regulations Art. 39(9) and the CSL
  (2016 Art. 59, unverified; amended Art. 61 from 2026-01-01) at once: APL Art. 29 again, so for
  acts from 2026-01-01 the heavier Art. 61 counts and Art. 39(9) is shown as not counted.
* Time. Each act is judged under the schedules in force on its date (purchase: contract date;
  use: in-use date; agreement: the duty date). With ``assessed_on`` a later rule applies only
  if lighter (APL Art. 37, see :mod:`procurement.exposure.rules`).
* Amount. "Purchase amount" is the contract value as recorded, converted to CNY at the rate in
  force on the contract date; the basis text says exactly which figure was used.
* Who. Every norm here binds CII operators only; a purchase of an operator that is not an
  identified CII operator has no item, and its note says why (it is screened for information).
* Totals: see :mod:`procurement.exposure.results` (immediate ``total`` vs ``conditional_max``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from procurement.errors import InputError
from procurement.exposure.binding import Binding, bind
from procurement.exposure.currency import CNY, ExchangeRate, convert_to_cny, rate_in_force
from procurement.exposure.facts import (
    PurchaseExposureFacts,
    ResponsiblePerson,
    Role,
    validate_facts,
    what_if_compliant,
)
from procurement.exposure.limitation import limitation
from procurement.exposure.messages import TEMPLATES
from procurement.exposure.money import ZERO, Range, present, present_range
from procurement.exposure.results import (
    ExposureItem,
    PersonExposure,
    PurchaseExposure,
    evolve,
    immediate_total,
    worst_case,
)
from procurement.exposure.rules import NormExposure, Resolution, resolve
from procurement.exposure.schedules import (
    ActKind,
    Condition,
    Consequence,
    EntityBasis,
    Law,
    PenaltySchedule,
    PersonScope,
    laws_in_force,
    schedule_in_force,
)
from procurement.texts import Article, Param, Text, english

_CONSEQUENCE_TEXT = {
    Consequence.ORDER_TO_RECTIFY: "order to rectify",
    Consequence.WARNING: "warning",
    Consequence.STOP_USE: "order to stop using the product or service",
}


def amount_basis(facts: PurchaseExposureFacts, rates: Sequence[ExchangeRate]) -> str:
    """Human-readable purchase-amount basis, e.g. for the 1-10x norms."""
    return english(amount_basis_text(facts, rates), TEMPLATES)


def amount_basis_text(facts: PurchaseExposureFacts, rates: Sequence[ExchangeRate]) -> Text:
    """:func:`amount_basis` as a message (procurement/exposure/messages.py)."""
    scope: Param = facts.amount_scope  # free text, unless it is the default wording
    if scope == "whole contract value":
        scope = Text("exposure.scope.whole", {})
    params: dict[str, Param] = {
        "value": present(facts.contract_value, facts.currency),
        "tax": Text("exposure.tax_included" if facts.tax_included else "exposure.tax_excluded", {}),
        "scope": scope,
    }
    if facts.currency == CNY:
        return Text("exposure.amount", params)
    rate = rate_in_force(facts.currency, facts.contract_date, rates)
    amount = convert_to_cny(facts.contract_value, facts.currency, facts.contract_date, rates)
    params |= {
        "currency": facts.currency,
        "rate": str(rate.rate_to_cny),
        "day": facts.contract_date.isoformat(),
        "valid_from": rate.valid_from.isoformat(),
        "source": rate.source,
        "cny": present(amount),
    }
    return Text("exposure.amount_converted", params)


def persons_in_scope(
    scope: PersonScope | None, persons: Sequence[ResponsiblePerson]
) -> tuple[ResponsiblePerson, ...]:
    if scope is None:
        return ()
    if scope is PersonScope.PERSON_IN_CHARGE_ONLY:
        return tuple(p for p in persons if p.role is Role.PERSON_IN_CHARGE)
    return tuple(persons)


def _tier_item(
    s: PenaltySchedule,
    act_date: date,
    amount: Decimal,
    facts: PurchaseExposureFacts,
    basis: Text | None,
) -> ExposureItem:
    """One tier applied to the purchase; ``counted`` is settled later by :func:`resolve`.
    ``basis`` None: the amounts without the explanation (see :func:`assess_purchase`)."""
    if s.entity_basis is EntityBasis.NONE or s.entity_min is None or s.entity_max is None:
        entity = _ZERO_RANGE
    elif s.entity_basis is EntityBasis.MULTIPLE_OF_PURCHASE_AMOUNT:
        entity = Range(s.entity_min, s.entity_max).scaled(amount)
    else:
        entity = Range(s.entity_min, s.entity_max)
    person_range: Range | None = None
    if s.person_min is not None and s.person_max is not None:
        person_range = Range(s.person_min, s.person_max)
    discretionary = s.condition is Condition.OPTIONAL_AT_ONCE and not entity.is_zero
    full_entity = entity
    if discretionary:
        entity = Range(ZERO, entity.max)
        if person_range is not None:
            person_range = Range(ZERO, person_range.max)
    in_scope = persons_in_scope(s.person_scope, facts.persons)
    persons: tuple[PersonExposure, ...] = ()
    if person_range is not None:
        persons = tuple(PersonExposure(p.name, p.role, person_range) for p in in_scope)
    if basis is None:
        return ExposureItem(
            schedule_id=s.id, law=s.law, article=s.article, act_kind=s.act_kind,
            condition=s.condition, act_date=act_date, entity=entity, persons=persons,
            consequences=s.consequences, counted=True, basis="", notes=(), verified=s.verified,
        )  # fmt: skip
    detail, notes = _explain_tier(
        s, full_entity, discretionary, person_range, in_scope, facts, basis
    )
    norm = Text(
        "exposure.norm", {"law": Text(f"exposure.law.{s.law}", {}), "article": Article(s.article)}
    )
    basis_text = Text(
        "exposure.basis",
        {
            "norm": norm,
            "condition": Text(f"exposure.condition.{s.condition}", {}),
            "detail": detail,
        },
    )
    return ExposureItem(
        schedule_id=s.id,
        law=s.law,
        article=s.article,
        act_kind=s.act_kind,
        condition=s.condition,
        act_date=act_date,
        entity=entity,
        persons=persons,
        consequences=s.consequences,
        counted=True,
        basis=english(basis_text, TEMPLATES),
        basis_text=basis_text,
        notes=tuple(notes),
        verified=s.verified,
    )


_ZERO_RANGE = Range.zero()


def _explain_tier(
    s: PenaltySchedule,
    entity: Range,
    discretionary: bool,
    person_range: Range | None,
    in_scope: tuple[ResponsiblePerson, ...],
    facts: PurchaseExposureFacts,
    basis: Text,
) -> tuple[Text, list[str]]:
    """The detail and the notes of one tier. ``entity``: the operator's range before a
    discretionary fine is opened down to zero; ``person_range``: the persons' after."""
    notes: list[str] = []
    if s.entity_basis is EntityBasis.NONE or s.entity_min is None or s.entity_max is None:
        detail = Text("exposure.detail.none", {})
    elif s.entity_basis is EntityBasis.MULTIPLE_OF_PURCHASE_AMOUNT:
        detail = Text(
            "exposure.detail.multiple",
            {"min": str(s.entity_min), "max": str(s.entity_max), "amount": basis},
        )
        notes.append(
            "'Purchase amount' (采购金额) is undefined in law: tax-inclusive or not, whole "
            "contract or in-scope items, multi-year total or paid to date; this range uses the "
            "basis shown, another basis gives another range"
        )
        notes.append(
            "each purchase without a passed review is a separate violation with its own "
            f"{s.entity_min}x-{s.entity_max}x base (inference)"
        )
    else:
        detail = Text("exposure.detail.fixed", {"range": present_range(entity)})
    if discretionary:
        notes.append(
            f"the fine of {present_range(entity)} is discretionary (可以并处), so the range "
            "starts at CNY 0.00"
        )
    if person_range is not None:
        who = (
            "exposure.detail.person_in_charge"
            if s.person_scope is PersonScope.PERSON_IN_CHARGE_ONLY
            else "exposure.detail.all_responsible"
        )
        detail = Text(who, {"detail": detail, "range": present_range(person_range)})
        if not in_scope:
            notes.append(
                f"no responsible person recorded in scope: each one identified adds "
                f"{present_range(person_range)}"
            )
        left_out = [p.name for p in facts.persons if p not in in_scope]
        if left_out:
            notes.append(f"not fined under {s.label}: {', '.join(left_out)} (not in charge)")
    if s.consequences:
        names = ", ".join(_CONSEQUENCE_TEXT[c] for c in s.consequences)
        notes.append(f"non-monetary: {names}")
    if s.act_kind is ActKind.USE_WITHOUT_REVIEW:
        notes.append(
            "use continues over time (a continuing act): with an assessment date it is judged "
            "under the law in force when it ends, otherwise under the one of the in-use date; "
            "the purchase amount is converted at the contract-date rate"
        )
    if s.note:
        notes.append(s.note)
    if not s.verified:
        notes.append("UNVERIFIED schedule: confirm article and figures before relying on them")
    return detail, notes


Provisions = tuple[tuple[Law, str, tuple[PenaltySchedule, ...]], ...]
# The provisions in force per (act kind, day) of the latest schedule tuple seen: a portfolio
# asks the same few days thousands of times (one tuple, immutable, is the key by identity).
_provisions_memo: tuple[object, dict[tuple[ActKind, date], Provisions]] = ((), {})


def provisions_in_force(
    schedules: Sequence[PenaltySchedule], act_kind: ActKind, day: date
) -> Provisions:
    """(law, article, tiers mildest first) of every norm for ``act_kind`` in force on ``day``,
    laws in :class:`Law` order and articles in order."""
    global _provisions_memo
    memo: dict[tuple[ActKind, date], Provisions] | None = None
    if isinstance(schedules, tuple):
        seen, memo = _provisions_memo  # one read: another thread may swap it
        if seen is not schedules:
            memo = {}
            _provisions_memo = (schedules, memo)
        found = memo.get((act_kind, day))
        if found is not None:
            return found
    out = []
    for law in laws_in_force(schedules, act_kind, day):
        tiers = schedule_in_force(schedules, act_kind, law, day)
        for article in dict.fromkeys(t.article for t in tiers):
            out.append((law, article, tuple(t for t in tiers if t.article == article)))
    provisions = tuple(out)
    if memo is not None:
        memo[(act_kind, day)] = provisions
    return provisions


def _norms(
    schedules: Sequence[PenaltySchedule],
    act_kind: ActKind,
    act_date: date,
    law_date: date,
    amount: Decimal,
    facts: PurchaseExposureFacts,
    basis: Text | None,
) -> list[NormExposure]:
    """Every norm for ``act_kind`` in force on ``law_date``, applied to the act of ``act_date``."""
    norms = []
    for law, article, tiers in provisions_in_force(schedules, act_kind, law_date):
        items = tuple(_tier_item(t, act_date, amount, facts, basis) for t in tiers)
        norms.append(NormExposure(law, article, act_kind, act_date, items))
    return norms


# Acts that last while their state lasts (Administrative Penalty Law Art. 36: "连续或者继续状态"):
# an unreviewed product in use, a missing agreement. Buying without review is done on its day.
CONTINUING = frozenset({ActKind.USE_WITHOUT_REVIEW, ActKind.NO_CONFIDENTIALITY_AGREEMENT})


def _continuing_note(start: date, law_day: date, end: date | None, labels: str) -> str:
    span = f"still on {law_day.isoformat()}" if end is None else f"until {end.isoformat()}"
    return (
        f"continuing act since {start.isoformat()}, {span}: judged under the law in force when "
        f"it ends ({labels}), as one act counted from its end (Administrative Penalty Law "
        "Art. 36); a later law reaches it only because it was already punishable when it began. "
        "Disputed: some courts split such an act at the change of law"
    )


@dataclass(slots=True)
class ActNorms:
    """Which provisions judge one act, whatever the purchase amount: each entry is (act kind,
    act day, law day), one norm per provision in force for that kind on the law day; ``later``
    the ones in force on the assessment date (APL Art. 37); ``ended`` the day the act ended
    (None: it continues)."""

    at_act: tuple[tuple[ActKind, date, date], ...]
    later: tuple[tuple[ActKind, date, date], ...]
    law_day: dict[ActKind, date]
    continuing: bool
    ended: date | None


def act_norms(
    acts: Sequence[tuple[ActKind, date]],
    schedules: Sequence[PenaltySchedule],
    assessed_on: date | None,
    end: date | None,
) -> ActNorms:
    """The amount-independent part of :func:`_assess_act` (shared with
    :mod:`procurement.exposure.figures`)."""
    at_act = tuple((kind, day, day) for kind, day in acts)
    law_day = dict(acts)
    continuing = any(kind in CONTINUING for kind, _ in acts)
    if assessed_on is not None and continuing:
        # A continuing act is judged by the law when it ends, if it was punishable when it began.
        last = end or assessed_on
        punishable = {kind for kind, day, _ in at_act if provisions_in_force(schedules, kind, day)}
        for kind, day in acts:
            if kind in CONTINUING and kind in punishable:
                law_day[kind] = max(day, last)
        at_act = tuple((kind, day, law_day[kind]) for kind, day in acts if kind in punishable)
    later: tuple[tuple[ActKind, date, date], ...] = ()
    if assessed_on is not None and all(assessed_on > law_day[kind] for kind, _ in acts):
        # Only act kinds punishable when they occurred: a later rule can lighten a penalty,
        # never create one (e.g. Art. 41 does not reach a purchase made before 2021-09-01).
        punishable = {kind for kind, _, on in at_act if provisions_in_force(schedules, kind, on)}
        later = tuple((kind, day, assessed_on) for kind, day in acts if kind in punishable)
    ended = end if continuing else max(day for _, day in acts)
    return ActNorms(at_act, later, law_day, continuing, ended)


def _assess_act(
    acts: Sequence[tuple[ActKind, date]],
    schedules: Sequence[PenaltySchedule],
    amount: Decimal,
    facts: PurchaseExposureFacts,
    basis: Text | None,
    assessed_on: date | None,
    end: date | None = None,
) -> list[ExposureItem]:
    """Items for one act that several norms (and act kinds) may punish; only one norm counts.
    ``basis`` None: the items' amounts, counted and time_barred, without their explanation.

    ``end``: the day a continuing act ended (None: it continues on ``assessed_on``). With an
    assessment date, a continuing act is judged under the law in force at its end, and an act
    whose period under Administrative Penalty Law Art. 36 has run is shown as time-barred.
    """
    plan = act_norms(acts, schedules, assessed_on, end)
    at_act = [
        n
        for kind, day, on in plan.at_act
        for n in _norms(schedules, kind, day, on, amount, facts, basis)
    ]
    later = [
        n
        for kind, day, on in plan.later
        for n in _norms(schedules, kind, day, on, amount, facts, basis)
    ]
    resolution = resolve(at_act, later)
    law_day, ended = plan.law_day, plan.ended
    if basis is None:
        return _lean(resolution, ended, assessed_on, facts)
    items: list[ExposureItem] = []
    if resolution.counted is not None:
        extra = (resolution.note,) if resolution.note else ()
        items += [evolve(i, notes=i.notes + extra) for i in resolution.counted.items]
    for norm, reason in resolution.not_counted:
        items += [evolve(i, counted=False, notes=(reason, *i.notes)) for i in norm.items]
    if assessed_on is None or not items:
        return items
    labels = ", ".join(dict.fromkeys(n.label for n in at_act if n.act_kind in CONTINUING))
    items = [
        evolve(i, notes=(*i.notes, _continuing_note(i.act_date, law_day[i.act_kind], end, labels)))
        if i.act_kind in CONTINUING and law_day[i.act_kind] != i.act_date
        else i
        for i in items
    ]
    return _limit(items, ended, assessed_on, facts)


def _lean(
    resolution: Resolution,
    ended: date | None,
    assessed_on: date | None,
    facts: PurchaseExposureFacts,
) -> list[ExposureItem]:
    """:func:`_assess_act`'s items without notes or limitation text: the same items, counted
    and time-barred alike, in the same order (what a cached digest needs)."""
    items = [] if resolution.counted is None else list(resolution.counted.items)
    for norm, _reason in resolution.not_counted:
        items += [evolve(i, counted=False) for i in norm.items]
    if assessed_on is None or not items:
        return items
    status = limitation(
        ended,
        assessed_on,
        harm_to_life_or_finance=facts.harm_to_life_or_finance,
        investigated_on=facts.investigated_on,
    )
    if status.time_barred:
        return [evolve(i, counted=False, time_barred=True) for i in items]
    return items


def _limit(
    items: list[ExposureItem], ended: date | None, as_of: date, facts: PurchaseExposureFacts
) -> list[ExposureItem]:
    """Administrative Penalty Law Art. 36 on one act's items: a time-barred act is shown, with
    the reason first, and never counted."""
    status = limitation(
        ended,
        as_of,
        harm_to_life_or_finance=facts.harm_to_life_or_finance,
        investigated_on=facts.investigated_on,
    )
    if status.time_barred:
        return [
            evolve(i, counted=False, time_barred=True, limitation=status.text,
                    notes=(status.text, *i.notes))
            for i in items
        ]  # fmt: skip
    return [evolve(i, limitation=status.text) for i in items]


Acts = list[tuple[ActKind, date]]


def purchase_acts(
    facts: PurchaseExposureFacts, binding: Binding, assessed_on: date | None
) -> tuple[Acts, Acts, date | None]:
    """(the review acts, the agreement act, the day every continuing act ended or None) of a
    bound purchase (shared with :mod:`procurement.exposure.figures`)."""
    # The day the operator stopped being a CII operator ends every continuing act.
    until = binding.until
    ended = until if until is not None and (assessed_on is None or until <= assessed_on) else None

    # Purchase and use of an unreviewed product: one act for one purchase (module docstring).
    review_acts: Acts = []
    if binding.review_owed:
        if facts.may_affect_national_security and not facts.review_passed:
            review_acts.append((ActKind.PURCHASE_WITHOUT_REVIEW, facts.contract_date))
        use_exposed = not facts.review_passed and (
            facts.may_affect_national_security or facts.review_failed
        )
        if facts.in_use_date is not None and use_exposed:
            review_acts.append((ActKind.USE_WITHOUT_REVIEW, facts.in_use_date))
        # nothing done after the operator stopped being a CII operator is an act under these laws
        review_acts = [(kind, day) for kind, day in review_acts if until is None or day < until]

    # The agreement duty is a different act: its fine adds (APL Art. 29 does not merge them).
    agreement_act: Acts = []
    if not facts.agreement_signed:
        agreement_act = [(ActKind.NO_CONFIDENTIALITY_AGREEMENT, binding.agreement_from)]
    return review_acts, agreement_act, ended


def assess_purchase(
    facts: PurchaseExposureFacts,
    schedules: Sequence[PenaltySchedule],
    rates: Sequence[ExchangeRate] = (),
    *,
    assessed_on: date | None = None,
    explain: bool = True,
) -> PurchaseExposure:
    """Fine exposure of one purchase. Raises :class:`InputError` on inconsistent facts and
    :class:`~procurement.exposure.currency.MissingExchangeRate` when no rate is in force.

    ``schedules`` must already be validated (``loader.validate_schedules``). ``explain`` False:
    the same amounts, items, ``counted`` and ``time_barred``, without the texts (item bases,
    notes and limitation texts; the purchase's notes only when it is not bound at all), for
    callers that keep only the figures (the exposure cache's digests): most of the cost of a
    purchase is in writing its explanation.
    """
    errors = validate_facts(facts)
    if errors:
        raise InputError(errors)
    amount = convert_to_cny(facts.contract_value, facts.currency, facts.contract_date, rates)
    if not facts.network_product:
        return _not_bound(facts, amount, NOT_A_NETWORK_PRODUCT)
    binding = bind(facts, assessed_on)
    if isinstance(binding, str):
        return _not_bound(facts, amount, binding)
    basis = amount_basis_text(facts, rates) if explain else None
    items: list[ExposureItem] = []
    review_acts, agreement_act, ended = purchase_acts(facts, binding, assessed_on)
    if review_acts:
        items += _assess_act(review_acts, schedules, amount, facts, basis, assessed_on, ended)
    if agreement_act:
        found = _assess_act(agreement_act, schedules, amount, facts, basis, assessed_on, ended)
        if binding.note is not None and explain:
            found = [evolve(i, notes=(binding.note, *i.notes)) for i in found]
        items += found

    notes: list[str] = [] if binding.note is None or not explain else [binding.note]
    if not items and explain:
        notes.append(_why_nothing(facts, [*review_acts, *agreement_act], schedules))
    return PurchaseExposure(
        purchase_id=facts.purchase_id,
        title=facts.title,
        vendor=facts.vendor,
        category=facts.category,
        amount_cny=amount,
        total=immediate_total(items),
        conditional_max=worst_case(items),
        items=tuple(items),
        notes=tuple(notes),
    )


_ACT_TEXT = {
    ActKind.PURCHASE_WITHOUT_REVIEW: "buying it without the security review",
    ActKind.USE_WITHOUT_REVIEW: "using it without a passed security review",
    ActKind.NO_CONFIDENTIALITY_AGREEMENT: "the missing security confidentiality agreement",
}


def _why_nothing(
    facts: PurchaseExposureFacts,
    acts: Sequence[tuple[ActKind, date]],
    schedules: Sequence[PenaltySchedule],
) -> str:
    """The real reason a purchase exposes nothing: no law in force at the act, or compliance."""
    first_rule = min((s.effective_from for s in schedules), default=None)
    if not acts and first_rule is not None and facts.contract_date < first_rule:
        return (
            f"no fine exposure: no law imposing these duties was in force on the contract date "
            f"{facts.contract_date.isoformat()} (the first rule applies from "
            f"{first_rule.isoformat()}), and a later law does not reach back to it "
            "(Administrative Penalty Law Art. 37); besides, no review is owed or it passed, and "
            "the agreement is signed"
        )
    if not acts:
        return "no fine exposure: no review owed or it passed, and the agreement is signed"
    unpunished = []
    for kind, day in acts:
        starts = [s.effective_from for s in schedules if s.act_kind is kind]
        first = f" (the first rule applies from {min(starts).isoformat()})" if starts else ""
        unpunished.append(f"{_ACT_TEXT[kind]} on {day.isoformat()}{first}")
    return (
        "no fine exposure: no rule in force on the act's date punished "
        + "; nor ".join(unpunished)
        + ". An act is judged under the law of its date, a later law only if lighter "
        "(Administrative Penalty Law Art. 37)"
    )


NOT_A_NETWORK_PRODUCT = (
    "no fine exposure: the purchase is not a network product or service, so neither the "
    "security review (CII Regulations Art. 19) nor the security confidentiality agreement "
    "(Art. 20) is owed for it"
)


def _not_bound(facts: PurchaseExposureFacts, amount: Decimal, why: str) -> PurchaseExposure:
    return PurchaseExposure(
        purchase_id=facts.purchase_id,
        title=facts.title,
        vendor=facts.vendor,
        category=facts.category,
        amount_cny=amount,
        total=Range.zero(),
        conditional_max=Decimal(0),
        items=(),
        notes=(why,),
    )


def assess_all(
    facts: Iterable[PurchaseExposureFacts],
    schedules: Sequence[PenaltySchedule],
    rates: Sequence[ExchangeRate] = (),
    *,
    what_if: bool = False,
    assessed_on: date | None = None,
) -> tuple[PurchaseExposure, ...]:
    """Assesses many purchases; ``what_if`` first applies :func:`what_if_compliant` to each."""
    return tuple(
        assess_purchase(
            what_if_compliant(f) if what_if else f, schedules, rates, assessed_on=assessed_on
        )
        for f in facts
    )
