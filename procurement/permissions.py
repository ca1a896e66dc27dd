"""The single choke point for authorisation.

Two questions, asked by every service and by every read path, CLI and API alike:
- ``require(principal, action)``: may this role do this kind of thing at all?
- ``scope_*(stmt, principal)``: which rows may this principal see? Non-admin principals belong to
  one operator and see only its rows; vendor principals see only their vendor's purchases, and of
  those purchases' agreements only the ones sent to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import Select, false, or_, select

from procurement.enums import Role
from procurement.errors import PermissionDenied
from procurement.models import (
    Agreement,
    AgreementTemplate,
    Job,
    NotificationSubscription,
    Operator,
    Purchase,
    ReviewCase,
    Vendor,
)

T = TypeVar("T")


class Action(StrEnum):
    READ_OPERATORS = "read_operators"
    MANAGE_OPERATORS = "manage_operators"
    READ_VENDORS = "read_vendors"
    MANAGE_VENDORS = "manage_vendors"
    READ_PURCHASES = "read_purchases"
    MANAGE_PURCHASES = "manage_purchases"
    READ_INTERNAL_FIELDS = "read_internal_fields"  # responsible persons, screening, reviews, fines
    READ_AUDIT = "read_audit"
    MANAGE_TOKENS = "manage_tokens"
    MANAGE_ACCOUNTS = "manage_accounts"  # people's accounts and their console sessions
    READ_EXPOSURE = "read_exposure"
    MANAGE_EXPOSURE_DATA = "manage_exposure_data"  # exchange rates, penalty schedules
    UPLOAD_SBOM = "upload_sbom"
    READ_SBOMS = "read_sboms"
    READ_SCREENING = "read_screening"  # screening results, findings, rules, advisories, lists
    READ_REVIEWS = "read_reviews"  # review cases, their history and pending-review lists
    MANAGE_REVIEWS = "manage_reviews"  # triage, record decisions, assign, comment
    MANAGE_SCREENING = "manage_screening"  # rule sets, advisories, restriction lists
    READ_AGREEMENTS = "read_agreements"  # documents and status; vendors only their own, sent ones
    MANAGE_AGREEMENTS = "manage_agreements"  # generate, record sent/signed, terminate
    READ_AGREEMENT_TEMPLATES = "read_agreement_templates"
    MANAGE_AGREEMENT_TEMPLATES = "manage_agreement_templates"
    RECORD_SUPERVISION = "record_supervision"  # supervision checks of the provider's obligations
    # Issue 12: every account manages its own notification subscriptions; team addresses of an
    # operator are an admin's.
    MANAGE_OWN_SUBSCRIPTIONS = "manage_own_subscriptions"
    MANAGE_OPERATOR_SUBSCRIPTIONS = "manage_operator_subscriptions"
    MANAGE_HOLIDAY_CALENDARS = "manage_holiday_calendars"  # load a year's State Council schedule
    RECORD_INVESTIGATION = "record_investigation"  # a purchase under investigation (APL Art. 36)


# What each action lets a person do, in the words a refusal uses (never the internal name).
WHAT_IT_ALLOWS: dict[Action, str] = {
    Action.READ_OPERATORS: "read operators",
    Action.MANAGE_OPERATORS: "register or change operators",
    Action.READ_VENDORS: "read vendors",
    Action.MANAGE_VENDORS: "register or change vendors",
    Action.READ_PURCHASES: "read purchases",
    Action.MANAGE_PURCHASES: "register or change purchases",
    Action.READ_INTERNAL_FIELDS: (
        "read a purchase's internal fields (responsible persons, screening, reviews, fines)"
    ),
    Action.READ_AUDIT: "read the audit log",
    Action.MANAGE_TOKENS: "create or revoke API tokens",
    Action.MANAGE_ACCOUNTS: "create, disable or sign out people's accounts",
    Action.READ_EXPOSURE: "see the fines a purchase may expose the operator to",
    Action.MANAGE_EXPOSURE_DATA: "change exchange rates or penalty schedules",
    Action.UPLOAD_SBOM: "upload SBOMs",
    Action.READ_SBOMS: "read SBOMs",
    Action.READ_SCREENING: "see screening results, rules, advisories or restriction lists",
    Action.READ_REVIEWS: "see review cases",
    Action.MANAGE_REVIEWS: "triage or record decisions on review cases",
    Action.MANAGE_SCREENING: "change screening rules, advisories or restriction lists",
    Action.READ_AGREEMENTS: "read agreements",
    Action.MANAGE_AGREEMENTS: "generate agreements or record them sent, signed or terminated",
    Action.READ_AGREEMENT_TEMPLATES: "read agreement templates",
    Action.MANAGE_AGREEMENT_TEMPLATES: "upload agreement template versions",
    Action.RECORD_SUPERVISION: "record supervision checks",
    Action.MANAGE_OWN_SUBSCRIPTIONS: "subscribe to notifications",
    Action.MANAGE_OPERATOR_SUBSCRIPTIONS: "manage an operator's team notification addresses",
    Action.MANAGE_HOLIDAY_CALENDARS: "load holiday schedules",
    Action.RECORD_INVESTIGATION: "mark a purchase as under investigation",
}

_EVERYONE = frozenset(Role)
_INTERNAL = _EVERYONE - {Role.VENDOR}

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.READ_OPERATORS: _EVERYONE,
    Action.MANAGE_OPERATORS: frozenset({Role.ADMIN}),
    Action.READ_VENDORS: _EVERYONE,
    Action.MANAGE_VENDORS: frozenset({Role.ADMIN, Role.PROCUREMENT}),
    Action.READ_PURCHASES: _EVERYONE,
    Action.MANAGE_PURCHASES: frozenset({Role.ADMIN, Role.PROCUREMENT}),
    Action.READ_INTERNAL_FIELDS: _INTERNAL,
    Action.READ_AUDIT: frozenset({Role.ADMIN, Role.AUDITOR}),
    Action.MANAGE_TOKENS: frozenset({Role.ADMIN}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    # Vendors upload for their own purchases; procurement staff may upload on a vendor's behalf.
    Action.UPLOAD_SBOM: frozenset({Role.ADMIN, Role.PROCUREMENT, Role.VENDOR}),
    Action.READ_SBOMS: _EVERYONE,
    # Vendors never see how they were screened or reviewed (findings name their weaknesses).
    Action.READ_SCREENING: _INTERNAL,
    Action.READ_REVIEWS: _INTERNAL,
    Action.MANAGE_REVIEWS: frozenset({Role.ADMIN, Role.REVIEWER}),
    Action.MANAGE_SCREENING: frozenset({Role.ADMIN}),
    Action.READ_AGREEMENTS: _EVERYONE,
    Action.MANAGE_AGREEMENTS: frozenset({Role.ADMIN, Role.LEGAL}),
    Action.READ_AGREEMENT_TEMPLATES: _INTERNAL,
    Action.MANAGE_AGREEMENT_TEMPLATES: frozenset({Role.ADMIN, Role.LEGAL}),
    # Issue 5: "Legal or reviewers record supervision checks".
    Action.RECORD_SUPERVISION: frozenset({Role.ADMIN, Role.LEGAL, Role.REVIEWER}),
    Action.READ_EXPOSURE: _INTERNAL,
    Action.MANAGE_EXPOSURE_DATA: frozenset({Role.ADMIN}),
    Action.MANAGE_OWN_SUBSCRIPTIONS: _EVERYONE,
    Action.MANAGE_OPERATOR_SUBSCRIPTIONS: frozenset({Role.ADMIN}),
    # One schedule serves every operator's deadlines, so only admins load it.
    Action.MANAGE_HOLIDAY_CALENDARS: frozenset({Role.ADMIN}),
    # The authority's inquiry reaches the operator's buyers or its lawyers first.
    Action.RECORD_INVESTIGATION: frozenset({Role.ADMIN, Role.PROCUREMENT, Role.LEGAL}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. ``token_id`` is None for the local command line acting as admin and for
    a person signed in to the console (``account_id`` set, ``session_id`` the console session)."""

    role: Role
    name: str
    token_id: int | None = None
    operator_id: int | None = None
    vendor_id: int | None = None
    account_id: int | None = None
    session_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


