"""Review cases (internal: never for vendors). ``overdue`` is judged on ``asOf`` (default: today
in China); inside ``pendingReviews`` the list's own ``asOf`` is the default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import graphene
from graphene import relay

from procurement.clock import today_in_china
from procurement.models import ReviewCase as CaseModel
from procurement.models import ReviewEvent, ReviewPause
from procurement.reviews import (
    DECLARATION_CHECKLIST,
    Deadline,
    UsageFlag,
    allowed_events,
    usage_flag,
)
from procurement.reviews.deadlines import deadline_of, is_past_due
from procurement.reviews.decisions import (
    OfficeDecision,
    PendingReviewOrder,
    ReviewOutcome,
    TriageDecision,
)
from procurement.reviews.declaration import DeclarationMaterial
from procurement.reviews.state_machine import CaseState
from procurement.reviews.usage import UsageFlagCode
from schema.core.describe import enum_description
from schema.core.ids import to_global_id
from schema.core.pagination import CountedConnection
from schema.core.scalars import JSON
from schema.purchases.loaders import PurchaseByIdLoader
from schema.reviews.loaders import (
    ReviewAttachmentsByCaseIdLoader,
    ReviewCaseByIdLoader,
    ReviewCountingRulesLoader,
    ReviewEventsByCaseIdLoader,
    ReviewPausesByCaseIdLoader,
)

CaseStateEnum = graphene.Enum.from_enum(
    CaseState,
    name="ReviewCaseState",
    description=enum_description(
        "A cybersecurity review case's state (Review Measures 2021).",
        PENDING_TRIAGE="Waiting for the operator to decide whether a declaration is required",
        NOT_REQUIRED="Triaged: no declaration required (with a written justification)",
        DECLARATION_PREPARED="Triaged: the Art. 8 declaration is being prepared",
        DECLARED="Declared to the Cybersecurity Review Office; waiting for its Art. 9 decision",
        NO_REVIEW_NEEDED="The Office decided no review is needed (Art. 9)",
        UNDER_REVIEW="The Office is reviewing (Arts. 10-11)",
        SPECIAL_REVIEW="The Office started a special review procedure (Arts. 13-14)",
        PASSED="The review passed",
        FAILED="The review failed: the product or service may not be used",
        WITHDRAWN="The declaration was withdrawn",
    ),
)
MaterialEnum = graphene.Enum.from_enum(
    DeclarationMaterial,
    name="DeclarationMaterial",
    description=enum_description(
        "Review Measures Art. 8 declaration materials.",
        DECLARATION_FORM="The declaration form",
        IMPACT_ANALYSIS_REPORT="Analysis of the (possible) impact on national security",
        PROCUREMENT_DOCUMENTS="Procurement documents, agreements and contracts to be signed",
        OFFICE_REQUESTED_MATERIALS="Other materials the Cybersecurity Review Office asked for",
    ),
)
TriageDecisionEnum = graphene.Enum.from_enum(
    TriageDecision,
    name="TriageDecision",
    description=enum_description(
        "Whether a purchase needs an Art. 8 declaration.",
        NOT_REQUIRED="No declaration needed (a written justification is required)",
        DECLARATION_REQUIRED="Prepare the Art. 8 declaration",
    ),
)
OfficeDecisionEnum = graphene.Enum.from_enum(
    OfficeDecision,
    name="OfficeDecision",
    description=enum_description(
        "A decision of the Cybersecurity Review Office on a declaration.",
        NO_REVIEW_NEEDED="Art. 9: no review needed",
        REVIEW_STARTED="Arts. 9, 11: written notice that a review will be run",
        MARKED_COMPLEX="Art. 11: a complex case, +15 working days",
        SPECIAL_REVIEW_STARTED="Arts. 13-14: special review procedure started",
    ),
)
ReviewOutcomeEnum = graphene.Enum.from_enum(
    ReviewOutcome,
    name="ReviewOutcome",
    description=enum_description(
        "The result of a cybersecurity review.",
        PASSED="The review passed",
        FAILED="The review failed",
    ),
)
PendingReviewOrderEnum = graphene.Enum.from_enum(
    PendingReviewOrder,
    name="PendingReviewOrder",
    description=enum_description(
        "How to sort pending review cases.",
        DEADLINE="Earliest due first (so overdue first); cases without a clock last",
        RISK="Highest screening score first",
        VALUE="Highest CNY value first; values not known in CNY last",
    ),
)
UsageFlagCodeEnum = graphene.Enum.from_enum(
    UsageFlagCode,
    name="UsageFlagCode",
    description=enum_description(
        "Why a purchase's use is flagged.",
        IN_USE_REVIEW_OPEN="In use while its review case is still open",
        IN_USE_REVIEW_FAILED="In use although its review failed",
    ),
)


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as shown in one request: ``as_of`` is the day ``overdue`` is judged on."""

    case: CaseModel
    as_of: date | None = None

    @property
    def id(self) -> int:
        return self.case.id


