"""Review case mutations (reviewers and admins of the case's operator). Every one answers
``ReviewCasePayload { reviewCase, errors }``; an illegal transition is a payload error that names
the current state and what is allowed from it, and changes nothing."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any

import graphene

from procurement.errors import ErrorCode, InputError
from procurement.models import ReviewAttachment
from procurement.models import ReviewCase as CaseModel
from procurement.reviews.actions import cases as service
from procurement.reviews.actions import notes
from schema.context import context_of
from schema.core.ids import parse_global_id, parse_optional_global_id
from schema.core.payload import errors_field, run
from schema.reviews.loaders import ReviewCaseByIdLoader
from schema.reviews.types import (
    Attachment,
    CaseView,
    MaterialEnum,
    OfficeDecisionEnum,
    ReviewCase,
    ReviewOutcomeEnum,
    TriageDecisionEnum,
)


class ReviewCasePayload(graphene.ObjectType):
    """The result of a review case mutation"""

    review_case = graphene.Field(
        ReviewCase, description="The case after the change; null when errors is not empty"
    )
    errors = errors_field()


def _case_id(raw: dict[str, Any]) -> int:
    return parse_global_id(raw["case_id"], "ReviewCase", "caseId")


async def _run(info: Any, action: Callable[[int], Awaitable[CaseModel]], raw: Any) -> Any:
    async def wrapped() -> CaseView:
        return CaseView(await action(_case_id(dict(raw))))

    return await run(ReviewCasePayload, "review_case", wrapped)


class TriageReviewInput(graphene.InputObjectType):
    """A triage decision"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    decision = graphene.Field(
        TriageDecisionEnum, required=True, description="Whether an Art. 8 declaration is required"
    )
    justification = graphene.String(description="Required for NOT_REQUIRED")
    on = graphene.Date(description="Default: today in China")


class TriageReview(graphene.Mutation):
    """PENDING_TRIAGE -> NOT_REQUIRED (with a written justification) or DECLARATION_PREPARED."""

    class Arguments:
        input = TriageReviewInput(required=True, description="The case and the decision")

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info,
            lambda pk: ctx.call(
                service.triage_review,
                pk,
                input["decision"],
                input.get("justification"),
                input.get("on"),
            ),
            input,
        )


class RecordDeclarationInput(graphene.InputObjectType):
    """A declaration filed with the office"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    filed_on = graphene.Date(
        description="Filed with the Cybersecurity Review Office; default today"
    )


class RecordDeclaration(graphene.Mutation):
    """DECLARATION_PREPARED -> DECLARED; the Art. 8 materials must be attached first."""

    class Arguments:
        input = RecordDeclarationInput(required=True, description="The case and the filing day")

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info, lambda pk: ctx.call(service.record_declaration, pk, input.get("filed_on")), input
        )


class RecordOfficeDecisionInput(graphene.InputObjectType):
    """A decision of the Cybersecurity Review Office"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    decision = graphene.Field(
        OfficeDecisionEnum, required=True, description="What the office decided"
    )
    on = graphene.Date(description="Date of the office's notice; default today")
    complex = graphene.Boolean(description="With REVIEW_STARTED: the office says it is complex")
    note = graphene.String(description="Free-text note")


class RecordOfficeDecision(graphene.Mutation):
    """The office's decisions: DECLARED -> NO_REVIEW_NEEDED or UNDER_REVIEW; UNDER_REVIEW ->
    SPECIAL_REVIEW; MARKED_COMPLEX extends the preliminary review by 15 working days."""

    class Arguments:
        input = RecordOfficeDecisionInput(
            required=True, description="The case and the office's decision"
        )

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info,
            lambda pk: ctx.call(
                service.record_office_decision,
                pk,
                input["decision"],
                input.get("on"),
                input.get("complex"),
                input.get("note"),
            ),
            input,
        )


class RequestSupplementaryMaterialsInput(graphene.InputObjectType):
    """The office's request for more materials"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    requested_on = graphene.Date(description="Default: today in China")
    note = graphene.String(description="What the office asked for")


class RequestSupplementaryMaterials(graphene.Mutation):
    """The office asked for more materials: the deadline stops until they are received."""

    class Arguments:
        input = RequestSupplementaryMaterialsInput(
            required=True, description="The case and the office's request"
        )

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info,
            lambda pk: ctx.call(
                service.request_supplementary_materials,
                pk,
                input.get("requested_on"),
                input.get("note"),
            ),
            input,
        )


class RecordSupplementaryMaterialsReceivedInput(graphene.InputObjectType):
    """Receipt of supplementary materials"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    received_on = graphene.Date(description="Default: today in China")
    note = graphene.String(description="Free-text note")


class RecordSupplementaryMaterialsReceived(graphene.Mutation):
    """The office received the supplementary materials: the deadline runs again."""

    class Arguments:
        input = RecordSupplementaryMaterialsReceivedInput(
            required=True, description="The case and the day of receipt"
        )

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info,
            lambda pk: ctx.call(
                service.record_supplementary_materials_received,
                pk,
                input.get("received_on"),
                input.get("note"),
            ),
            input,
        )


