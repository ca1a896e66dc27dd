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

AgreementStateEnum = graphene.Enum.from_enum(AgreementState, name="AgreementState")
ObligationStatusEnum = graphene.Enum.from_enum(ObligationStatus, name="ObligationStatus")
CheckResultEnum = graphene.Enum.from_enum(CheckResult, name="CheckResult")
SignatoryPartyEnum = graphene.Enum.from_enum(SignatoryParty, name="SignatoryParty")
RecurrenceEnum = graphene.Enum.from_enum(Recurrence, name="ObligationRecurrence")
