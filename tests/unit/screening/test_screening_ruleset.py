from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest

from procurement.errors import ErrorCode, InputError
from procurement.screening.catalog import RULES
from procurement.screening.model import Severity
from procurement.screening.ruleset import DEFAULT_RULESET, RuleSet, Thresholds


def test_defaults() -> None:
    assert DEFAULT_RULESET.version == 1
    assert DEFAULT_RULESET.thresholds == Thresholds(
        personal_information_subjects=1_000_000, value_cny=Decimal("10000000"), sbom_quality=60
    )
    assert dict(DEFAULT_RULESET.severity_weights) == {
        Severity.INFO: 0,
        Severity.LOW: 5,
        Severity.MEDIUM: 15,
        Severity.HIGH: 30,
        Severity.CRITICAL: 50,
    }
    assert DEFAULT_RULESET.enabled_rules == {r.id for r in RULES}


def test_json_round_trip_keeps_money_exact() -> None:
    ruleset = RuleSet(
        version=4,
        thresholds=Thresholds(250_000, Decimal("5000000.10"), 70),
        enabled_rules=frozenset({"REMOTE_ACCESS", "DATA_EXPOSURE"}),
    )
    data = ruleset.to_json()
    assert orjson.loads(data) == {
        "version": 4,
        "thresholds": {
            "personal_information_subjects": 250000,
            "value_cny": "5000000.10",
            "sbom_quality": 70,
        },
        "severity_weights": {"INFO": 0, "LOW": 5, "MEDIUM": 15, "HIGH": 30, "CRITICAL": 50},
        "enabled_rules": ["DATA_EXPOSURE", "REMOTE_ACCESS"],
    }
    assert RuleSet.from_json(data) == ruleset


def test_absent_sections_take_defaults() -> None:
    assert RuleSet.from_json(b'{"version": 3}') == RuleSet(version=3)


def test_every_problem_is_reported_with_its_field() -> None:
    raw: dict[str, Any] = {
        "thresholds": {
            "personal_information_subjects": True,
            "value_cny": 1.5,
            "sbom_quality": 101,
            "colour": "red",
        },
        "severity_weights": {"INFO": 0, "LOW": 20, "MEDIUM": 10, "HIGH": 30},
        "enabled_rules": ["REMOTE_ACCESS", "NO_SUCH_RULE"],
        "extra": 1,
    }
    with pytest.raises(InputError) as exc:
        RuleSet.from_dict(raw)
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("extra", ErrorCode.INVALID),
        ("version", ErrorCode.REQUIRED),
        ("thresholds.colour", ErrorCode.INVALID),
        ("thresholds.personal_information_subjects", ErrorCode.INVALID),
        ("thresholds.value_cny", ErrorCode.INVALID),
        ("thresholds.sbom_quality", ErrorCode.OUT_OF_RANGE),
        ("severity_weights.CRITICAL", ErrorCode.REQUIRED),
        ("enabled_rules", ErrorCode.INVALID),
    ]
    messages = {e.field: e.message for e in exc.value.errors}
    assert messages["thresholds.value_cny"] == (
        'must be a decimal string such as "10000000", got 1.5'
    )
    assert messages["enabled_rules"].startswith("unknown rule 'NO_SUCH_RULE'; known rules: ")


def test_weights_must_not_decrease() -> None:
    raw = {
        "version": 1,
        "severity_weights": {"INFO": 0, "LOW": 20, "MEDIUM": 10, "HIGH": 30, "CRITICAL": 50},
    }
    with pytest.raises(InputError) as exc:
        RuleSet.from_dict(raw)
    assert [e.field for e in exc.value.errors] == ["severity_weights"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b"[1]", None),
        (b"{", None),
        (b'{"version": 0}', "version"),
        (b'{"version": "2"}', "version"),
        (b'{"version": 1, "thresholds": {"value_cny": "-1"}}', "thresholds.value_cny"),
        (b'{"version": 1, "thresholds": {"value_cny": "NaN"}}', "thresholds.value_cny"),
        (b'{"version": 1, "enabled_rules": "REMOTE_ACCESS"}', "enabled_rules"),
    ],
)
def test_invalid_json(data: bytes, field: str | None) -> None:
    with pytest.raises(InputError) as exc:
        RuleSet.from_json(data)
    assert exc.value.errors[0].field == field


def test_constructor_validates_too() -> None:
    with pytest.raises(InputError) as exc:
        RuleSet(version=1, thresholds=Thresholds(sbom_quality=-1))
    assert exc.value.errors[0].field == "thresholds.sbom_quality"