SYSTEM = Principal(role=Role.ADMIN, name="local command line")


def can(principal: Principal, action: Action) -> bool:
    return principal.role in ALLOWED[action]


def require(principal: Principal, action: Action) -> None:
    if not can(principal, action):
        raise PermissionDenied(f"role '{principal.role.value}' may not {WHAT_IT_ALLOWS[action]}")


def require_operator_access(principal: Principal, operator_id: int) -> None:
    """Refuse to act on another operator's data (admins act on any operator)."""
    if principal.is_admin:
        return
    if principal.role is Role.VENDOR or principal.operator_id != operator_id:
        raise PermissionDenied("not allowed for this operator")


def scope_purchases(stmt: Select[T], principal: Principal) -> Select[T]:
    if principal.is_admin:
        return stmt
    if principal.role is Role.VENDOR:
        stmt = stmt.where(Purchase.vendor_id == principal.vendor_id)
        if principal.operator_id is not None:
            stmt = stmt.where(Purchase.operator_id == principal.operator_id)
        return stmt
    if principal.operator_id is None:
        return stmt.where(false())
    return stmt.where(Purchase.operator_id == principal.operator_id)


def scope_operators(stmt: Select[T], principal: Principal) -> Select[T]:
    if principal.is_admin:
        return stmt
    if principal.role is Role.VENDOR:
        # A vendor sees the operators it supplies, and nothing of the others.
        supplied = scope_purchases(select(Purchase.operator_id), principal)
        return stmt.where(Operator.id.in_(supplied.scalar_subquery()))
    return stmt.where(Operator.id == principal.operator_id)


