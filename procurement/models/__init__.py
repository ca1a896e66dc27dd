"""Typed SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from procurement.models.account import Account, WebSession
from procurement.models.advisory_upload import AdvisoryUpload
from procurement.models.agreement import (
    Agreement,
    AgreementObligation,
    AgreementTemplate,
    SupervisionCheck,
)
from procurement.models.audit import AuditChainHead, AuditEvent
from procurement.models.exposure import (
    ExchangeRateRow,
    ExposureSlice,
    ExposureSnapshot,
    PenaltyScheduleSet,
)
from procurement.models.job import Job
from procurement.models.notification import (
    NotificationAttempt,
    NotificationDelivery,
    NotificationEvent,
    NotificationSubscription,
)
from procurement.models.operator import CiiSystem, Operator, OperatorIdentification
from procurement.models.purchase import Purchase, ResponsiblePerson
from procurement.models.review import (
    HolidayCalendarYear,
    ReviewAttachment,
    ReviewCase,
    ReviewEvent,
    ReviewPause,
)
from procurement.models.sbom import (
    Sbom,
    SbomComponent,
    SbomDependency,
    SbomService,
    SbomVersion,
    SbomVulnerability,
)
from procurement.models.sbom_upload import SbomUpload
from procurement.models.screening import (
    AdvisoryPackage,
    AdvisoryRecord,
    ScreeningRecord,
    ScreeningRuleSetVersion,
)
from procurement.models.token import ApiToken
from procurement.models.vendor import RestrictionEntry, RestrictionList, Vendor

__all__ = [
    "Account",
    "AdvisoryPackage",
    "AdvisoryRecord",
    "AdvisoryUpload",
    "Agreement",
    "AgreementObligation",
    "AgreementTemplate",
    "ApiToken",
    "AuditChainHead",
    "AuditEvent",
    "CiiSystem",
    "ExchangeRateRow",
    "ExposureSlice",
    "ExposureSnapshot",
    "HolidayCalendarYear",
    "Job",
    "NotificationAttempt",
    "NotificationDelivery",
    "NotificationEvent",
    "NotificationSubscription",
    "Operator",
    "OperatorIdentification",
    "PenaltyScheduleSet",
    "Purchase",
    "ResponsiblePerson",
    "RestrictionEntry",
    "RestrictionList",
    "ReviewAttachment",
    "ReviewCase",
    "ReviewEvent",
    "ReviewPause",
    "Sbom",
    "SbomComponent",
    "SbomDependency",
    "SbomService",
    "SbomUpload",
    "SbomVersion",
    "SbomVulnerability",
    "ScreeningRecord",
    "ScreeningRuleSetVersion",
    "SupervisionCheck",
    "Vendor",
    "WebSession",
]
