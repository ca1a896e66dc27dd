"""What a role is bound to: one rule for tokens and people's accounts (same role/scope model)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import Role
from procurement.errors import ErrorCode
from procurement.models import Operator, Vendor
from procurement.registry.messages import ERRORS
from procurement.registry.messages import role as named
from procurement.texts import Text
from procurement.validation import Checker


async def check_binding(
    check: Checker,
    session: AsyncSession,
    role: Role | None,
    operator_id: int | None,
    vendor_id: int | None,
    what: Literal["account", "token"],
) -> None:
    """Vendors belong to a vendor, admins to no operator, everyone else to one operator."""
    if role is Role.VENDOR and vendor_id is None:
        needs_vendor = Text(f"registry.binding.vendor_required.{what}", {})
        check.fail("vendor", needs_vendor, ErrorCode.REQUIRED, ERRORS)
    if role is not None and role is not Role.VENDOR and vendor_id is not None:
        check.fail("vendor", Text(f"registry.binding.vendor_only.{what}", {}), templates=ERRORS)
    if role not in (None, Role.ADMIN, Role.VENDOR) and operator_id is None:
        needs_operator = Text(f"registry.binding.operator_required.{what}", {"role": named(role)})
        check.fail("operator", needs_operator, ErrorCode.REQUIRED, ERRORS)
    if role is Role.ADMIN and operator_id is not None:
        check.fail("operator", Text(f"registry.binding.admin.{what}", {}), templates=ERRORS)
    if operator_id is not None and await session.get(Operator, operator_id) is None:
        missing = Text("registry.not_found.operator", {"id": operator_id})
        check.fail("operator", missing, ErrorCode.NOT_FOUND, ERRORS)
    if vendor_id is not None and await session.get(Vendor, vendor_id) is None:
        missing = Text("registry.not_found.vendor", {"id": vendor_id})
        check.fail("vendor", missing, ErrorCode.NOT_FOUND, ERRORS)
