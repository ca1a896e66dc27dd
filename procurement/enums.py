"""Closed vocabularies of the domain, with the legal source of each."""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """CII Regulations Art. 2 sectors (important industries and fields)."""

    PUBLIC_TELECOM_AND_INFORMATION_SERVICES = "PUBLIC_TELECOM_AND_INFORMATION_SERVICES"
    ENERGY = "ENERGY"
    TRANSPORT = "TRANSPORT"
    WATER_CONSERVANCY = "WATER_CONSERVANCY"
    FINANCE = "FINANCE"
    PUBLIC_SERVICES = "PUBLIC_SERVICES"
    E_GOVERNMENT = "E_GOVERNMENT"
    NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY = "NATIONAL_DEFENCE_SCIENCE_TECHNOLOGY_INDUSTRY"
    OTHER = "OTHER"


class PurchaseCategory(StrEnum):
    """Cybersecurity Review Measures (2021) Art. 21 network products and services; a network
    product or service outside that list (OUTSIDE_SCOPE: the Art. 20 agreement is still owed, the
    review only if it may affect national security); and NOT_NETWORK_PRODUCT (office chairs:
    neither the review, nor the agreement, nor an SBOM concerns it)."""

    CORE_NETWORK_EQUIPMENT = "CORE_NETWORK_EQUIPMENT"
    IMPORTANT_TELECOM_PRODUCT = "IMPORTANT_TELECOM_PRODUCT"
    HIGH_PERFORMANCE_COMPUTER_SERVER = "HIGH_PERFORMANCE_COMPUTER_SERVER"
    MASS_STORAGE_DEVICE = "MASS_STORAGE_DEVICE"
    LARGE_DATABASE_APPLICATION_SOFTWARE = "LARGE_DATABASE_APPLICATION_SOFTWARE"
    NETWORK_SECURITY_EQUIPMENT = "NETWORK_SECURITY_EQUIPMENT"
    CLOUD_COMPUTING_SERVICE = "CLOUD_COMPUTING_SERVICE"
    OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE = "OTHER_IMPORTANT_NETWORK_PRODUCT_SERVICE"
    OUTSIDE_SCOPE = "OUTSIDE_SCOPE"
    NOT_NETWORK_PRODUCT = "NOT_NETWORK_PRODUCT"

    @property
    def in_article_21(self) -> bool:
        return self not in (PurchaseCategory.OUTSIDE_SCOPE, PurchaseCategory.NOT_NETWORK_PRODUCT)

    @property
    def is_network_product(self) -> bool:
        """A network product or service (CII Regulations Arts. 19-20 can apply at all)."""
        return self is not PurchaseCategory.NOT_NETWORK_PRODUCT


class Ownership(StrEnum):
    STATE = "STATE"
    PRIVATE = "PRIVATE"
    FOREIGN_CONTROLLED = "FOREIGN_CONTROLLED"
    JOINT_VENTURE = "JOINT_VENTURE"
    OTHER = "OTHER"


class PersonRole(StrEnum):
    """CII Regulations Art. 41: the person in charge and other directly responsible personnel."""

    PERSON_IN_CHARGE = "PERSON_IN_CHARGE"
    OTHER_RESPONSIBLE = "OTHER_RESPONSIBLE"


class PurchaseStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"


class Role(StrEnum):
    ADMIN = "admin"
    PROCUREMENT = "procurement"
    VENDOR = "vendor"
    LEGAL = "legal"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"


# --- Vocabularies the models store, so that procurement.models imports no domain package; the
# domains re-export them. New notes are comments: graphene publishes a docstring in the SDL. ---


class Verdict(StrEnum):
    """Whether the purchase may affect national security (CII Regulations Art. 19)."""

    YES = "YES"
    NO = "NO"
    NEEDS_ASSESSMENT = "NEEDS_ASSESSMENT"


