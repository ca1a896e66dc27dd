"""For which days a computed exposure holds, and which act kinds' schedules it consulted."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from exposure_helpers import facts, seed

from procurement.exposure import PurchaseExposureFacts, assess_purchase
from procurement.exposure.schedules import ActKind
from procurement.exposure.summary import digest
from procurement.exposure.validity import (
    ALL_KINDS,
    KIND_BITS,
    act_kinds,
    changed_kinds,
    schedule_dates,
    validity,
)

CONTRACT = date(2025, 3, 14)
IN_USE = date(2025, 5, 1)


def test_the_span_runs_between_the_nearest_dates_and_limitation_ends() -> None:
    # given a contract and an in-use date, and the shipped schedules' dates
    days = schedule_dates(seed())
    # when the span around 2026-06-01 is asked
    span = validity([CONTRACT, IN_USE, None], days, date(2026, 6, 1))
    # then it starts the day after the amended CSL took effect and ends on the last day of the
    # contract's two-year limitation period (exclusive: a comparison may flip there)
    assert span == (date(2026, 1, 2), date(2027, 3, 14))
    # and with no date at all it reaches from the first day to the last
    assert validity([], frozenset(), date(2026, 6, 1)) == (date.min, None)
    # and a span starting on a date itself includes that date
    assert validity([CONTRACT], frozenset(), date(2025, 3, 14)) == (CONTRACT, date(2025, 3, 15))


def test_the_figures_are_the_same_on_every_day_of_the_span() -> None:
    # given a purchase owing a review and an agreement, in use since 1 May 2025
    owed = facts(
        contract_date=CONTRACT, in_use_date=IN_USE, may_affect_national_security=True,
        agreement_signed=False,
    )  # fmt: skip
    first, until = validity([CONTRACT, IN_USE], schedule_dates(seed()), date(2026, 6, 1))
    assert until is not None

    def on(day: date) -> object:
        return digest(assess_purchase(owed, seed(), assessed_on=day))

    # when it is assessed on every day of the span
    expected = on(first)
    days = [first + timedelta(days=n) for n in range((until - first).days)]
    # then every day gives the same digest, and the day before the span a different one (the
    # amended CSL from 2026-01-01 judges the continuing act)
    assert [day for day in days if on(day) != expected] == []
    assert len(days) == 436
    assert on(first - timedelta(days=2)) != expected


def test_act_kinds_follow_what_the_purchase_may_have_done() -> None:
    agreement = KIND_BITS[ActKind.NO_CONFIDENTIALITY_AGREEMENT]
    purchase = KIND_BITS[ActKind.PURCHASE_WITHOUT_REVIEW]
    use = KIND_BITS[ActKind.USE_WITHOUT_REVIEW]
    assert act_kinds(facts(agreement_signed=True)) == 0
    assert act_kinds(facts(agreement_signed=False)) == agreement
    assert (
        act_kinds(
            facts(agreement_signed=True, may_affect_national_security=True, in_use_date=IN_USE)
        )
        == purchase | use
    )
    assert act_kinds(facts(agreement_signed=False, review_failed=True, in_use_date=IN_USE)) == (
        agreement | use
    )
    assert (
        act_kinds(
            facts(agreement_signed=True, may_affect_national_security=True, review_passed=True)
        )
        == 0
    )
    assert agreement | purchase | use == ALL_KINDS


def test_changed_kinds_name_only_the_act_kinds_whose_records_changed() -> None:
    old = seed()
    # an unchanged set changes nothing
    assert changed_kinds(old, tuple(old)) == 0
    # a changed Art. 41 figure changes the purchase-without-review kind only
    new = tuple(
        dataclasses.replace(s, person_max=s.person_max * 2)
        if s.article == "41" and s.person_max is not None
        else s
        for s in old
    )
    assert changed_kinds(old, new) == KIND_BITS[ActKind.PURCHASE_WITHOUT_REVIEW]
    # a removed CSL Art. 61 record changes the agreement kind only
    fewer = tuple(s for s in old if s.id != "csl-2025-art61-serious-harm")
    assert changed_kinds(old, fewer) == KIND_BITS[ActKind.NO_CONFIDENTIALITY_AGREEMENT]


def test_only_the_schedules_of_the_kinds_consulted_bound_a_span() -> None:
    # given a purchase with nothing owed (review passed, agreement signed) and one whose only
    # open duty is the agreement, both contracted in 2025
    done = facts(contract_date=CONTRACT, may_affect_national_security=True, review_passed=True)
    unsigned = facts(contract_date=CONTRACT, agreement_signed=False)
    assert (act_kinds(done), act_kinds(unsigned)) == (
        0, KIND_BITS[ActKind.NO_CONFIDENTIALITY_AGREEMENT],
    )  # fmt: skip
    # when their spans around 2025-12-01 are asked with the dates of the kinds they consult
    on = date(2025, 12, 1)

    def span(purchase: PurchaseExposureFacts) -> tuple[date, date | None]:
        return validity([CONTRACT], schedule_dates(seed(), act_kinds(purchase)), on)

    # then the compliant purchase's runs past the amended CSL of 2026-01-01 (no schedule bounds
    # it), the unsigned one's ends there (the agreement's Art. 61 takes effect)
    assert span(done) == (date(2025, 3, 15), date(2027, 3, 14))
    assert span(unsigned) == (date(2025, 3, 15), date(2026, 1, 1))

    # and each purchase's figures are the same on every day of its span (every 5th day here),
    # and differ just past the unsigned one's
    for purchase in (done, unsigned):
        first, until = span(purchase)
        assert until is not None
        expected = digest(assess_purchase(purchase, seed(), assessed_on=first))
        days = [first + timedelta(days=n) for n in range(0, (until - first).days, 5)]
        assert [
            d for d in days if digest(assess_purchase(purchase, seed(), assessed_on=d)) != expected
        ] == []
    after = digest(assess_purchase(unsigned, seed(), assessed_on=date(2026, 1, 2)))
    assert after != digest(assess_purchase(unsigned, seed(), assessed_on=on))
