"""The cache's figures-only assessment (``assess_purchase(explain=False)``) gives the same
figures as the full one: the same items in the same order, with the same amounts, counted and
time-barred flags, and so the same digest. Only the texts are left out."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from exposure_helpers import facts, seed
from hypothesis import given, settings
from hypothesis import strategies as st
from test_exposure_properties import RATES, days, purchase_facts

from procurement.exposure import (
    ExposureItem,
    PurchaseExposure,
    PurchaseExposureFacts,
    assess_purchase,
    what_if_compliant,
)
from procurement.exposure.facts import what_if_differs
from procurement.exposure.summary import digest
from procurement.identification import CiiPeriod
from tests.support.properties import examples


def figures(item: ExposureItem) -> ExposureItem:
    """The item without its texts."""
    return dataclasses.replace(item, basis="", notes=(), limitation=None, basis_text=None)


def assert_same_figures(full: PurchaseExposure, lean: PurchaseExposure) -> None:
    assert [figures(i) for i in full.items] == list(lean.items)
    assert (full.total, full.conditional_max, full.amount_cny) == (
        lean.total, lean.conditional_max, lean.amount_cny,
    )  # fmt: skip
    assert digest(full) == digest(lean)


@st.composite
def periods(draw: st.DrawFn) -> tuple[CiiPeriod, ...] | None:
    """None (the operator's own flag holds for all time), or up to two identification periods
    in date order, the last possibly still open."""
    if draw(st.booleans()):
        return None
    starts = sorted(draw(st.lists(days, max_size=2, unique=True)))
    out = []
    for i, start in enumerate(starts):
        later = starts[i + 1] if i + 1 < len(starts) else None
        end = draw(st.none() | st.integers(1, 900)) if later is None else None
        ended = later if later is not None else (start + timedelta(days=end) if end else None)
        out.append(CiiPeriod(start, ended, draw(st.booleans())))
    return tuple(out)


@st.composite
def any_facts(draw: st.DrawFn) -> PurchaseExposureFacts:
    base: PurchaseExposureFacts = draw(purchase_facts())
    return dataclasses.replace(
        base,
        operator_is_cii=draw(st.booleans()),
        network_product=draw(st.sampled_from([True, True, True, False])),
        cii_periods=draw(periods()),
        harm_to_life_or_finance=draw(st.booleans()),
        investigated_on=draw(st.none() | days),
    )


@settings(max_examples=examples(300))
@given(any_facts(), st.none() | days)
def test_figures_only_gives_the_full_assessments_figures(
    purchase: PurchaseExposureFacts, on: date | None
) -> None:
    for variant in (purchase, what_if_compliant(purchase)):
        full = assess_purchase(variant, seed(), RATES, assessed_on=on)
        lean = assess_purchase(variant, seed(), RATES, assessed_on=on, explain=False)
        assert_same_figures(full, lean)
        assert all(i.notes == () and i.basis == "" for i in lean.items)


@given(any_facts())
def test_what_if_differs_exactly_when_the_what_if_changes_the_facts(
    purchase: PurchaseExposureFacts,
) -> None:
    assert what_if_differs(purchase) == (what_if_compliant(purchase) != purchase)


def test_a_time_barred_act_is_left_out_of_the_figures_alike() -> None:
    # given a purchase bought without review in 2022, and an assessment in 2025 (two years on)
    bought = facts(
        contract_date=date(2022, 1, 10), may_affect_national_security=True, agreement_signed=False
    )
    on = date(2025, 6, 1)
    # when it is assessed with and without the texts
    full = assess_purchase(bought, seed(), RATES, assessed_on=on)
    lean = assess_purchase(bought, seed(), RATES, assessed_on=on, explain=False)
    # then both show the purchase's items time-barred and not counted, with the same figures
    assert [(i.schedule_id, i.counted, i.time_barred) for i in lean.items] == [
        (i.schedule_id, i.counted, i.time_barred) for i in full.items
    ]
    assert any(i.time_barred for i in lean.items)
    assert_same_figures(full, lean)
