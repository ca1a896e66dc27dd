"""Versioned, JSON-serialisable screening configuration.

Admins change thresholds and switch rules off without a release; each screening result records the
rule-set version it ran with so that an old verdict can be explained later. Money is a decimal
string in JSON (``"10000000"``), never a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import orjson

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.screening.catalog import RULES_BY_ID
from procurement.screening.messages import said
from procurement.screening.model import Severity
from procurement.texts import Text

# Where each default comes from, for the admin screen. None of them is a statutory threshold for
# procurement: Review Measures Art. 7 uses "over one million users' personal information" only for
# listing abroad; it is borrowed here as a proxy for "large amounts of personal information" (Art.
# 10(5)). The value threshold is an operator policy choice.
THRESHOLD_SOURCES: Mapping[str, str] = {
    "personal_information_subjects": "Review Measures Art. 7 (listing abroad, > 1,000,000 users); "
    "used as a proxy for Art. 10(5) 'large amounts of personal information'",
    "value_cny": "operator policy (no statutory value threshold)",
    "sbom_quality": "operator policy (0-100 score from the SBOM quality scorer)",
}

DEFAULT_WEIGHTS: Mapping[Severity, int] = MappingProxyType(
    {
        Severity.INFO: 0,
        Severity.LOW: 5,
        Severity.MEDIUM: 15,
        Severity.HIGH: 30,
        Severity.CRITICAL: 50,
    }
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    personal_information_subjects: int = 1_000_000  # finding when the count is above this
    value_cny: Decimal = Decimal("10000000")  # finding when the value is above this
    sbom_quality: int = 60  # finding when the score is below this


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: int
    thresholds: Thresholds = field(default_factory=Thresholds)
    severity_weights: Mapping[Severity, int] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    enabled_rules: frozenset[str] = frozenset(RULES_BY_ID)

    def __post_init__(self) -> None:
        errors = _check_values(
            self.version, self.thresholds, self.severity_weights, self.enabled_rules
        )
        if errors:
            raise InputError(errors)
        object.__setattr__(self, "severity_weights", MappingProxyType(dict(self.severity_weights)))

    def is_enabled(self, rule_id: str) -> bool:
        return rule_id in self.enabled_rules

    def to_dict(self) -> dict[str, Any]:
        t = self.thresholds
        return {
            "version": self.version,
            "thresholds": {
                "personal_information_subjects": t.personal_information_subjects,
                "value_cny": str(t.value_cny),
                "sbom_quality": t.sbom_quality,
            },
            "severity_weights": {str(s): self.severity_weights[s] for s in Severity},
            "enabled_rules": sorted(self.enabled_rules),
        }

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2)

    @classmethod
    def from_json(cls, data: bytes | str) -> RuleSet:
        try:
            raw = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(
                [said(None, Text("screening.error.json", {"error": str(exc)}))]
            ) from None
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw: Any) -> RuleSet:
        """Build from parsed JSON; absent sections take defaults, ``version`` is required."""
        if not isinstance(raw, Mapping):
            raise InputError([said(None, Text("screening.error.ruleset_object", {}))])
        errors: list[FieldError] = []
        _unknown_keys(
            raw, {"version", "thresholds", "severity_weights", "enabled_rules"}, "", errors
        )
        version = _int(raw, "version", "version", errors, default=None)
        thresholds = _thresholds(raw.get("thresholds"), errors)
        weights = _weights(raw.get("severity_weights"), errors)
        enabled = _enabled(raw.get("enabled_rules"), errors)
        errors += _check_values(version or 1, thresholds, weights, enabled)
        if errors:
            raise InputError(errors)
        assert version is not None
        return cls(version, thresholds, weights, enabled)


def _check_values(
    version: int, t: Thresholds, weights: Mapping[Severity, int], enabled: frozenset[str]
) -> list[FieldError]:
    errors: list[FieldError] = []

    def bad(path: str, message: Text) -> None:
        errors.append(said(path, message, ErrorCode.OUT_OF_RANGE))

    if version < 1:
        bad("version", Text("screening.error.version_min", {"value": version}))
    if t.personal_information_subjects < 0:
        bad("thresholds.personal_information_subjects", Text("screening.error.not_negative", {}))
    if not t.value_cny.is_finite() or t.value_cny < 0:
        bad("thresholds.value_cny", Text("screening.error.amount", {"value": str(t.value_cny)}))
    if not 0 <= t.sbom_quality <= 100:
        bad("thresholds.sbom_quality", Text("screening.error.percent", {"value": t.sbom_quality}))
    for sev in Severity:
        if sev not in weights:
            required = Text("input.required", {})
            errors.append(said(f"severity_weights.{sev}", required, ErrorCode.REQUIRED))
        elif not 0 <= weights[sev] <= 100:
            bad(f"severity_weights.{sev}", Text("screening.error.percent", {"value": weights[sev]}))
    ordered = [weights[s] for s in Severity if s in weights]
    if len(ordered) == len(Severity) and ordered != sorted(ordered):
        bad("severity_weights", Text("screening.error.weights_order", {}))
    for rule_id in sorted(enabled - set(RULES_BY_ID)):
        errors.append(
            said(
                "enabled_rules",
                Text(
                    "screening.error.unknown_rule",
                    {"rule": repr(rule_id), "known": ", ".join(RULES_BY_ID)},
                ),
            )
        )
    return errors


def _unknown_keys(
    raw: Mapping[str, Any], known: set[str], prefix: str, errors: list[FieldError]
) -> None:
    for key in sorted(set(raw) - known):
        errors.append(said(f"{prefix}{key}", Text("screening.error.unknown_field", {})))


def _int(
    raw: Mapping[str, Any], key: str, path: str, errors: list[FieldError], default: int | None
) -> int | None:
    if key not in raw:
        if default is None:
            errors.append(said(path, Text("input.required", {}), ErrorCode.REQUIRED))
        return default
    value = raw[key]
    # bool is an int in Python; "true" as a threshold is a typo, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(said(path, Text("screening.error.integer", {"value": repr(value)})))
        return default
    return value


def _thresholds(raw: Any, errors: list[FieldError]) -> Thresholds:
    default = Thresholds()
    if raw is None:
        return default
    if not isinstance(raw, Mapping):
        errors.append(said("thresholds", Text("screening.error.object", {})))
        return default
    _unknown_keys(raw, set(THRESHOLD_SOURCES), "thresholds.", errors)
    subjects = _int(
        raw,
        "personal_information_subjects",
        "thresholds.personal_information_subjects",
        errors,
        default.personal_information_subjects,
    )
    quality = _int(raw, "sbom_quality", "thresholds.sbom_quality", errors, default.sbom_quality)
    value = default.value_cny
    if "value_cny" in raw:
        text = raw["value_cny"]
        try:
            # Floats are refused: 0.1 + 0.2 style drift has no place in money.
            if isinstance(text, bool) or not isinstance(text, str | int):
                raise InvalidOperation
            value = Decimal(text)
        except InvalidOperation:
            errors.append(
                said(
                    "thresholds.value_cny",
                    Text("screening.error.decimal_string", {"value": repr(text)}),
                )
            )
    assert subjects is not None and quality is not None
    return Thresholds(subjects, value, quality)


def _weights(raw: Any, errors: list[FieldError]) -> Mapping[Severity, int]:
    if raw is None:
        return DEFAULT_WEIGHTS
    if not isinstance(raw, Mapping):
        errors.append(said("severity_weights", Text("screening.error.object", {})))
        return DEFAULT_WEIGHTS
    _unknown_keys(raw, {str(s) for s in Severity}, "severity_weights.", errors)
    out: dict[Severity, int] = {}
    for sev in Severity:
        if str(sev) in raw:
            value = _int(raw, str(sev), f"severity_weights.{sev}", errors, DEFAULT_WEIGHTS[sev])
            assert value is not None
            out[sev] = value
    return out


def _enabled(raw: Any, errors: list[FieldError]) -> frozenset[str]:
    if raw is None:
        return frozenset(RULES_BY_ID)
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        errors.append(said("enabled_rules", Text("screening.error.rule_ids", {})))
        return frozenset(RULES_BY_ID)
    return frozenset(raw)


DEFAULT_RULESET = RuleSet(version=1)
