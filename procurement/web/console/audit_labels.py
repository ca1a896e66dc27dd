"""The audit log's vocabulary as a person reads it: what each action did and what kind of object
it concerns. The stored values stay the API's (they are shown beside, in code style); an action
this map does not know is shown as stored."""

from __future__ import annotations

from collections.abc import Callable

from procurement.reviews.state_machine import EventKind

Gettext = Callable[[str], str]


def audit_actions(_: Gettext) -> dict[str, str]:
    actions = {
        "account.created": _("Account created"),
        "account.disabled": _("Account disabled"),
        "account.enabled": _("Account enabled"),
        "account.sessions_ended": _("Signed out of every browser"),
        "account.tokens_revoked": _("The account's tokens revoked"),
        "advisories.dump_uploaded": _("Advisory dump uploaded"),
        "advisories.dump_imported": _("Advisory dump imported"),
        "advisories.imported": _("Advisories imported"),
        "agreement.generated": _("Agreement generated"),
        "agreement.superseded": _("Agreement superseded"),
        "agreement.sent": _("Agreement sent"),
        "agreement.signed": _("Agreement signed"),
        "agreement.terminated": _("Agreement terminated"),
        "agreement_template.registered": _("Agreement template registered"),
        "agreement_template.uploaded": _("Agreement template uploaded"),
        "auth.throttled": _("Sign-in attempts throttled"),
        "exchange_rate.set": _("Exchange rate recorded"),
        "holiday_calendar.loaded": _("Holiday calendar loaded"),
        "job.failed": _("Background job failed"),
        "jobs.pruned": _("Old background jobs and uploads deleted"),
        "notification.failed": _("Notification failed"),
        "notification.test_requested": _("Test notification requested"),
        "notification_subscription.created": _("Notification subscription created"),
        "notification_subscription.deleted": _("Notification subscription deleted"),
        "notification_subscription.updated": _("Notification subscription changed"),
        "operator.registered": _("Operator registered"),
        "operator.updated": _("Operator changed"),
        "penalty_schedules.updated": _("Penalty schedules changed"),
        "purchase.cancelled": _("Purchase cancelled"),
        "purchase.in_use_recorded": _("Purchase put into use"),
        "purchase.investigation_marked": _("Purchase marked as under investigation"),
        "purchase.investigation_cleared": _("Investigation mark cleared"),
        "purchase.registered": _("Purchase registered"),
        "purchase.updated": _("Purchase changed"),
        "restriction_list.created": _("Restriction list created"),
        "restriction_list.updated": _("Restriction list changed"),
        "review_case.assigned": _("Review case assigned"),
        "review_case.attachment_added": _("Attachment added to a review case"),
        "review_case.commented": _("Comment on a review case"),
        "review_case.deadline_recomputed": _("Review deadline recounted"),
        "review_case.marked_complex": _("Review case marked complex"),
        "review_case.materials_received": _("Supplementary materials received"),
        "review_case.materials_requested": _("Supplementary materials requested"),
        "review_case.opened": _("Review case opened"),
        "sbom.rejected": _("SBOM rejected"),
        "sbom.upload_conflicted": _("SBOM upload conflicted"),
        "sbom.uploaded": _("SBOM uploaded"),
        "sbom.upload_queued": _("Large SBOM upload queued for checking"),
        "screening.verdict_changed": _("Screening verdict changed"),
        "screening_rules.updated": _("Screening rules changed"),
        "session.ended": _("Signed out"),
        "session.started": _("Signed in"),
        "signin.failed": _("Sign-in failed"),
        "signin.throttled": _("Sign-in throttled"),
        "supervision_check.recorded": _("Supervision check recorded"),
        "token.created": _("API token created"),
        "token.revoked": _("API token revoked"),
        "vendor.registered": _("Vendor registered"),
        "vendor.updated": _("Vendor changed"),
    }
    steps = {
        EventKind.DECIDE_NOT_REQUIRED: _("Review case: no declaration needed"),
        EventKind.PREPARE_DECLARATION: _("Review case: declaration being prepared"),
        EventKind.FILE_DECLARATION: _("Review case: declaration filed"),
        EventKind.OFFICE_NO_REVIEW: _("Review case: the office runs no review"),
        EventKind.OFFICE_START_REVIEW: _("Review case: the office started a review"),
        EventKind.START_SPECIAL_REVIEW: _("Review case: special review started"),
        EventKind.REVIEW_PASSED: _("Review case: passed"),
        EventKind.REVIEW_FAILED: _("Review case: failed"),
        EventKind.WITHDRAW: _("Review case withdrawn"),
    }
    # reviews/store.py records a case's transition as review_case.<event, lower case>
    return actions | {f"review_case.{kind.value.lower()}": label for kind, label in steps.items()}


def object_types(_: Gettext) -> dict[str, str]:
    return {
        "Account": _("Account"),
        "Advisory": _("Advisory"),
        "Agreement": _("Agreement"),
        "AgreementTemplate": _("Agreement template"),
        "ApiToken": _("API token"),
        "ExchangeRate": _("Exchange rate"),
        "HolidayCalendarYear": _("Holiday calendar"),
        "Job": _("Background job"),
        "NotificationDelivery": _("Notification delivery"),
        "NotificationSubscription": _("Notification subscription"),
        "Operator": _("Operator"),
        "PenaltyScheduleSet": _("Penalty schedules"),
        "Purchase": _("Purchase"),
        "RestrictionList": _("Restriction list"),
        "ReviewCase": _("Review case"),
        "Sbom": _("SBOM"),
        "ScreeningRuleSet": _("Screening rules"),
        "SupervisionCheck": _("Supervision check"),
        "Vendor": _("Vendor"),
    }
