"""The facts about one purchase that the calculator needs, and the what-if transform."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from procurement.errors import ErrorCode, FieldError
from procurement.identification import CiiPeriod

_CODE = re.compile(r"^[A-Z]{3}$")


class Role(StrEnum):
    PERSON_IN_CHARGE = "PERSON_IN_CHARGE"  # 直接负责的主管人员
    OTHER_RESPONSIBLE = "OTHER_RESPONSIBLE"  # 其他直接责任人员


@dataclass(frozen=True, slots=True)
class ResponsiblePerson:
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class PurchaseExposureFacts:
    """Everything the fine rules look at, nothing more.

    ``contract_date`` is the date of the purchase act; the contract value is converted to CNY at
    the rate in force that day. ``may_affect_national_security`` is true when screening said YES
    or a reviewer confirmed it. ``agreement_act_date`` is when the agreement duty arose; ``None``
    means the contract date. ``vendor`` and ``category`` are only used for grouping.
    """

    purchase_id: str
    title: str
    contract_value: Decimal
    currency: str
    tax_included: bool
    contract_date: date
    in_use_date: date | None
    may_affect_national_security: bool
    review_passed: bool
    review_failed: bool
    agreement_signed: bool
    agreement_act_date: date | None = None
    persons: tuple[ResponsiblePerson, ...] = ()
    vendor: str | None = None
    category: str | None = None
    # Free text describing what the contract value covers, shown with the basis (采购金额 is
    # undefined: whole contract or in-scope items, multi-year total or paid to date).
    amount_scope: str = field(default="whole contract value")
    # False: the operator is not an identified CII operator. Every fine this calculator knows
    # (CII Regulations Arts. 39(9) and 41, the CSL's Arts. 59/61 and 65/67) punishes a duty of
    # CII operators only, so such a purchase exposes nothing.
    operator_is_cii: bool = True
    # False: not a network product or service, so neither duty (review, agreement) exists.
    network_product: bool = True
    # The operator's identification periods (CII Regulations Arts. 10-11); None: unknown, and
    # ``operator_is_cii`` holds for all time (an operator row without any recorded period).
    cii_periods: tuple[CiiPeriod, ...] | None = None
    # Administrative Penalty Law Art. 36: five years instead of two when citizens' life and
    # health safety or financial security is involved and harm resulted (set by the user).
    harm_to_life_or_finance: bool = False
    # The day the authority took the purchase up (discovery stops the time bar); None: assumed
    # not discovered.
    investigated_on: date | None = None

    @property
    def agreement_duty_date(self) -> date:
        return self.agreement_act_date or self.contract_date


def validate_facts(facts: PurchaseExposureFacts) -> list[FieldError]:
    """Problems that would make any computed fine meaningless."""
    errors: list[FieldError] = []

    def fail(name: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        errors.append(FieldError(name, message, code))

    if not facts.purchase_id.strip():
        fail("purchase_id", "is required", ErrorCode.REQUIRED)
    value = facts.contract_value
    if not isinstance(value, Decimal) or not value.is_finite():
        fail("contract_value", "must be a finite Decimal")
    elif value < 0:
        fail("contract_value", f"must not be negative (got {value})", ErrorCode.OUT_OF_RANGE)
    if not _CODE.match(facts.currency):
        fail("currency", f"'{facts.currency}' is not an ISO 4217 code such as CNY or USD")
    if facts.review_passed and facts.review_failed:
        fail("review_failed", "a review cannot both pass and fail", ErrorCode.INVALID_STATE)
    seen: set[ResponsiblePerson] = set()
    for i, person in enumerate(facts.persons):
        if not person.name.strip():
            fail(f"persons[{i}].name", "is required", ErrorCode.REQUIRED)
        if person in seen:
            fail(f"persons[{i}]", f"'{person.name}' is listed twice", ErrorCode.DUPLICATE)
        seen.add(person)
    return errors


# The currencies already matched against _CODE in this process (a handful of ISO codes).
_GOOD_CODES: set[str] = set()


def plainly_valid(facts: PurchaseExposureFacts) -> bool:
    """True only when :func:`validate_facts` finds nothing, without building its error list:
    the check a cold summary makes on thousands of facts, nearly all of them valid. False
    means "ask validate_facts", which says what is wrong."""
    return plainly_valid_parts(
        facts.purchase_id,
        facts.contract_value,
        facts.currency,
        facts.review_passed and facts.review_failed,
        [(person.name, person.role) for person in facts.persons],
    )


def plainly_valid_parts(
    purchase_id: str,
    contract_value: Decimal,
    currency: str,
    passed_and_failed: bool,
    persons: Sequence[tuple[str, object]],
) -> bool:
    """:func:`plainly_valid` of facts with these fields (the others are not checked), the
    persons as (name, role) pairs (any role values that map one to one onto Role), for a
    caller that has not built the facts (procurement.exposure.cache prices thousands of
    purchases of a few hundred shapes without them)."""
    if currency not in _GOOD_CODES:
        if not _CODE.match(currency):
            return False
        _GOOD_CODES.add(currency)
    value = contract_value
    if (
        type(value) is not Decimal
        or not value.is_finite()
        or value < 0
        or passed_and_failed
        or not purchase_id.strip()
    ):
        return False
    for name, _role in persons:
        if not name.strip():
            return False
    if len(persons) == 2:  # the usual pair, compared field by field (no hashing, no set)
        first, second = persons
        return first[0] != second[0] or first[1] != second[1]
    return len(persons) < 2 or len(set(persons)) == len(persons)


def review_pending(facts: PurchaseExposureFacts) -> bool:
    """A review is owed and has no outcome yet (not started counts as pending)."""
    return facts.may_affect_national_security and not (facts.review_passed or facts.review_failed)


def what_if_differs(facts: PurchaseExposureFacts) -> bool:
    """Whether :func:`what_if_compliant` changes anything: a review pending or an agreement
    missing (else the what-if is the purchase itself), without building the what-if."""
    return review_pending(facts) or not facts.agreement_signed


def what_if_compliant(facts: PurchaseExposureFacts) -> PurchaseExposureFacts:
    """The same purchase if every pending review passed and every missing agreement were signed.

    A *failed* review stays failed: it is an outcome, not something still to be done, and using
    a failed product stays exposed. Nothing else changes, so exposure can only go down.
    """
    return replace(
        facts,
        review_passed=facts.review_passed or review_pending(facts),
        agreement_signed=True,
    )
