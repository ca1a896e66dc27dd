"""What a role is bound to: one rule for tokens and people's accounts (same role/scope model)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import Role
from procurement.errors import ErrorCode
from procurement.models import Operator, Vendor
from procurement.validation import Checker


async def check_binding(
    check: Checker,
    session: AsyncSession,
    role: Role | None,
    operator_id: int | None,
    vendor_id: int | None,
    what: str,
) -> None:
    """Vendors belong to a vendor, admins to no operator, everyone else to one operator."""
    if role is Role.VENDOR and vendor_id is None:
        check.fail("vendor", f"a vendor {what} must be bound to a vendor", ErrorCode.REQUIRED)
    if role is not None and role is not Role.VENDOR and vendor_id is not None:
        check.fail("vendor", f"only vendor {what}s are bound to a vendor", ErrorCode.INVALID)
    if role not in (None, Role.ADMIN, Role.VENDOR) and operator_id is None:
        check.fail("operator", f"a {role} {what} must belong to an operator", ErrorCode.REQUIRED)
    if role is Role.ADMIN and operator_id is not None:
        check.fail(
            "operator", f"admin {what}s see every operator; give no operator", ErrorCode.INVALID
        )
    if operator_id is not None and await session.get(Operator, operator_id) is None:
        check.fail("operator", f"operator {operator_id} not found", ErrorCode.NOT_FOUND)
    if vendor_id is not None and await session.get(Vendor, vendor_id) is None:
        check.fail("vendor", f"vendor {vendor_id} not found", ErrorCode.NOT_FOUND)