class RecordReviewOutcomeInput(graphene.InputObjectType):
    """The office's conclusion of a review"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    outcome = graphene.Field(ReviewOutcomeEnum, required=True, description="Passed or failed")
    on = graphene.Date(description="Date of the office's conclusion; default today")
    note = graphene.String(description="Free-text note")


class RecordReviewOutcome(graphene.Mutation):
    """UNDER_REVIEW or SPECIAL_REVIEW -> PASSED or FAILED (a failed product must not be used)."""

    class Arguments:
        input = RecordReviewOutcomeInput(required=True, description="The case and the outcome")

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info,
            lambda pk: ctx.call(
                service.record_review_outcome,
                pk,
                input["outcome"],
                input.get("on"),
                input.get("note"),
            ),
            input,
        )


class AssignReviewerInput(graphene.InputObjectType):
    """Whom to assign a review case to"""

    case_id = graphene.ID(required=True, description="The review case")
    reviewer_account_id = graphene.ID(
        description="The reviewer's account (me { accountId }): a reviewer of the case's "
        "operator, or an admin. Left out together with reviewerTokenId: unassigns"
    )
    reviewer_token_id = graphene.Int(
        description="A reviewer's token id (me { tokenId }); a person's token assigns its "
        "account. Left out together with reviewerAccountId: unassigns",
        deprecation_reason="Use reviewerAccountId: people signed in to the console have no token",
    )


class AssignReviewer(graphene.Mutation):
    class Arguments:
        input = AssignReviewerInput(required=True, description="The case and the reviewer")

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info,
            lambda pk: ctx.call(
                notes.assign_reviewer,
                pk,
                input.get("reviewer_token_id"),
                parse_optional_global_id(
                    input.get("reviewer_account_id"), "Account", "reviewerAccountId"
                ),
            ),
            input,
        )


class CommentOnReviewInput(graphene.InputObjectType):
    """A comment on a review case"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    text = graphene.String(required=True, description="The comment")


class CommentOnReview(graphene.Mutation):
    class Arguments:
        input = CommentOnReviewInput(required=True, description="The case and the comment")

    Output = ReviewCasePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        return await _run(
            info, lambda pk: ctx.call(notes.comment_on_review, pk, input["text"]), input
        )


class AttachDeclarationMaterialInput(graphene.InputObjectType):
    """A file for an Art. 8 declaration material"""

    case_id = graphene.ID(required=True, description="The ReviewCase's global ID")
    material = graphene.Field(
        MaterialEnum, required=True, description="Which material the file is for"
    )
    file_name = graphene.String(required=True, description="The file's name")
    content_base64 = graphene.String(
        required=True, description="The file, base64-encoded (a request is at most 1 MB)"
    )


class AttachmentPayload(graphene.ObjectType):
    """The result of attachDeclarationMaterial"""

    attachment = graphene.Field(
        Attachment, description="The stored attachment; null when errors is not empty"
    )
    review_case = graphene.Field(ReviewCase, description="The case after the change")
    errors = errors_field()


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InputError.single("contentBase64", "is not valid base64", ErrorCode.INVALID) from None


class AttachDeclarationMaterial(graphene.Mutation):
    """Attach a file to an Art. 8 declaration checklist item."""

    class Arguments:
        input = AttachDeclarationMaterialInput(
            required=True, description="The case, the material and the file"
        )

    Output = AttachmentPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Any) -> Any:
        ctx = context_of(info)
        raw = dict(input)

        async def action() -> ReviewAttachment:
            return await ctx.call(
                notes.attach_declaration_material,
                _case_id(raw),
                raw["material"],
                raw["file_name"],
                _decode(raw["content_base64"]),
                max_bytes=ctx.settings.max_upload_bytes,
            )

        payload = await run(AttachmentPayload, "attachment", action)
        if payload.attachment is not None:
            case = await ReviewCaseByIdLoader(info).load(payload.attachment.case_id)
            payload.review_case = CaseView(case) if case is not None else None
        return payload


class ReviewMutations(graphene.ObjectType):
    triage_review = TriageReview.Field()
    record_declaration = RecordDeclaration.Field()
    record_office_decision = RecordOfficeDecision.Field()
    request_supplementary_materials = RequestSupplementaryMaterials.Field()
    record_supplementary_materials_received = RecordSupplementaryMaterialsReceived.Field()
    record_review_outcome = RecordReviewOutcome.Field()
    assign_reviewer = AssignReviewer.Field(
        description="Assign a review case to a reviewer, or unassign it"
    )
    comment_on_review = CommentOnReview.Field(
        description="Add a comment to a review case's history"
    )
    attach_declaration_material = AttachDeclarationMaterial.Field()
