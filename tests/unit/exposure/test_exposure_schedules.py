"""Penalty schedules: seed figures as in LEGAL.md, dated selection, and validation errors."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from exposure_helpers import seed

from procurement.errors import ErrorCode, InputError
from procurement.exposure import (
    ActKind,
    Condition,
    EntityBasis,
    Law,
    PersonScope,
    laws_in_force,
    parse_schedules,
    schedule_in_force,
    validate_schedule,
    validate_schedules,
)

D = Decimal
CII, CSL16, CSL25 = (
    Law.CII_REGULATIONS_2021,
    Law.CYBERSECURITY_LAW_2016,
    Law.CYBERSECURITY_LAW_2025_AMENDMENT,
)
ALL, CHARGE = PersonScope.ALL_RESPONSIBLE, PersonScope.PERSON_IN_CHARGE_ONLY
MULT, FIXED, NONE = (
    EntityBasis.MULTIPLE_OF_PURCHASE_AMOUNT,
    EntityBasis.FIXED_CNY,
    EntityBasis.NONE,
)

# id: (law, article, condition, from, to, basis, entity min, max, person min, max, scope)
EXPECTED = {
    "cii-2021-art41-immediate": (
        CII,
        "41",
        "IMMEDIATE",
        "2021-09-01",
        None,
        MULT,
        1,
        10,
        10_000,
        100_000,
        ALL,
    ),
    "cii-2021-art39-9-immediate": (
        CII,
        "39(9)",
        "IMMEDIATE",
        "2021-09-01",
        None,
        NONE,
        None,
        None,
        None,
        None,
        None,
    ),
    "cii-2021-art39-9-refusal-or-harm": (
        CII,
        "39(9)",
        "IF_REFUSES_RECTIFICATION_OR_HARM",
        "2021-09-01",
        None,
        FIXED,
        100_000,
        1_000_000,
        10_000,
        100_000,
        CHARGE,
    ),
    "csl-2016-art65-immediate": (
        CSL16,
        "65",
        "IMMEDIATE",
        "2017-06-01",
        "2026-01-01",
        MULT,
        1,
        10,
        10_000,
        100_000,
        ALL,
    ),
    "csl-2016-art59-immediate": (
        CSL16,
        "59",
        "IMMEDIATE",
        "2017-06-01",
        "2026-01-01",
        NONE,
        None,
        None,
        None,
        None,
        None,
    ),
    "csl-2016-art59-refusal-or-harm": (
        CSL16,
        "59",
        "IF_REFUSES_RECTIFICATION_OR_HARM",
        "2017-06-01",
        "2026-01-01",
        FIXED,
        100_000,
        1_000_000,
        10_000,
        100_000,
        CHARGE,
    ),
    "csl-2025-art67-immediate": (
        CSL25,
        "67",
        "IMMEDIATE",
        "2026-01-01",
        None,
        MULT,
        1,
        10,
        10_000,
        100_000,
        ALL,
    ),
    "csl-2025-art61-at-once": (
        CSL25,
        "61",
        "OPTIONAL_AT_ONCE",
        "2026-01-01",
        None,
        FIXED,
        50_000,
        100_000,
        None,
        None,
        None,
    ),
    "csl-2025-art61-refusal-or-harm": (
        CSL25,
        "61",
        "IF_REFUSES_RECTIFICATION_OR_HARM",
        "2026-01-01",
        None,
        FIXED,
        100_000,
        1_000_000,
        10_000,
        100_000,
        ALL,
    ),
    "csl-2025-art61-serious-harm": (
        CSL25,
        "61",
        "SERIOUS_HARM",
        "2026-01-01",
        None,
        FIXED,
        500_000,
        2_000_000,
        50_000,
        200_000,
        ALL,
    ),
    "csl-2025-art61-especially-serious-harm": (
        CSL25,
        "61",
        "ESPECIALLY_SERIOUS_HARM",
        "2026-01-01",
        None,
        FIXED,
        2_000_000,
        10_000_000,
        200_000,
        1_000_000,
        ALL,
    ),
}


def _dec(v: int | None) -> Decimal | None:
    return None if v is None else D(v)


def test_seed_matches_legal_md_figures() -> None:
    # Given the packaged seed, when loaded, then every tier carries exactly LEGAL.md's figures.
    actual = {
        s.id: (
            s.law,
            s.article,
            s.condition.value,
            s.effective_from.isoformat(),
            s.effective_to.isoformat() if s.effective_to else None,
            s.entity_basis,
            s.entity_min,
            s.entity_max,
            s.person_min,
            s.person_max,
            s.person_scope,
        )
        for s in seed()
    }
    expected = {
        k: (*v[:6], _dec(v[6]), _dec(v[7]), _dec(v[8]), _dec(v[9]), v[10])
        for k, v in EXPECTED.items()
    }
    assert actual == expected
    assert validate_schedules(seed()) == []
    # The 2016 CSL agreement penalty is not in LEGAL.md: it must say so.
    assert {s.id for s in seed() if not s.verified} == {
        "csl-2016-art59-immediate",
        "csl-2016-art59-refusal-or-harm",
    }


@pytest.mark.parametrize(
    ("act_kind", "law", "on", "expected_ids"),
    [
        (ActKind.PURCHASE_WITHOUT_REVIEW, CII, date(2021, 8, 31), []),
        (ActKind.PURCHASE_WITHOUT_REVIEW, CII, date(2021, 9, 1), ["cii-2021-art41-immediate"]),
        (ActKind.USE_WITHOUT_REVIEW, CSL16, date(2025, 12, 31), ["csl-2016-art65-immediate"]),
        (ActKind.USE_WITHOUT_REVIEW, CSL16, date(2026, 1, 1), []),  # effective_to exclusive
        (ActKind.USE_WITHOUT_REVIEW, CSL25, date(2025, 12, 31), []),
        (ActKind.USE_WITHOUT_REVIEW, CSL25, date(2026, 1, 1), ["csl-2025-art67-immediate"]),
        (
            ActKind.NO_CONFIDENTIALITY_AGREEMENT,
            CSL25,
            date(2026, 1, 1),
            [
                "csl-2025-art61-at-once",
                "csl-2025-art61-refusal-or-harm",
                "csl-2025-art61-serious-harm",
                "csl-2025-art61-especially-serious-harm",
            ],
        ),
    ],
)
def test_schedule_in_force_at_boundaries(
    act_kind: ActKind, law: Law, on: date, expected_ids: list[str]
) -> None:
    assert [s.id for s in schedule_in_force(seed(), act_kind, law, on)] == expected_ids


def test_laws_in_force_for_the_agreement_duty() -> None:
    agreement = ActKind.NO_CONFIDENTIALITY_AGREEMENT
    assert laws_in_force(seed(), agreement, date(2021, 8, 31)) == (CSL16,)
    assert laws_in_force(seed(), agreement, date(2021, 9, 1)) == (CII, CSL16)
    assert laws_in_force(seed(), agreement, date(2026, 1, 1)) == (CII, CSL25)


def _record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "t1",
        "law": "CII_REGULATIONS_2021",
        "article": "41",
        "act_kind": "PURCHASE_WITHOUT_REVIEW",
        "condition": "IMMEDIATE",
        "effective_from": "2021-09-01",
        "effective_to": None,
        "entity_basis": "MULTIPLE_OF_PURCHASE_AMOUNT",
        "entity_min": "1",
        "entity_max": "10",
        "person_min": "10000",
        "person_max": "100000",
        "person_scope": "ALL_RESPONSIBLE",
        "consequences": ["ORDER_TO_RECTIFY"],
        "source": "test",
    }
    return base | overrides


def _errors(*records: dict[str, Any]) -> list[tuple[str | None, ErrorCode, str]]:
    with pytest.raises(InputError) as caught:
        parse_schedules(json.dumps({"schedules": list(records)}))
    return [(e.field, e.code, e.message) for e in caught.value.errors]


def test_valid_record_parses_to_decimals() -> None:
    (s,) = parse_schedules(json.dumps({"schedules": [_record()]}))
    assert (s.entity_min, s.person_max) == (D(1), D(100000))
    assert isinstance(s.entity_max, Decimal)


def test_min_above_max_and_negative_are_reported() -> None:
    # Given an inverted entity range and a negative person minimum, when parsed, then both.
    assert _errors(_record(entity_min="11", person_min="-1")) == [
        ("schedules[0].entity_min", ErrorCode.OUT_OF_RANGE, "minimum 11 exceeds maximum 10"),
        ("schedules[0].person_min", ErrorCode.OUT_OF_RANGE, "must not be negative (got -1)"),
    ]


def test_dates_must_be_ordered() -> None:
    assert _errors(_record(effective_to="2021-09-01")) == [
        (
            "schedules[0].effective_to",
            ErrorCode.OUT_OF_RANGE,
            "2021-09-01 must be after effective_from 2021-09-01 (effective_to is exclusive)",
        )
    ]


def test_overlapping_periods_for_the_same_tier_are_a_conflict() -> None:
    # Given two Art. 41 IMMEDIATE records, the second starting before the first ends,
    # when parsed, then the overlap is named with both records.
    first = _record(effective_to="2026-01-01")
    second = _record(id="t2", effective_from="2025-12-31")
    assert _errors(first, second) == [
        (
            "schedules[1].effective_from",
            ErrorCode.CONFLICT,
            "CII_REGULATIONS_2021 Art. 41 PURCHASE_WITHOUT_REVIEW IMMEDIATE period overlaps "
            "schedules[0] ('t1')",
        )
    ]
    # Adjacent periods (to is exclusive) and other tiers do not conflict.
    adjacent = _record(id="t2", effective_from="2026-01-01")
    other_tier = _record(id="t3", condition="SERIOUS_HARM")
    assert len(parse_schedules(json.dumps({"schedules": [first, adjacent, other_tier]}))) == 3


def test_duplicate_ids_and_bad_vocabulary() -> None:
    assert _errors(_record(), _record(effective_from="2030-01-01", effective_to=None))[0][:2] == (
        "schedules[1].id",
        ErrorCode.DUPLICATE,
    )
    errors = _errors(_record(law="CSL", effective_from="01/09/2021", entity_max=True, source=""))
    assert [(f, c) for f, c, _ in errors] == [
        ("schedules[0].law", ErrorCode.INVALID),
        ("schedules[0].effective_from", ErrorCode.INVALID),
        ("schedules[0].entity_max", ErrorCode.INVALID),
        ("schedules[0].source", ErrorCode.REQUIRED),
    ]
    assert errors[0][2].startswith("'CSL' is not one of CII_REGULATIONS_2021, ")
    assert errors[2][2] == 'must be a decimal string such as "100000"'


def test_field_consistency_rules() -> None:
    # A person fine without scope, a scope without a fine, a half range, and an empty tier.
    (s,) = parse_schedules(json.dumps({"schedules": [_record()]}))
    no_scope = dataclasses.replace(s, person_scope=None)
    scope_only = dataclasses.replace(s, person_min=None, person_max=None)
    half = dataclasses.replace(s, entity_max=None)
    empty = dataclasses.replace(
        s,
        entity_basis=EntityBasis.NONE,
        entity_min=None,
        entity_max=None,
        person_min=None,
        person_max=None,
        person_scope=None,
        consequences=(),
        condition=Condition.IMMEDIATE,
    )
    assert [(e.field, e.code) for e in validate_schedule(no_scope, "s")] == [
        ("s.person_scope", ErrorCode.REQUIRED)
    ]
    assert [(e.field, e.code) for e in validate_schedule(scope_only, "s")] == [
        ("s.person_scope", ErrorCode.INVALID)
    ]
    assert [(e.field, e.code) for e in validate_schedule(half, "s")] == [
        ("s.entity_max", ErrorCode.REQUIRED)
    ]
    assert [(e.field, e.code) for e in validate_schedule(empty, "s")] == [("s", ErrorCode.REQUIRED)]


def test_bare_json_numbers_are_read_as_exact_decimals() -> None:
    # Given an admin writing 0.1 and 2.5 unquoted, when parsed, then they are exact Decimals.
    document = json.dumps({"schedules": [_record(entity_min="X", entity_max="Y")]})
    document = document.replace('"X"', "0.1").replace('"Y"', "2.5")
    (s,) = parse_schedules(document)
    assert (s.entity_min, s.entity_max) == (D("0.1"), D("2.5"))


def test_document_shape_errors() -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        parse_schedules("{")
    with pytest.raises(InputError, match="schedules: must be a list of records"):
        parse_schedules("{}")