# Review case states (Review Measures 2021); the transitions are reviews.state_machine.
class CaseState(StrEnum):
    PENDING_TRIAGE = "PENDING_TRIAGE"
    NOT_REQUIRED = "NOT_REQUIRED"
    DECLARATION_PREPARED = "DECLARATION_PREPARED"
    DECLARED = "DECLARED"
    NO_REVIEW_NEEDED = "NO_REVIEW_NEEDED"
    UNDER_REVIEW = "UNDER_REVIEW"
    SPECIAL_REVIEW = "SPECIAL_REVIEW"
    PASSED = "PASSED"
    FAILED = "FAILED"
    WITHDRAWN = "WITHDRAWN"


# Review Measures Art. 8 declaration materials (the checklist is reviews.declaration).
class DeclarationMaterial(StrEnum):
    DECLARATION_FORM = "DECLARATION_FORM"
    IMPACT_ANALYSIS_REPORT = "IMPACT_ANALYSIS_REPORT"
    PROCUREMENT_DOCUMENTS = "PROCUREMENT_DOCUMENTS"
    OFFICE_REQUESTED_MATERIALS = "OFFICE_REQUESTED_MATERIALS"


# CII Regulations Art. 20 agreement life cycle (transitions in agreements.lifecycle).
class AgreementState(StrEnum):
    DRAFT = "DRAFT"  # generated, not yet sent to the provider
    SENT = "SENT"  # sent to the provider for signature
    SIGNED = "SIGNED"  # signed by both parties: in force
    SUPERSEDED = "SUPERSEDED"  # replaced by a newer agreement for the same purchase
    TERMINATED = "TERMINATED"  # ended (or, before signature, withdrawn)


class ObligationStatus(StrEnum):
    """The result of the latest supervision check of an obligation."""

    OPEN = "OPEN"  # never checked
    MET = "MET"
    NOT_MET = "NOT_MET"


class CheckResult(StrEnum):
    MET = "MET"
    NOT_MET = "NOT_MET"


# When a provider's obligation (Art. 20 "监督") falls due.
class Recurrence(StrEnum):
    ONCE = "once"  # due on ``due``
    ANNUAL = "annual"  # due on ``due`` and on each anniversary of it until ``until``
    ON_EVENT = "on_event"  # due a window (hours or days) after each triggering event


# A finding's severity, in rising order (stored as a rank on screening results for filters).
class Severity(StrEnum):
    INFO = "INFO"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"

    @property
    def rank(self) -> int:
        return tuple(Severity).index(self)


# What a notification subscription may ask to hear of (issue 12); the value is the notice's stable
# ``kind`` that webhook receivers route on.
class NotificationKind(StrEnum):
    REVIEW_CASE_CHANGED = "review.case_changed"
    REVIEW_DEADLINE_NEAR = "review.deadline_near"
    REVIEW_DEADLINE_PASSED = "review.deadline_passed"
    SBOM_UPLOADED = "sbom.uploaded"
    SBOM_REFUSED = "sbom.refused"
    ADVISORY_HIT = "screening.advisory_hit"
    OBLIGATION_DUE = "obligation.due"
    OBLIGATION_FAILED = "obligation.failed"
    AGREEMENT_SENT = "agreement.sent"
    AGREEMENT_SIGNED = "agreement.signed"
    JOB_FAILED = "job.failed"  # a background job ended FAILED after its retries (admins)


class NotificationMode(StrEnum):
    IMMEDIATE = "IMMEDIATE"  # one notice per event, as soon as the dispatcher runs
    DAILY_DIGEST = "DAILY_DIGEST"  # one summary a day at the configured hour, China time


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its (next) attempt
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # gave up: retries exhausted or refused for good; audited


class SbomStandard(StrEnum):
    """The specification a stored SBOM version is written in (CycloneDX or SPDX)."""

    CYCLONEDX = "CYCLONEDX"
    SPDX = "SPDX"


class JobState(StrEnum):
    """A background job's state (procurement/jobs): QUEUED until a worker claims it (again after a
    failed attempt with retries left), RUNNING while claimed, then SUCCEEDED or FAILED (audited)."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
