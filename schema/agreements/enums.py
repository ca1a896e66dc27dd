"""GraphQL enums of the agreement domain, generated from the domain's enums."""

from __future__ import annotations

import graphene

from procurement.agreements.context import Recurrence
from procurement.agreements.lifecycle import (
    AgreementState,
    CheckResult,
    ObligationStatus,
    SignatoryParty,
)
from schema.core.describe import enum_description

AgreementStateEnum = graphene.Enum.from_enum(
    AgreementState,
    name="AgreementState",
    description=enum_description(
        "CII Regulations Art. 20 agreement life cycle.",
        DRAFT="Generated, not yet sent to the provider",
        SENT="Sent to the provider for signature",
        SIGNED="Signed by both parties: in force",
        SUPERSEDED="Replaced by a newer agreement for the same purchase",
        TERMINATED="Ended (or, before signature, withdrawn)",
    ),
)
ObligationStatusEnum = graphene.Enum.from_enum(
    ObligationStatus,
    name="ObligationStatus",
    description=enum_description(
        "The result of the latest supervision check of an obligation.",
        OPEN="Not checked yet",
        MET="The latest check found it met",
        NOT_MET="The latest check found it not met",
    ),
)
CheckResultEnum = graphene.Enum.from_enum(
    CheckResult,
    name="CheckResult",
    description=enum_description(
        "What a supervision check found.",
        MET="The obligation was met",
        NOT_MET="The obligation was not met",
    ),
)
SignatoryPartyEnum = graphene.Enum.from_enum(
    SignatoryParty,
    name="SignatoryParty",
    description=enum_description(
        "Which side of an agreement a signatory signed for.",
        OPERATOR="The CII operator",
        PROVIDER="The provider (vendor)",
    ),
)
RecurrenceEnum = graphene.Enum.from_enum(
    Recurrence,
    name="ObligationRecurrence",
    description=enum_description(
        "When a provider's obligation (Art. 20 supervision) falls due.",
        ONCE="Due once, on the due date",
        ANNUAL="Due on the due date and on each anniversary of it until the end date",
        ON_EVENT="Due a window (hours or days) after each triggering event",
    ),
)
