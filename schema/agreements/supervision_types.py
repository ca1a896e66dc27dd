"""Obligations, supervision checks and the obligations-due list (internal: never for vendors)."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.agreements.context import Obligation as ObligationFacts
from procurement.agreements.obligations import due_dates
from procurement.agreements.reads import ObligationDue as DueItem
from procurement.models import AgreementObligation
from procurement.models import SupervisionCheck as CheckModel
from schema.agreements.enums import CheckResultEnum, ObligationStatusEnum, RecurrenceEnum
from schema.agreements.loaders import (
    AgreementByIdLoader,
    ObligationByIdLoader,
    SupervisionCheckByIdLoader,
    SupervisionChecksByObligationIdLoader,
)
from schema.agreements.types import Agreement, StoredFileInfo
from schema.core.pagination import CountedConnection
from schema.purchases.loaders import PurchaseByIdLoader


class SupervisionCheck(graphene.ObjectType):
    """The operator's check of how the provider performed one obligation."""

    class Meta:
        interfaces = (relay.Node,)

    obligation = graphene.Field(
        lambda: Obligation, required=True, description="The obligation checked"
    )
    result = graphene.Field(CheckResultEnum, required=True, description="Met or not met")
    checked_on = graphene.Date(required=True, description="The day of the check")
    evidence = graphene.String(description="What shows the duty was met")
    notes = graphene.String(description="Free-text notes")
    attachment = graphene.Field(StoredFileInfo, description="An evidence file, if one was attached")
    checked_by = graphene.String(required=True, description="Who recorded the check")
    recorded_at = graphene.DateTime(required=True, description="When it was recorded")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, CheckModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> CheckModel | None:
        return await SupervisionCheckByIdLoader(info).load(int(pk))

    @staticmethod
    async def resolve_obligation(root: CheckModel, info: Any) -> Any:
        return await ObligationByIdLoader(info).load(root.obligation_id)

    @staticmethod
    def resolve_attachment(root: CheckModel, _info: Any) -> StoredFileInfo | None:
        if root.attachment_sha256 is None:
            return None
        return StoredFileInfo(
            file_name=root.attachment_file_name,
            content_type=root.attachment_content_type,
            sha256=root.attachment_sha256,
            size_bytes=root.attachment_size,
            download_path=f"/api/supervision-checks/{root.id}/attachment",
        )


class Obligation(graphene.ObjectType):
    """One duty of the provider, derived from the agreement's clauses and terms."""

    class Meta:
        interfaces = (relay.Node,)

    agreement = graphene.Field(Agreement, required=True, description="The agreement it comes from")
    code = graphene.String(required=True, description="Stable code of the duty, e.g. VULN_NOTICE")
    clause_id = graphene.String(required=True, description="The agreement clause it derives from")
    title = graphene.String(required=True, description="Short name of the duty")
    description = graphene.String(required=True, description="What the provider must do")
    recurrence = graphene.Field(RecurrenceEnum, required=True, description="When it falls due")
    due_on = graphene.Date(
        description="First (or only) due day; null for event-triggered duties and, until the "
        "agreement is signed, for duties counted from signing (see dueRule)"
    )
    due_rule = graphene.String(
        description="When it falls due while the agreement is unsigned, e.g. '30 days after "
        "signing' (clause 16.3: it takes effect on signing); null once dated or event-triggered"
    )
    until_on = graphene.Date(description="Last day an annual duty recurs")
    window_hours = graphene.Int(required=True, description="Event-triggered deadline, in hours")
    window_days = graphene.Int(required=True, description="Event-triggered deadline, in days")
    due_dates = graphene.List(
        graphene.NonNull(graphene.Date),
        required=True,
        description="Every day a dated duty falls due; empty for event-triggered ones",
    )
    status = graphene.Field(
        ObligationStatusEnum, required=True, description="Result of the latest check"
    )
    last_checked_on = graphene.Date(description="The day of the latest check; null: never checked")
    version = graphene.Int(
        required=True,
        description="Goes up with every check; send it as expectedVersion when recording one",
    )
    checks = graphene.List(
        graphene.NonNull(SupervisionCheck),
        required=True,
        description="Supervision checks of this obligation",
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, AgreementObligation)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> AgreementObligation | None:
        return await ObligationByIdLoader(info).load(int(pk))

    @staticmethod
    async def resolve_agreement(root: AgreementObligation, info: Any) -> Any:
        return await AgreementByIdLoader(info).load(root.agreement_id)

    @staticmethod
    def resolve_due_rule(root: AgreementObligation, _info: Any) -> str | None:
        return root.due_rule if root.due_on is None and root.due_rule else None

    @staticmethod
    def resolve_due_dates(root: AgreementObligation, _info: Any) -> Any:
        facts = ObligationFacts("", "", "", "", root.recurrence, root.due_on, root.until_on)
        return list(due_dates(facts))

    @staticmethod
    async def resolve_checks(root: AgreementObligation, info: Any) -> Any:
        return await SupervisionChecksByObligationIdLoader(info).load(root.id)


class ObligationDue(graphene.ObjectType):
    """An obligation of an agreement in force that is overdue or failed on ``asOf``."""

    obligation = graphene.Field(Obligation, required=True, description="The obligation")
    purchase = graphene.Field(
        "schema.purchases.types.Purchase",
        required=True,
        description="The purchase of its agreement",
    )
    as_of = graphene.Date(required=True, description="The day it was judged on")
    overdue = graphene.Boolean(required=True, description="A due day passed without a check")
    failed = graphene.Boolean(required=True, description="The latest check says NOT_MET")
    due_on = graphene.Date(description="The occurrence that fell due (overdue ones)")
    days_overdue = graphene.Int(description="Days since dueOn (overdue ones)")
    last_check = graphene.Field(
        SupervisionCheck, description="The latest supervision check, if any"
    )

    @staticmethod
    def resolve_obligation(root: DueItem, _info: Any) -> AgreementObligation:
        return root.obligation

    @staticmethod
    async def resolve_purchase(root: DueItem, info: Any) -> Any:
        agreement = await AgreementByIdLoader(info).load(root.obligation.agreement_id)
        if agreement is None:  # the obligation was visible, so its agreement is: an invariant
            raise LookupError(f"agreement {root.obligation.agreement_id} of a due item is hidden")
        return await PurchaseByIdLoader(info).load(agreement.purchase_id)

    @staticmethod
    def resolve_overdue(root: DueItem, _info: Any) -> bool:
        return root.state.overdue

    @staticmethod
    def resolve_failed(root: DueItem, _info: Any) -> bool:
        return root.state.failed

    @staticmethod
    def resolve_due_on(root: DueItem, _info: Any) -> Any:
        return root.state.due_on if root.state.overdue else None

    @staticmethod
    def resolve_days_overdue(root: DueItem, _info: Any) -> int | None:
        return root.state.days_overdue

    @staticmethod
    async def resolve_last_check(root: DueItem, info: Any) -> Any:
        if root.state.last_check is None:
            return None
        return await SupervisionCheckByIdLoader(info).load(root.state.last_check.id)


class ObligationDueConnection(CountedConnection):
    class Meta:
        node = ObligationDue
        description = "A page of ObligationDue nodes, with the total count"