class ReviewDeadline(graphene.ObjectType):
    """The statutory deadline of the office's next step, in Chinese working days."""

    due = graphene.Date(description="Null while the clock is stopped for materials")
    start = graphene.Date(required=True, description="The date the clock runs from")
    working_days = graphene.Int(required=True, description="The statutory period, in working days")
    days_counted = graphene.Int(required=True, description="Working days elapsed when stopped")
    suspended_since = graphene.Date(
        description="The day the clock stopped for materials; null while running"
    )
    basis = graphene.String(
        required=True, description="The rule, its period and start day (and pauses), in English"
    )
    warnings = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="E.g. a year beyond the holiday calendar (weekends only were counted)",
    )
    provisional = graphene.Boolean(
        required=True,
        description="Counted through a year with no holiday schedule (Monday-Friday): the due "
        "date may move once the year is loaded (see holidayCalendars)",
    )
    provisional_years = graphene.List(
        graphene.NonNull(graphene.Int),
        required=True,
        description="Years counted without a holiday schedule",
    )


class ReviewPauseType(graphene.ObjectType):
    """A stop of the review clock while the office awaits materials (Art. 15)"""

    class Meta:
        name = "ReviewPause"

    requested_on = graphene.Date(
        required=True, description="The day the office asked for materials"
    )
    received_on = graphene.Date(description="Null while the materials are awaited")
    note = graphene.String(description="What the office asked for")


class Attachment(graphene.ObjectType):
    """A file attached to a review case"""

    file_name = graphene.String(required=True, description="The file's name as uploaded")
    size_bytes = graphene.Int(required=True, description="Size in bytes")
    sha256 = graphene.String(required=True, description="SHA-256 of the content, hex")
    uploaded_by = graphene.String(required=True, description="Who attached it")
    uploaded_at = graphene.DateTime(required=True, description="When it was attached")


class ChecklistItem(graphene.ObjectType):
    """An Art. 8 declaration material with the files attached for it."""

    material = graphene.Field(MaterialEnum, required=True, description="Which material")
    description = graphene.String(
        required=True, description="What it is, in English with the Chinese term"
    )
    basis = graphene.String(
        required=True,
        description="Where the Review Measures require it, e.g. Review Measures Art. 8(1)",
    )
    required_for_filing = graphene.Boolean(
        required=True, description="Must be attached before the declaration can be recorded"
    )
    attachments = graphene.List(
        graphene.NonNull(Attachment), required=True, description="Files attached for it"
    )


class AssignedReviewer(graphene.ObjectType):
    """Whom a case is assigned to: a person's account, or (older assignments, machines) a
    token."""

    account_id = graphene.ID(description="The assigned person's account (null for a machine)")
    token_id = graphene.Int(
        description="The token the case was assigned through (null when assigned by account)",
        deprecation_reason="Use accountId: cases are assigned to people",
    )
    name = graphene.String(required=True, description="The account's or the token's name")


class UsageFlagType(graphene.ObjectType):
    """A purchase in use whose review is open (or failed)."""

    class Meta:
        name = "UsageFlag"

    code = graphene.Field(UsageFlagCodeEnum, required=True, description="Which kind of flag")
    state = graphene.Field(CaseStateEnum, required=True, description="The review case's state")
    message = graphene.String(required=True, description="Explanation, in English")


def flag_of(case: CaseModel | None, in_use: bool) -> UsageFlag | None:
    return usage_flag(case.state if case else None, in_use)


def _history_entry(event: ReviewEvent) -> dict[str, Any]:
    return {
        "at": event.created_at.isoformat(),
        "on": event.on_date.isoformat() if event.on_date else None,
        "kind": event.kind,
        "from": event.from_state.value if event.from_state else None,
        "to": event.to_state.value if event.to_state else None,
        "note": event.note,
        "details": event.details,
        "actor": {"name": event.actor_name, "role": event.actor_role},
    }


