"""Reading and validating penalty schedules (the seed file now, admin edits later).

Every problem is collected as a :class:`~procurement.errors.FieldError` with a dotted path such
as ``schedules[3].entity_max`` so an admin sees all mistakes at once, then raised together as one
:class:`~procurement.errors.InputError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from typing import Any, TypeVar

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.exposure.messages import said
from procurement.exposure.schedules import (
    ActKind,
    Condition,
    Consequence,
    EntityBasis,
    Law,
    PenaltySchedule,
    PersonScope,
)
from procurement.texts import Text

SEED_RESOURCE = "seed_schedules.json"
E = TypeVar("E", bound=StrEnum)


class _Reader:
    """Typed field access on one raw record that records errors instead of raising."""

    def __init__(self, raw: Mapping[str, Any], path: str, errors: list[FieldError]) -> None:
        self.raw, self.path, self.errors = raw, path, errors

    def fail(self, key: str, message: Text, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.errors.append(said(f"{self.path}.{key}", message, code))

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(key, Text("input.required", {}), ErrorCode.REQUIRED)
            return ""
        if not isinstance(value, str):
            self.fail(key, Text("input.string", {}))
            return ""
        return value.strip()

    def enum(self, key: str, kind: type[E], *, nullable: bool = False) -> E | None:
        value = self.raw.get(key)
        if value is None and nullable:
            return None
        try:
            return kind(str(value))
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            self.fail(key, Text("input.enum", {"value": str(value), "allowed": allowed}))
            return None

    def day(self, key: str, *, nullable: bool = False) -> date | None:
        value = self.raw.get(key)
        if value is None and nullable:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, Text("exposure.error.iso_date", {"value": str(value)}))
            return None

    def decimal(self, key: str) -> Decimal | None:
        value = self.raw.get(key)
        if value is None:
            return None
        # bool is an int subclass; binary floats never reach here (json parse_float=Decimal).
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.fail(key, Text("exposure.error.decimal_string", {}))
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            self.fail(key, Text("input.decimal", {"value": str(value)}))
            return None
        if not amount.is_finite():
            self.fail(key, Text("exposure.error.finite", {}))
            return None
        return amount


def parse_schedule(raw: Mapping[str, Any], path: str, errors: list[FieldError]) -> PenaltySchedule:
    """One record; problems go to ``errors`` (the returned object is then not to be used)."""
    r = _Reader(raw, path, errors)
    consequences: list[Consequence] = []
    raw_consequences = raw.get("consequences", [])
    if not isinstance(raw_consequences, list):
        r.fail("consequences", Text("exposure.error.list", {}))
        raw_consequences = []
    for i, value in enumerate(raw_consequences):
        try:
            consequences.append(Consequence(value))
        except ValueError:
            allowed = ", ".join(m.value for m in Consequence)
            r.fail(
                f"consequences[{i}]", Text("input.enum", {"value": str(value), "allowed": allowed})
            )
    verified = raw.get("verified", True)
    if not isinstance(verified, bool):
        r.fail("verified", Text("exposure.error.boolean", {}))
        verified = False
    return PenaltySchedule(
        id=r.text("id"),
        law=r.enum("law", Law) or Law.CII_REGULATIONS_2021,
        article=r.text("article"),
        act_kind=r.enum("act_kind", ActKind) or ActKind.PURCHASE_WITHOUT_REVIEW,
        condition=r.enum("condition", Condition) or Condition.IMMEDIATE,
        effective_from=r.day("effective_from") or date.min,
        effective_to=r.day("effective_to", nullable=True),
        entity_basis=r.enum("entity_basis", EntityBasis) or EntityBasis.NONE,
        entity_min=r.decimal("entity_min"),
        entity_max=r.decimal("entity_max"),
        person_min=r.decimal("person_min"),
        person_max=r.decimal("person_max"),
        person_scope=r.enum("person_scope", PersonScope, nullable=True),
        consequences=tuple(consequences),
        source=r.text("source"),
        note=r.text("note", required=False),
        verified=verified,
    )


def _pair_errors(
    path: str, name: str, lo: Decimal | None, hi: Decimal | None, required: bool
) -> list[FieldError]:
    """Checks one min/max pair: both or neither, non-negative, min <= max."""
    if lo is None and hi is None:
        if required:
            return [said(f"{path}.{name}_min", Text("input.required", {}), ErrorCode.REQUIRED)]
        return []
    if not required:
        return [said(f"{path}.{name}_min", Text("exposure.error.empty_here", {}))]
    if lo is None or hi is None:
        missing = f"{name}_min" if lo is None else f"{name}_max"
        return [said(f"{path}.{missing}", Text("input.required", {}), ErrorCode.REQUIRED)]
    errors = [
        said(
            f"{path}.{name}_{end}",
            Text("exposure.error.negative", {"value": str(value)}),
            ErrorCode.OUT_OF_RANGE,
        )
        for end, value in (("min", lo), ("max", hi))
        if value < 0
    ]
    if lo > hi:
        errors.append(
            said(
                f"{path}.{name}_min",
                Text("exposure.error.min_max", {"min": str(lo), "max": str(hi)}),
                ErrorCode.OUT_OF_RANGE,
            )
        )
    return errors


def validate_schedule(s: PenaltySchedule, path: str = "schedule") -> list[FieldError]:
    """Checks within one record."""
    errors: list[FieldError] = []
    has_entity = s.entity_basis is not EntityBasis.NONE
    errors += _pair_errors(path, "entity", s.entity_min, s.entity_max, has_entity)
    has_person = s.person_min is not None or s.person_max is not None
    errors += _pair_errors(path, "person", s.person_min, s.person_max, has_person)
    if has_person and s.person_scope is None:
        errors.append(
            said(
                f"{path}.person_scope",
                Text("exposure.error.person_scope_required", {}),
                ErrorCode.REQUIRED,
            )
        )
    if not has_person and s.person_scope is not None:
        errors.append(said(f"{path}.person_scope", Text("exposure.error.person_scope_empty", {})))
    if s.effective_to is not None and s.effective_to <= s.effective_from:
        errors.append(
            said(
                f"{path}.effective_to",
                Text(
                    "exposure.error.effective_to",
                    {"to": s.effective_to.isoformat(), "since": s.effective_from.isoformat()},
                ),
                ErrorCode.OUT_OF_RANGE,
            )
        )
    if not has_entity and not has_person and not s.consequences:
        errors.append(said(path, Text("exposure.error.empty_tier", {}), ErrorCode.REQUIRED))
    return errors


def _overlaps(a: PenaltySchedule, b: PenaltySchedule) -> bool:
    a_before_b_ends = b.effective_to is None or a.effective_from < b.effective_to
    b_before_a_ends = a.effective_to is None or b.effective_from < a.effective_to
    return a_before_b_ends and b_before_a_ends


def validate_schedules(schedules: Sequence[PenaltySchedule]) -> list[FieldError]:
    """Every problem in a schedule table: per record, duplicate ids, and overlapping periods
    for the same law, article, act kind and tier (which figure applies would be ambiguous)."""
    errors: list[FieldError] = []
    first_index: dict[str, int] = {}
    for i, s in enumerate(schedules):
        path = f"schedules[{i}]"
        errors += validate_schedule(s, path)
        if s.id in first_index:
            errors.append(
                said(
                    f"{path}.id",
                    Text("exposure.error.duplicate_id", {"id": s.id, "index": first_index[s.id]}),
                    ErrorCode.DUPLICATE,
                )
            )
        first_index.setdefault(s.id, i)
        for j in range(i):
            other = schedules[j]
            if (other.norm, other.condition) == (s.norm, s.condition) and _overlaps(other, s):
                errors.append(
                    said(
                        f"{path}.effective_from",
                        Text(
                            "exposure.error.overlap",
                            {
                                "label": s.label,
                                "act": s.act_kind.value,
                                "condition": s.condition.value,
                                "index": j,
                                "other": other.id,
                            },
                        ),
                        ErrorCode.CONFLICT,
                    )
                )
    return errors


def parse_schedules(document: str | bytes) -> tuple[PenaltySchedule, ...]:
    """Parses and validates a schedule document; raises :class:`InputError` with every problem."""
    try:
        # parse_float=Decimal: a number written as 1.5 in the file never becomes a binary float.
        data = json.loads(document, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError([said(None, Text("exposure.error.json", {"error": str(exc)}))]) from exc
    records = data.get("schedules") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise InputError([said("schedules", Text("exposure.error.records", {}))])
    errors: list[FieldError] = []
    parsed: list[PenaltySchedule] = []
    for i, raw in enumerate(records):
        if not isinstance(raw, dict):
            errors.append(said(f"schedules[{i}]", Text("exposure.error.object", {})))
            continue
        parsed.append(parse_schedule(raw, f"schedules[{i}]", errors))
    if not errors:  # cross-record checks only make sense on well-formed records
        errors += validate_schedules(parsed)
    if errors:
        raise InputError(errors)
    return tuple(parsed)


def load_seed_schedules() -> tuple[PenaltySchedule, ...]:
    """The packaged seed schedules (figures from LEGAL.md), validated."""
    document = resources.files("procurement.exposure").joinpath(SEED_RESOURCE).read_bytes()
    return parse_schedules(document)
