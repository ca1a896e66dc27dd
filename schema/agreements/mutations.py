from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import graphene

from procurement.agreements.actions import generate as service
from procurement.agreements.actions import signing as lifecycle
from procurement.agreements.actions import supervision, templates
from procurement.files import UploadedFile
from schema.agreements.inputs import (
    AgreementOverridesInput,
    RecordSupervisionCheckInput,
    SignatoryInput,
    UploadAgreementTemplateInput,
    flat_overrides,
)
from schema.agreements.supervision_types import SupervisionCheck
from schema.agreements.types import Agreement, AgreementTemplate
from schema.context import context_of
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run
from schema.core.scalars import Upload


class AgreementPayload(graphene.ObjectType):
    """The result of an agreement mutation"""

    agreement = graphene.Field(
        Agreement, description="The agreement; null when errors is not empty"
    )
    errors = errors_field()


class AgreementTemplatePayload(graphene.ObjectType):
    """The result of uploadAgreementTemplate"""

    agreement_template = graphene.Field(
        AgreementTemplate, description="The stored version; null when errors is not empty"
    )
    errors = errors_field()


class SupervisionCheckPayload(graphene.ObjectType):
    """The result of recordSupervisionCheck"""

    supervision_check = graphene.Field(
        SupervisionCheck, description="The recorded check; null when errors is not empty"
    )
    errors = errors_field()


def _agreement(action: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
    return run(AgreementPayload, "agreement", action)


class GenerateAgreement(graphene.Mutation):
    """Render an agreement for a purchase as a DRAFT (legal, admin). Missing facts come back as
    errors naming the override to fill in, and nothing is stored. Regenerating supersedes the
    purchase's draft or sent agreement; a signed one stays in force until the new one is signed."""

    class Arguments:
        purchase_id = graphene.ID(required=True, description="The Purchase's global ID")
        language = graphene.String(required=True, description="zh or en")
        template_id = graphene.String(
            required=True,
            default_value=templates.DEFAULT_TEMPLATE_ID,
            description="The template to use",
        )
        template_version = graphene.Int(description="Defaults to the newest you may use")
        overrides = AgreementOverridesInput(
            description="Omit to reuse the overrides of the purchase's previous agreement"
        )

    Output = AgreementPayload

    @staticmethod
    async def mutate(
        _root: Any,
        info: Any,
        purchase_id: str,
        language: str,
        template_id: str,
        template_version: int | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            data = service.GenerateInput(
                purchase_id=parse_global_id(purchase_id, "Purchase", "purchaseId"),
                language=language,
                template_id=template_id,
                template_version=template_version,
                overrides=None if overrides is None else flat_overrides(overrides),
            )
            return await ctx.call(service.generate_agreement, data)

        return await _agreement(action)


class RecordAgreementSent(graphene.Mutation):
    """DRAFT -> SENT: the agreement went to the provider for signature (legal, admin)."""

    class Arguments:
        id = graphene.ID(required=True, description="The Agreement's global ID")
        sent_on = graphene.Date(required=True, description="The day it was sent (China time)")

    Output = AgreementPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, sent_on: date) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(id, "Agreement", "id")
            return await ctx.call(lifecycle.record_agreement_sent, pk, sent_on)

        return await _agreement(action)


class RecordAgreementSigned(graphene.Mutation):
    """SENT -> SIGNED, with who signed and the signed copy as evidence (legal, admin)."""

    class Arguments:
        id = graphene.ID(required=True, description="The Agreement's global ID")
        signed_on = graphene.Date(required=True, description="The day it was signed (China time)")
        signatories = graphene.List(
            graphene.NonNull(SignatoryInput),
            required=True,
            description="Who signed, for which side",
        )
        signed_copy = graphene.Argument(Upload, required=True, description="PDF, image or .docx")

    Output = AgreementPayload

    @staticmethod
    async def mutate(
        _root: Any,
        info: Any,
        id: str,
        signed_on: date,
        signatories: list[dict[str, Any]],
        signed_copy: UploadedFile,
    ) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(id, "Agreement", "id")
            people = [
                lifecycle.SignatoryInput(s["name"], s["party"], s.get("title")) for s in signatories
            ]
            return await ctx.call(
                lifecycle.record_agreement_signed, pk, signed_on, people, signed_copy
            )

        return await _agreement(action)


class TerminateAgreement(graphene.Mutation):
    """End a signed agreement, or withdraw one not yet signed (legal, admin)."""

    class Arguments:
        id = graphene.ID(required=True, description="The Agreement's global ID")
        terminated_on = graphene.Date(required=True, description="The day it ends (China time)")
        reason = graphene.String(required=True, description="Why it ends")

    Output = AgreementPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, terminated_on: date, reason: str) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            pk = parse_global_id(id, "Agreement", "id")
            return await ctx.call(lifecycle.terminate_agreement, pk, terminated_on, reason)

        return await _agreement(action)


class UploadAgreementTemplate(graphene.Mutation):
    """Store a new template version after checking it (legal, admin); old versions stay."""

    class Arguments:
        input = UploadAgreementTemplateInput(
            required=True, description="The template version to store"
        )

    Output = AgreementTemplatePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            raw = dict(input)
            operator = raw.get("operator_id")
            data = templates.TemplateUploadInput(
                template_id=raw["template_id"],
                language=raw["language"],
                file=raw["file"],
                title=raw.get("title"),
                notes=raw.get("notes"),
                operator_id=None
                if operator is None
                else parse_global_id(operator, "Operator", "operatorId"),
            )
            return await ctx.call(templates.upload_agreement_template, data)

        return await run(AgreementTemplatePayload, "agreement_template", action)


class RecordSupervisionCheck(graphene.Mutation):
    """Record whether the provider met an obligation (legal, reviewer, admin)."""

    class Arguments:
        input = RecordSupervisionCheckInput(required=True, description="The check to record")

    Output = SupervisionCheckPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            raw = dict(input)
            data = supervision.SupervisionCheckInput(
                obligation_id=parse_global_id(raw["obligation_id"], "Obligation", "obligationId"),
                result=raw["result"],
                checked_on=raw.get("checked_on"),
                evidence=raw.get("evidence"),
                notes=raw.get("notes"),
                attachment=raw.get("attachment"),
                expected_version=raw.get("expected_version"),
            )
            return await ctx.call(supervision.record_supervision_check, data)

        return await run(SupervisionCheckPayload, "supervision_check", action)


class AgreementMutations(graphene.ObjectType):
    generate_agreement = GenerateAgreement.Field()
    record_agreement_sent = RecordAgreementSent.Field()
    record_agreement_signed = RecordAgreementSigned.Field()
    terminate_agreement = TerminateAgreement.Field()
    upload_agreement_template = UploadAgreementTemplate.Field()
    record_supervision_check = RecordSupervisionCheck.Field()