def scope_vendors(stmt: Select[T], principal: Principal) -> Select[T]:
    """Vendors are shared reference data for operators' staff; a vendor user sees only itself."""
    if principal.role is Role.VENDOR:
        return stmt.where(Vendor.id == principal.vendor_id)
    return stmt


def scope_review_cases(stmt: Select[T], principal: Principal) -> Select[T]:
    """Cases of the principal's operator; none at all for vendors (checked by READ_REVIEWS too)."""
    if principal.is_admin:
        return stmt
    if principal.role is Role.VENDOR or principal.operator_id is None:
        return stmt.where(false())
    return stmt.where(ReviewCase.operator_id == principal.operator_id)


def scope_agreements(stmt: Select[T], principal: Principal) -> Select[T]:
    """Agreements of the purchases the principal sees; a vendor sees only those sent to it
    (drafts are the operator's work in progress)."""
    if principal.is_admin:
        return stmt
    visible = scope_purchases(select(Purchase.id), principal)
    stmt = stmt.where(Agreement.purchase_id.in_(visible))
    if principal.role is Role.VENDOR:
        stmt = stmt.where(Agreement.sent_on.is_not(None))
    return stmt


def scope_agreement_templates(stmt: Select[T], principal: Principal) -> Select[T]:
    """Shared template versions (no operator) and the principal's own operator's versions."""
    if principal.is_admin:
        return stmt
    if principal.role is Role.VENDOR or principal.operator_id is None:
        return stmt.where(false())
    return stmt.where(
        or_(
            AgreementTemplate.operator_id.is_(None),
            AgreementTemplate.operator_id == principal.operator_id,
        )
    )


def scope_subscriptions(stmt: Select[T], principal: Principal) -> Select[T]:
    """Notification subscriptions: admins see all; everyone else only the ones of their token."""
    if principal.is_admin:
        return stmt
    if principal.token_id is None:
        return stmt.where(false())
    return stmt.where(NotificationSubscription.token_id == principal.token_id)


def scope_jobs(stmt: Select[T], principal: Principal) -> Select[T]:
    """Background jobs: admins see all; others the jobs they asked for (by token or console
    account) and, operators' staff, those of their operator. Arguments and outcomes are counts
    and triggers, never another operator's rows."""
    if principal.is_admin:
        return stmt
    mine = []
    if principal.token_id is not None:
        mine.append(Job.actor_token_id == principal.token_id)
    if principal.account_id is not None:
        mine.append(Job.actor_account_id == principal.account_id)
    if principal.role is not Role.VENDOR and principal.operator_id is not None:
        mine.append(Job.operator_id == principal.operator_id)
    return stmt.where(or_(*mine)) if mine else stmt.where(false())
