"""Registering and updating vendors (procurement staff and admins)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.enums import Ownership
from procurement.errors import ErrorCode, NotFound, PermissionDenied
from procurement.models import Purchase, Vendor
from procurement.permissions import Action, Principal, require
from procurement.registry.messages import ERRORS
from procurement.screening.store.rescreen import rescreen_purchases
from procurement.texts import Text
from procurement.validation import Checker, camel


@dataclass(frozen=True, slots=True)
class VendorInput:
    name: str
    country: str
    ownership: Ownership | str
    registration_id: str | None = None
    ultimate_parent_name: str | None = None
    ultimate_parent_country: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    name_zh: str | None = None  # the name in Chinese documents (agreements)


VENDOR_FIELDS = frozenset(VendorInput.__dataclass_fields__)

# snake_case field -> the camelCase name clients use, for error paths.
_CLIENT_NAMES = {
    "name": "name",
    "country": "country",
    "ownership": "ownership",
    "registration_id": "registrationId",
    "ultimate_parent_name": "ultimateParentName",
    "ultimate_parent_country": "ultimateParentCountry",
    "address": "address",
    "contact_name": "contactName",
    "contact_email": "contactEmail",
    "contact_phone": "contactPhone",
    "name_zh": "nameZh",
}


def _validate(values: Mapping[str, Any], check: Checker) -> dict[str, Any]:
    """Validate the given vendor fields; a field absent from ``values`` is left alone."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        field = _CLIENT_NAMES[key]
        if key == "name":
            out[key] = check.text(field, value, max_len=200)
        elif key == "country":
            out[key] = check.country(field, value)
        elif key == "ownership":
            out[key] = check.enum(field, value, Ownership)
        elif key == "ultimate_parent_country":
            out[key] = check.country(field, value, required=False)
        elif key == "contact_email":
            out[key] = check.email(field, value)
        elif key == "name_zh":
            out[key] = check.chinese_text(field, value, max_len=200)
        else:
            limit = {"registration_id": 64, "contact_phone": 40, "contact_name": 120}.get(key, 300)
            out[key] = check.text(field, value, max_len=limit, required=False)
    return out


async def register_vendor(session: AsyncSession, principal: Principal, data: VendorInput) -> Vendor:
    require(principal, Action.MANAGE_VENDORS)
    check = Checker()
    values = _validate(asdict(data), check)
    check.done()
    vendor = Vendor(**values)
    session.add(vendor)
    await session.flush()
    audit.record(
        session, principal, "vendor.registered", "Vendor", vendor.id,
        operator_id=principal.operator_id, after=audit.snapshot(vendor),
    )  # fmt: skip
    await session.commit()
    return vendor


async def update_vendor(
    session: AsyncSession, principal: Principal, vendor_id: int, changes: Mapping[str, Any]
) -> Vendor:
    """Change the given fields only; ``changes`` maps VendorInput field names to new values."""
    require(principal, Action.MANAGE_VENDORS)
    check = Checker()
    unknown = set(changes) - VENDOR_FIELDS
    for key in sorted(unknown):
        check.fail(camel(key), Text("registry.vendor.unknown_field", {}), templates=ERRORS)
    values = _validate({k: v for k, v in changes.items() if k in VENDOR_FIELDS}, check)
    if not changes:
        check.fail(None, Text("registry.no_changes", {}), ErrorCode.REQUIRED, ERRORS)
    vendor = await session.get(Vendor, vendor_id)
    if vendor is None:
        raise NotFound("id", "vendor", vendor_id)
    # A vendor record is shared: a change rescreens every operator's purchases from it. Staff of
    # one operator may change a vendor only while it supplies no other operator.
    supplied = set(
        await session.scalars(
            select(Purchase.operator_id).where(Purchase.vendor_id == vendor.id).distinct()
        )
    )
    if not principal.is_admin and supplied - {principal.operator_id}:
        raise PermissionDenied(
            f"vendor {vendor.id} also supplies other operators: only an administrator may change it"
        )
    check.done()
    before = audit.snapshot(vendor)
    for key, value in values.items():
        setattr(vendor, key, value)
    await session.flush()
    # One event per operator it supplies, so each operator's auditors see the change.
    after = audit.snapshot(vendor)
    operator_ids: list[int | None] = [*sorted(supplied)] or [principal.operator_id]
    for operator_id in operator_ids:
        audit.record(
            session,
            principal,
            "vendor.updated",
            "Vendor",
            vendor.id,
            operator_id=operator_id,
            before=before,
            after=after,
        )
    # A vendor is shared by every operator: all its purchases are screened again.
    purchase_ids = list(
        await session.scalars(select(Purchase.id).where(Purchase.vendor_id == vendor.id))
    )
    await rescreen_purchases(session, purchase_ids, "vendor.updated", actor=principal)
    await session.commit()
    return vendor
