"""Registering and changing purchases (procurement staff and admins of the purchase's operator)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.clock import today_in_china
from procurement.concurrency import at_version, check_expected_version, refuse_concurrent_change
from procurement.db import utcnow
from procurement.enums import PersonRole, PurchaseCategory, PurchaseStatus
from procurement.errors import ErrorCode, InputError, NotFound, PermissionDenied
from procurement.models import CiiSystem, Operator, Purchase, ResponsiblePerson, Vendor
from procurement.permissions import Action, Principal, require, require_operator_access
from procurement.registry.messages import ERRORS
from procurement.reviews import ensure_can_record_in_use, usage_flag
from procurement.reviews.state_machine import Withdraw
from procurement.reviews.store import (
    EventKind,
    add_event,
    apply_transition,
    check_event_date,
    latest_case,
)
from procurement.screening.store.rescreen import rescreen_purchases
from procurement.texts import Text
from procurement.validation import Checker, camel


@dataclass(frozen=True, slots=True)
class PersonInput:
    name: str
    role: PersonRole | str
    position: str | None = None


@dataclass(frozen=True, slots=True)
class PurchaseInput:
    vendor_id: int
    title: str
    category: PurchaseCategory | str
    contract_value: Decimal | str
    currency: str
    tax_included: bool
    contract_date: date | str
    persons: Sequence[PersonInput]
    operator_id: int | None = None  # defaults to the caller's operator
    cii_system_id: int | None = None
    description: str | None = None
    handles_core_data: bool = False
    handles_important_data: bool = False
    handles_personal_information: bool = False
    personal_information_subjects: int | None = None
    vendor_remote_maintenance: bool = False
    vendor_update_channel: bool = False
    single_source: bool = False
    certification_reference: str | None = None
    harm_to_life_or_finance: bool = False  # APL Art. 36: the five-year limitation period
    title_zh: str | None = None  # the title in Chinese documents (agreements)


# Fields updatePurchase may change (operator and vendor are fixed once registered), in the order
# their errors are reported: a tuple, so the order never depends on hashing.
UPDATABLE_ORDER = (
    "title", "description", "category", "contract_value", "currency", "tax_included",
    "contract_date", "cii_system_id", "handles_core_data", "handles_important_data",
    "handles_personal_information", "personal_information_subjects",
    "vendor_remote_maintenance", "vendor_update_channel", "single_source",
    "certification_reference", "harm_to_life_or_finance", "title_zh", "persons",
)  # fmt: skip
UPDATABLE = frozenset(UPDATABLE_ORDER)
_FLAGS = (
    "tax_included",
    "handles_core_data",
    "handles_important_data",
    "handles_personal_information",
    "vendor_remote_maintenance",
    "vendor_update_channel",
    "single_source",
    "harm_to_life_or_finance",
)


def _validate_fields(values: Mapping[str, Any], check: Checker) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = camel(key)
        if key == "title":
            out[key] = check.text(name, value, max_len=300)
        elif key == "description":
            out[key] = check.text(name, value, max_len=10_000, required=False)
        elif key == "title_zh":
            out[key] = check.chinese_text(name, value, max_len=300)
        elif key == "certification_reference":
            out[key] = check.text(name, value, max_len=300, required=False)
        elif key == "category":
            out[key] = check.enum(name, value, PurchaseCategory)
        elif key == "contract_value":
            out[key] = check.amount("contractValue.amount", value)
        elif key == "currency":
            out[key] = check.currency("contractValue.currency", value)
        elif key == "contract_date":
            out[key] = check.date_value(name, value)
        elif key == "personal_information_subjects":
            out[key] = check.non_negative_int(name, value)
        elif key in _FLAGS:
            if not isinstance(value, bool):
                check.fail(name, Text("registry.purchase.boolean", {}), templates=ERRORS)
            out[key] = bool(value)
        elif key == "cii_system_id":
            out[key] = value
    return out


def _validate_persons(persons: Sequence[PersonInput], check: Checker) -> list[ResponsiblePerson]:
    rows: list[ResponsiblePerson] = []
    errors_before = len(check.errors)
    for i, person in enumerate(persons):
        name = check.text(f"persons.{i}.name", person.name, max_len=120)
        role = check.enum(f"persons.{i}.role", person.role, PersonRole)
        position = check.text(f"persons.{i}.position", person.position, max_len=120, required=False)
        if name is not None and role is not None:
            rows.append(ResponsiblePerson(name=name, role=role, position=position))
    # A person whose own entry was invalid may have been the person in charge: don't guess.
    entries_failed = len(check.errors) > errors_before
    if not entries_failed and not any(p.role is PersonRole.PERSON_IN_CHARGE for p in rows):
        in_charge = Text("registry.purchase.person_in_charge", {})
        check.fail("persons", in_charge, ErrorCode.REQUIRED, ERRORS)
    return rows


def _check_personal_information(values: Mapping[str, Any], check: Checker) -> None:
    if values.get("personal_information_subjects") and not values.get(
        "handles_personal_information"
    ):
        without = Text("registry.purchase.subjects_without_pi", {})
        check.fail("personalInformationSubjects", without, templates=ERRORS)


async def _check_cii_system(
    session: AsyncSession, cii_system_id: int | None, operator_id: int, check: Checker
) -> None:
    if cii_system_id is None:
        return
    owner = await session.scalar(select(CiiSystem.operator_id).where(CiiSystem.id == cii_system_id))
    if owner != operator_id:
        missing = Text("registry.not_found.cii_system", {"id": cii_system_id})
        check.fail("ciiSystemId", missing, ErrorCode.NOT_FOUND, ERRORS)


def _purchase_snapshot(purchase: Purchase, persons: Sequence[ResponsiblePerson]) -> dict[str, Any]:
    # The row version is bookkeeping for concurrent changes, not a fact of the purchase.
    return audit.snapshot(purchase, exclude=frozenset({"version"})) | {
        "persons": [audit.snapshot(p, exclude=frozenset({"id", "purchase_id"})) for p in persons]
    }


async def _exists(session: AsyncSession, key: Any, value: int) -> bool:
    """Whether a row with this primary key exists (no ORM object is made for it)."""
    return await session.scalar(select(key).where(key == value)) is not None


def _person_row(purchase_id: int, person: ResponsiblePerson) -> dict[str, Any]:
    return {
        "purchase_id": purchase_id,
        "name": person.name,
        "role": person.role,
        "position": person.position,
    }


async def register_purchase(
    session: AsyncSession, principal: Principal, data: PurchaseInput
) -> Purchase:
    require(principal, Action.MANAGE_PURCHASES)
    operator_id = data.operator_id if data.operator_id is not None else principal.operator_id
    if operator_id is None:
        raise NotFound("operatorId", "operator", "(none given)")
    require_operator_access(principal, operator_id)
    if not await _exists(session, Operator.id, operator_id):
        raise NotFound("operatorId", "operator", operator_id)

    check = Checker()
    raw = {k: getattr(data, k) for k in UPDATABLE_ORDER if k != "persons"}
    values = _validate_fields(raw, check)
    _check_personal_information(values, check)
    persons = _validate_persons(data.persons, check)
    if not await _exists(session, Vendor.id, data.vendor_id):
        missing = Text("registry.not_found.vendor", {"id": data.vendor_id})
        check.fail("vendorId", missing, ErrorCode.NOT_FOUND, ERRORS)
    await _check_cii_system(session, data.cii_system_id, operator_id, check)
    check.done()

    purchase = Purchase(operator_id=operator_id, vendor_id=data.vendor_id, **values)
    session.add(purchase)
    await session.flush()
    # Core rows, not ORM objects: the persons of a purchase inserted in this transaction have
    # no cached exposure digest for the ORM's invalidation to drop (see rescreen below).
    await session.execute(insert(ResponsiblePerson), [_person_row(purchase.id, p) for p in persons])
    audit.record(
        session,
        principal,
        "purchase.registered",
        "Purchase",
        purchase.id,
        operator_id=operator_id,
        after=_purchase_snapshot(purchase, persons),
    )
    await rescreen_purchases(
        session, [purchase.id], "purchase.registered", actor=principal, registered_here=True
    )
    await session.commit()
    return purchase


async def _load_for_change(
    session: AsyncSession, principal: Principal, purchase_id: int
) -> tuple[Purchase, list[ResponsiblePerson]]:
    require(principal, Action.MANAGE_PURCHASES)
    purchase = await session.get(Purchase, purchase_id)
    if purchase is None:
        raise NotFound("id", "purchase", purchase_id)
    try:
        require_operator_access(principal, purchase.operator_id)
    except PermissionDenied:
        raise NotFound("id", "purchase", purchase_id) from None  # don't reveal it exists
    persons = list(
        await session.scalars(
            select(ResponsiblePerson)
            .where(ResponsiblePerson.purchase_id == purchase_id)
            .order_by(ResponsiblePerson.id)
        )
    )
    return purchase, persons


# Of two changes to one purchase at the same moment, the later UPDATE finds the version changed.
purchase_change = refuse_concurrent_change(
    "purchase", "purchase_id", Purchase.version, Purchase.id, describe=at_version
)


@purchase_change
async def update_purchase(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Purchase:
    """Change the given fields; ``persons``, when given, replaces the whole list.

    With ``expected_version``, an edit of a copy older than the stored purchase is refused.
    """
    purchase, old_persons = await _load_for_change(session, principal, purchase_id)
    check_expected_version("purchase", purchase.version, expected_version)
    check = Checker()
    if not changes:
        check.fail(None, Text("registry.no_changes", {}), ErrorCode.REQUIRED, ERRORS)
    for key in sorted(set(changes) - UPDATABLE):
        check.fail(camel(key), Text("registry.purchase.unchangeable", {}), templates=ERRORS)
    given = {k: changes[k] for k in UPDATABLE_ORDER if k in changes}
    values = _validate_fields(given, check)
    merged = {k: getattr(purchase, k) for k in UPDATABLE_ORDER if k != "persons"} | values
    _check_personal_information(merged, check)
    new_persons = (
        _validate_persons(changes["persons"], check) if changes.get("persons") is not None else None
    )
    if "cii_system_id" in values:
        await _check_cii_system(session, values["cii_system_id"], purchase.operator_id, check)
    if purchase.status is PurchaseStatus.CANCELLED:
        cancelled = Text("registry.purchase.cancelled", {})
        check.fail(None, cancelled, ErrorCode.INVALID_STATE, ERRORS)
    check.done()

    before = _purchase_snapshot(purchase, old_persons)
    for key, value in values.items():
        setattr(purchase, key, value)
    # Always an UPDATE of the row (first, before the persons): a change of the persons alone
    # also takes part in the version, and concurrent edits queue on the row's lock.
    purchase.updated_at = utcnow()
    await session.flush()
    persons = old_persons
    if new_persons is not None:
        await session.execute(
            delete(ResponsiblePerson).where(ResponsiblePerson.purchase_id == purchase.id)
        )
        for person in new_persons:
            person.purchase_id = purchase.id
            session.add(person)
        persons = new_persons
    await session.flush()
    audit.record(
        session,
        principal,
        "purchase.updated",
        "Purchase",
        purchase.id,
        operator_id=purchase.operator_id,
        before=before,
        after=_purchase_snapshot(purchase, persons),
    )
    await rescreen_purchases(session, [purchase.id], "purchase.updated", actor=principal)
    await session.commit()
    return purchase


@purchase_change
async def record_purchase_in_use(
    session: AsyncSession, principal: Principal, purchase_id: int, in_use_date: date | str
) -> Purchase:
    """Record the date the product or service was put into use (its own duty under the CSL)."""
    purchase, _ = await _load_for_change(session, principal, purchase_id)
    check = Checker()
    when = check.date_value("inUseDate", in_use_date)
    if when is not None and when < purchase.contract_date:
        days = {"day": when.isoformat(), "contract": purchase.contract_date.isoformat()}
        early = Text("registry.purchase.before_contract", days)
        check.fail("inUseDate", early, ErrorCode.OUT_OF_RANGE, ERRORS)
    if purchase.status is PurchaseStatus.CANCELLED:
        cancelled = Text("registry.purchase.cancelled", {})
        check.fail(None, cancelled, ErrorCode.INVALID_STATE, ERRORS)
    case = await latest_case(session, purchase.id)
    try:
        ensure_can_record_in_use(case.state if case else None)
    except InputError as refused:
        check.errors.extend(refused.errors)
    check.done()
    before = {"in_use_date": audit.json_value(purchase.in_use_date)}
    purchase.in_use_date = when
    flag = usage_flag(case.state if case else None, in_use=True)
    if case is not None and flag is not None:
        # Allowed, but the reviewers must see it on the case.
        add_event(session, case, principal, EventKind.IN_USE, on=when, note=flag.message)
    await session.flush()
    audit.record(
        session,
        principal,
        "purchase.in_use_recorded",
        "Purchase",
        purchase.id,
        operator_id=purchase.operator_id,
        before=before,
        after={"in_use_date": audit.json_value(when)},
    )
    await session.commit()
    return purchase


@purchase_change
async def cancel_purchase(
    session: AsyncSession,
    principal: Principal,
    purchase_id: int,
    reason: str,
    on: date | str | None = None,
    *,
    today: date | None = None,
) -> Purchase:
    """Cancel the purchase; its open review case is withdrawn with the same reason and date."""
    purchase, _ = await _load_for_change(session, principal, purchase_id)
    today = today or today_in_china()
    check = Checker()
    why = check.text("reason", reason, max_len=2000)
    when = check.date_value("on", on, required=False) if on is not None else today
    if purchase.status is PurchaseStatus.CANCELLED:
        already = Text("registry.purchase.already_cancelled", {})
        check.fail(None, already, ErrorCode.INVALID_STATE, ERRORS)
    if when is not None and when > today:
        future = Text("registry.purchase.future", {"day": when.isoformat()})
        check.fail("on", future, ErrorCode.OUT_OF_RANGE, ERRORS)
    case = await latest_case(session, purchase.id)
    open_case = case if case is not None and case.open_purchase_id is not None else None
    if open_case is not None and when is not None:
        try:
            check_event_date(open_case, when, today)
        except InputError as refused:
            check.errors.extend(refused.errors)
    check.done()
    assert why is not None and when is not None

    before = {"status": purchase.status.value}
    purchase.status = PurchaseStatus.CANCELLED
    await session.flush()
    audit.record(
        session,
        principal,
        "purchase.cancelled",
        "Purchase",
        purchase.id,
        operator_id=purchase.operator_id,
        before=before,
        after={"status": purchase.status.value, "reason": why, "on": when.isoformat()},
    )
    if open_case is not None:
        await apply_transition(session, principal, open_case, Withdraw(when, why), note=why)
    await session.commit()
    return purchase
