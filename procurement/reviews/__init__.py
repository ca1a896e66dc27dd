"""Review case domain logic: working-day calendar, state machine, deadlines, usage rules.

Pure functions over plain values: no database, no GraphQL.
"""

from procurement.reviews.calendar import (
    DateRange,
    Deadline,
    WorkingDayCount,
    add_working_days,
    is_working_day,
    working_days_between,
)
from procurement.reviews.deadlines import (
    DEADLINE_RULES,
    MEMBER_REPLIES_RULE,
    DeadlineRule,
    deadline_for,
    is_overdue,
    member_replies_deadline,
)
from procurement.reviews.declaration import (
    DECLARATION_CHECKLIST,
    ChecklistItem,
    DeclarationMaterial,
    missing_declaration_materials,
)
from procurement.reviews.state_machine import (
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    CaseEvent,
    CaseState,
    EventKind,
    allowed_events,
    transition,
)
from procurement.reviews.usage import (
    UsageFlag,
    UsageFlagCode,
    ensure_can_record_in_use,
    usage_flag,
)

__all__ = [
    "DEADLINE_RULES",
    "DECLARATION_CHECKLIST",
    "FINAL_STATES",
    "MEMBER_REPLIES_RULE",
    "OPEN_STATES",
    "TRANSITIONS",
    "CaseEvent",
    "CaseState",
    "ChecklistItem",
    "DateRange",
    "Deadline",
    "DeadlineRule",
    "DeclarationMaterial",
    "EventKind",
    "UsageFlag",
    "UsageFlagCode",
    "WorkingDayCount",
    "add_working_days",
    "allowed_events",
    "deadline_for",
    "ensure_can_record_in_use",
    "is_overdue",
    "is_working_day",
    "member_replies_deadline",
    "missing_declaration_materials",
    "transition",
    "usage_flag",
    "working_days_between",
]
