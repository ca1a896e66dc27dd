"""Aggregation, plus a hand-reconcilable three-purchase portfolio with exact totals."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from exposure_helpers import RATES, seed

from procurement.exposure import (
    GroupBy,
    PurchaseExposureFacts,
    Range,
    ResponsiblePerson,
    Role,
    assess_all,
    summarise,
)

D = Decimal
CHARGE, OTHER = Role.PERSON_IN_CHARGE, Role.OTHER_RESPONSIBLE

# P1: CNY 1,000,000.00 on 2025-06-01, may affect national security, never reviewed, in use
#     since 2025-07-01, no agreement; Wang (in charge) and Li (other).
#     Review act: Art. 41 counts, CSL Art. 65 shown but not counted (equal fine, APL Art. 29):
#       operator 1,000,000.00-10,000,000.00 + 2 persons x 10,000-100,000
#       = immediate 1,020,000.00 - 10,200,000.00, worst 10,200,000.00.
#     Agreement act (2025-06-01): Art. 39(9): immediate warning only = 0; worst 1,000,000
#       + Wang 100,000 (person in charge only) = 1,100,000.00.
#     P1: total 1,020,000.00 - 10,200,000.00, conditional max 11,300,000.00.
# P2: USD 100,000.00 on 2026-02-01 at 7.1 = CNY 710,000.00, review passed, no agreement;
#     Zhao (in charge), Qian (other). Amended CSL Art. 61 counts (heavier than Art. 39(9)):
#       immediate optional 0 - 100,000.00; worst 10,000,000 + 2 x 1,000,000 = 12,000,000.00.
# P3: CNY 250,000.50 on 2021-08-31 (one day before Art. 41), review failed, in use since
#     2021-09-15, agreement signed; Sun (in charge). Only CSL 2016 Art. 65 (use):
#       250,000.50 - 2,500,005.00 + Sun 10,000-100,000 = 260,000.50 - 2,600,005.00 (= worst).
# Portfolio: total 1,280,000.50 - 12,900,005.00; conditional max 25,900,005.00.
PORTFOLIO = (
    PurchaseExposureFacts(
        purchase_id="P1",
        title="Core routers",
        contract_value=D("1000000.00"),
        currency="CNY",
        tax_included=True,
        contract_date=date(2025, 6, 1),
        in_use_date=date(2025, 7, 1),
        may_affect_national_security=True,
        review_passed=False,
        review_failed=False,
        agreement_signed=False,
        persons=(ResponsiblePerson("Wang", CHARGE), ResponsiblePerson("Li", OTHER)),
        vendor="Vendor A",
        category="CORE_NETWORK_EQUIPMENT",
    ),
    PurchaseExposureFacts(
        purchase_id="P2",
        title="Cloud hosting",
        contract_value=D("100000.00"),
        currency="USD",
        tax_included=False,
        contract_date=date(2026, 2, 1),
        in_use_date=date(2026, 2, 1),
        may_affect_national_security=True,
        review_passed=True,
        review_failed=False,
        agreement_signed=False,
        persons=(ResponsiblePerson("Zhao", CHARGE), ResponsiblePerson("Qian", OTHER)),
        vendor="Vendor B",
        category="CLOUD_COMPUTING_SERVICE",
    ),
    PurchaseExposureFacts(
        purchase_id="P3",
        title="Storage array",
        contract_value=D("250000.50"),
        currency="CNY",
        tax_included=True,
        contract_date=date(2021, 8, 31),
        in_use_date=date(2021, 9, 15),
        may_affect_national_security=True,
        review_passed=False,
        review_failed=True,
        agreement_signed=True,
        persons=(ResponsiblePerson("Sun", CHARGE),),
        vendor="Vendor A",
        category="MASS_STORAGE_DEVICE",
    ),
)


def test_hand_reconciled_portfolio_per_purchase() -> None:
    p1, p2, p3 = assess_all(PORTFOLIO, seed(), RATES)
    assert (p1.total, p1.conditional_max) == (
        Range(D("1020000.00"), D("10200000.00")),
        D("11300000.00"),
    )
    assert p2.amount_cny == D("710000.0000")
    assert (p2.total, p2.conditional_max) == (Range(D(0), D("100000")), D("12000000"))
    assert (p3.total, p3.conditional_max) == (
        Range(D("260000.50"), D("2600005.00")),
        D("2600005.00"),
    )


def test_hand_reconciled_portfolio_by_vendor() -> None:
    summary = summarise(assess_all(PORTFOLIO, seed(), RATES), GroupBy.VENDOR, top_n=2)
    assert summary.total == Range(D("1280000.50"), D("12900005.00"))
    assert summary.conditional_max == D("25900005.00")
    assert [(g.key, g.purchase_ids, g.total, g.conditional_max) for g in summary.groups] == [
        (("Vendor A",), ("P1", "P3"), Range(D("1280000.50"), D("12800005.00")), D("13900005.00")),
        (("Vendor B",), ("P2",), Range(D(0), D(100000)), D(12000000)),
    ]
    # Top 2 by worst case: P2 (12,000,000.00) before P1 (11,300,000.00).
    assert [e.purchase_id for e in summary.top] == ["P2", "P1"]


def test_hand_reconciled_portfolio_by_article() -> None:
    summary = summarise(assess_all(PORTFOLIO, seed(), RATES), GroupBy.ARTICLE)
    assert [(g.key, g.purchase_ids, g.total, g.conditional_max) for g in summary.groups] == [
        (
            ("CYBERSECURITY_LAW_2025_AMENDMENT Art. 61",),
            ("P2",),
            Range(D(0), D(100000)),
            D(12000000),
        ),
        (("CII_REGULATIONS_2021 Art. 41",), ("P1",), Range(D(1020000), D(10200000)), D(10200000)),
        (
            ("CYBERSECURITY_LAW_2016 Art. 65",),
            ("P3",),
            Range(D("260000.50"), D("2600005")),
            D("2600005"),
        ),
        (("CII_REGULATIONS_2021 Art. 39(9)",), ("P1",), Range.zero(), D(1100000)),
    ]
    assert summary.total == Range(D("1280000.50"), D("12900005.00"))
    assert summary.conditional_max == D("25900005.00")


def test_by_category_and_two_dimensions() -> None:
    exposures = assess_all(PORTFOLIO, seed(), RATES)
    by_category = summarise(exposures, GroupBy.CATEGORY)
    assert [g.key for g in by_category.groups] == [
        ("CLOUD_COMPUTING_SERVICE",),
        ("CORE_NETWORK_EQUIPMENT",),
        ("MASS_STORAGE_DEVICE",),
    ]
    both = summarise(exposures, (GroupBy.VENDOR, GroupBy.ARTICLE))
    assert [g.key for g in both.groups] == [
        ("Vendor B", "CYBERSECURITY_LAW_2025_AMENDMENT Art. 61"),
        ("Vendor A", "CII_REGULATIONS_2021 Art. 41"),
        ("Vendor A", "CYBERSECURITY_LAW_2016 Art. 65"),
        ("Vendor A", "CII_REGULATIONS_2021 Art. 39(9)"),
    ]


def test_what_if_leaves_only_the_failed_review() -> None:
    # Given the same portfolio, when pending reviews pass and agreements are signed, then only
    # P3 (failed review, in use) stays exposed.
    summary = summarise(assess_all(PORTFOLIO, seed(), RATES, what_if=True), GroupBy.VENDOR)
    assert summary.total == Range(D("260000.50"), D("2600005.00"))
    assert summary.conditional_max == D("2600005.00")
    assert [e.purchase_id for e in summary.top] == ["P3"]


def test_unspecified_vendor_empty_input_and_argument_checks() -> None:
    no_vendor = dataclasses.replace(PORTFOLIO[0], vendor=None)
    exposures = assess_all([no_vendor], seed(), RATES)
    assert [g.key for g in summarise(exposures, GroupBy.VENDOR).groups] == [("(unspecified)",)]
    empty = summarise([], GroupBy.VENDOR)
    assert (empty.groups, empty.top, empty.total, empty.conditional_max) == (
        (),
        (),
        Range.zero(),
        D(0),
    )
    with pytest.raises(ValueError, match="top_n"):
        summarise(exposures, GroupBy.VENDOR, top_n=-1)
    with pytest.raises(ValueError, match="at most once"):
        summarise(exposures, (GroupBy.VENDOR, GroupBy.VENDOR))