class ReviewCase(graphene.ObjectType):
    """The cybersecurity review of one purchase (Review Measures Arts. 5-15)."""

    class Meta:
        interfaces = (relay.Node,)

    purchase = graphene.Field(
        "schema.purchases.types.Purchase", description="The purchase under review"
    )
    state = graphene.Field(CaseStateEnum, required=True, description="The case's state")
    state_since = graphene.Date(required=True, description="The day it entered that state")
    complex = graphene.Boolean(required=True, description="Art. 11: +15 working days")
    deadline = graphene.Date(
        description="Due date of the office's next step; null if none runs; see deadlineProvisional"
    )
    deadline_provisional = graphene.Boolean(
        required=True,
        description="The deadline was counted through a year with no holiday schedule loaded "
        "(Monday-Friday), so it may still move",
    )
    deadline_info = graphene.Field(
        ReviewDeadline, description="How the deadline was counted; null if none runs"
    )
    overdue = graphene.Boolean(
        required=True,
        as_of=graphene.Date(description="The day to judge on (default: today in China)"),
        description="Whether the deadline passed before asOf",
    )
    history = graphene.List(
        graphene.NonNull(JSON),
        required=True,
        description="Entries {at, on, kind, from, to, note, details, actor {name, role}}, oldest "
        "first",
    )
    allowed_events = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="What may happen next"
    )
    declared_on = graphene.Date(description="The day the declaration was filed with the office")
    outcome_on = graphene.Date(description="The day of the office's conclusion")
    outcome_note = graphene.String(description="Note recorded with the outcome")
    risk_score = graphene.Int(
        required=True,
        description="The latest screening score while the case is open",
    )
    assigned_reviewer = graphene.Field(
        AssignedReviewer, description="Whom the case is assigned to; null: unassigned"
    )
    pauses = graphene.List(
        graphene.NonNull(ReviewPauseType),
        required=True,
        description="Requests for supplementary materials, oldest first",
    )
    checklist = graphene.List(
        graphene.NonNull(ChecklistItem),
        required=True,
        description="The Art. 8 declaration materials and their attachments",
    )
    usage_flag = graphene.Field(
        UsageFlagType,
        description="Set while the purchase is in use and the review is open or failed",
    )
    opened_at = graphene.DateTime(required=True, description="When the case was opened")
    closed_at = graphene.DateTime(description="When it was closed; null while open")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, CaseView)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> CaseView | None:
        case = await ReviewCaseByIdLoader(info).load(int(pk))
        return None if case is None else CaseView(case)

    @staticmethod
    def resolve_purchase(root: CaseView, info: Any) -> Any:
        return PurchaseByIdLoader(info).get(root.case.purchase_id)

    @staticmethod
    def resolve_state(root: CaseView, _info: Any) -> CaseState:
        return root.case.state

    @staticmethod
    def resolve_state_since(root: CaseView, _info: Any) -> date:
        return root.case.state_since

    @staticmethod
    def resolve_complex(root: CaseView, _info: Any) -> bool:
        return root.case.complex

    @staticmethod
    def resolve_deadline(root: CaseView, _info: Any) -> date | None:
        return root.case.deadline_due

    @staticmethod
    def resolve_deadline_provisional(root: CaseView, _info: Any) -> bool:
        return root.case.deadline_provisional

    @staticmethod
    async def resolve_deadline_info(root: CaseView, info: Any) -> Deadline | None:
        pauses = await ReviewPausesByCaseIdLoader(info).load(root.case.id)
        return deadline_of(root.case, pauses, await ReviewCountingRulesLoader(info).load(0))

    @staticmethod
    def resolve_overdue(root: CaseView, _info: Any, as_of: date | None = None) -> bool:
        return is_past_due(root.case.deadline_due, as_of or root.as_of or today_in_china())

    @staticmethod
    async def resolve_history(root: CaseView, info: Any) -> list[dict[str, Any]]:
        events = await ReviewEventsByCaseIdLoader(info).load(root.case.id)
        return [_history_entry(e) for e in events]

    @staticmethod
    def resolve_allowed_events(root: CaseView, _info: Any) -> list[str]:
        return [e.value for e in allowed_events(root.case.state)]

    @staticmethod
    def resolve_declared_on(root: CaseView, _info: Any) -> date | None:
        return root.case.declared_on

    @staticmethod
    def resolve_outcome_on(root: CaseView, _info: Any) -> date | None:
        return root.case.outcome_on

    @staticmethod
    def resolve_outcome_note(root: CaseView, _info: Any) -> str | None:
        return root.case.outcome_note

    @staticmethod
    def resolve_risk_score(root: CaseView, _info: Any) -> int:
        return root.case.risk_score

    @staticmethod
    def resolve_assigned_reviewer(root: CaseView, _info: Any) -> AssignedReviewer | None:
        c = root.case
        if c.assigned_token_id is None and c.assigned_account_id is None:
            return None
        account = (
            None
            if c.assigned_account_id is None
            else to_global_id("Account", c.assigned_account_id)
        )
        return AssignedReviewer(
            account_id=account, token_id=c.assigned_token_id, name=c.assigned_name or ""
        )

    @staticmethod
    async def resolve_pauses(root: CaseView, info: Any) -> list[ReviewPause]:
        return await ReviewPausesByCaseIdLoader(info).load(root.case.id)

    @staticmethod
    async def resolve_checklist(root: CaseView, info: Any) -> list[ChecklistItem]:
        files = await ReviewAttachmentsByCaseIdLoader(info).load(root.case.id)
        return [
            ChecklistItem(
                material=item.material,
                description=item.description,
                basis=item.basis,
                required_for_filing=item.required_for_filing,
                attachments=[f for f in files if f.material is item.material],
            )
            for item in DECLARATION_CHECKLIST
        ]

    @staticmethod
    async def resolve_usage_flag(root: CaseView, info: Any) -> UsageFlag | None:
        purchase = await PurchaseByIdLoader(info).load(root.case.purchase_id)
        return flag_of(root.case, purchase is not None and purchase.in_use_date is not None)

    @staticmethod
    def resolve_opened_at(root: CaseView, _info: Any) -> Any:
        return root.case.opened_at

    @staticmethod
    def resolve_closed_at(root: CaseView, _info: Any) -> Any:
        return root.case.closed_at


class PendingReviewConnection(CountedConnection):
    class Meta:
        node = ReviewCase
        description = "A page of ReviewCase nodes, with the total count"
