"""Agreement and template types. Vendors see an agreement's documents and status; every other
field is internal and refused to them with FORBIDDEN."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.agreements.lifecycle import AgreementState
from procurement.agreements.reads import pair_root
from procurement.models import Agreement as AgreementModel
from procurement.models import AgreementTemplate as TemplateModel
from procurement.permissions import Action, require
from schema.agreements.enums import AgreementStateEnum, SignatoryPartyEnum
from schema.agreements.loaders import (
    AgreementByIdLoader,
    AgreementsByPurchaseIdLoader,
    AgreementTemplateByIdLoader,
    ObligationsByAgreementIdLoader,
)
from schema.context import context_of
from schema.core.pagination import CountedConnection
from schema.core.scalars import JSON
from schema.operators.loaders import OperatorByIdLoader
from schema.operators.types import Operator
from schema.purchases.loaders import PurchaseByIdLoader

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def internal(info: Any) -> None:
    """Refuse a field vendors may not read (a top-level FORBIDDEN error for that field)."""
    require(context_of(info).principal, Action.READ_INTERNAL_FIELDS)


class StoredFileInfo(graphene.ObjectType):
    """A stored file: what it is and where to download it (bearer token required)."""

    file_name = graphene.String(required=True, description="The file's name")
    content_type = graphene.String(required=True, description="Its media type")
    sha256 = graphene.String(required=True, description="SHA-256 of the content, hex")
    size_bytes = graphene.Int(required=True, description="Size in bytes")
    download_path = graphene.String(
        required=True, description="Path of the REST download, e.g. /api/agreements/1/document"
    )


class Signatory(graphene.ObjectType):
    """A person who signed an agreement"""

    name = graphene.String(required=True, description="The signatory's name")
    party = graphene.Field(
        SignatoryPartyEnum, required=True, description="The side they signed for"
    )
    title = graphene.String(description="Their title or position")


class AgreementTemplate(graphene.ObjectType):
    """One stored version of a .docx agreement template in one language."""

    class Meta:
        interfaces = (relay.Node,)

    template_id = graphene.String(
        required=True, description="The template's id, e.g. security-agreement"
    )
    version = graphene.Int(
        required=True, description="Version number within templateId and language, from 1"
    )
    language = graphene.String(required=True, description="zh or en")
    title = graphene.String(required=True, description="The template's title")
    shipped = graphene.Boolean(required=True, description="Shipped with the service")
    operator = graphene.Field(Operator, description="Null: shared by every operator")
    file_name = graphene.String(required=True, description="The .docx file's name")
    sha256 = graphene.String(required=True, description="SHA-256 of the file, hex")
    size_bytes = graphene.Int(required=True, description="Size of the file in bytes")
    fields = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Context paths the template reads (vendor.address, terms.governing_place...)",
    )
    clauses = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Ids of the clauses the template contains",
    )
    notes = graphene.String(description="What changed in this version")
    uploaded_by = graphene.String(required=True, description="Who uploaded it")
    uploaded_at = graphene.DateTime(required=True, description="When it was uploaded")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, TemplateModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> TemplateModel | None:
        return await AgreementTemplateByIdLoader(info).load(int(pk))

    @staticmethod
    async def resolve_operator(root: TemplateModel, info: Any) -> Any:
        if root.operator_id is None:
            return None
        return await OperatorByIdLoader(info).load(root.operator_id)


class AgreementTemplateConnection(CountedConnection):
    class Meta:
        node = AgreementTemplate
        description = "A page of AgreementTemplate nodes, with the total count"


def _download(agreement_id: int, kind: str) -> str:
    return f"/api/agreements/{agreement_id}/{kind}"


class Agreement(graphene.ObjectType):
    """An Article 20 security confidentiality agreement generated for a purchase."""

    class Meta:
        interfaces = (relay.Node,)

    purchase = graphene.Field(
        "schema.purchases.types.Purchase", required=True, description="The purchase it is for"
    )
    number = graphene.String(
        required=True, description="The agreement's number, shared by its language versions"
    )
    state = graphene.Field(
        AgreementStateEnum, required=True, description="Where it stands in its life cycle"
    )
    language = graphene.String(required=True, description="zh or en")
    template_id = graphene.String(required=True, description="The template it was generated from")
    template_version = graphene.Int(required=True, description="The version of that template")
    template = graphene.Field(AgreementTemplate, description="internal: not shown to vendors")
    document = graphene.Field(StoredFileInfo, required=True, description="The generated .docx")
    generated_at = graphene.DateTime(required=True, description="When it was generated")
    sent_on = graphene.Date(description="The day it was sent to the provider")
    signed_on = graphene.Date(description="The day it was signed")
    terminated_on = graphene.Date(description="The day it ended")
    signed_copy = graphene.Field(StoredFileInfo, description="The signed copy kept as evidence")
    superseded_by = graphene.Field(
        lambda: Agreement, description="The newer agreement that replaced it"
    )
    superseded_at = graphene.DateTime(description="When it was replaced")
    generated_by = graphene.String(description="internal")
    signatories = graphene.List(graphene.NonNull(Signatory), description="internal")
    termination_reason = graphene.String(description="internal")
    overrides = graphene.Field(JSON, description="internal: the overrides it was generated with")
    facts = graphene.Field(JSON, description="internal: the frozen facts it was rendered from")
    obligations = graphene.List(
        graphene.NonNull("schema.agreements.supervision_types.Obligation"),
        description="internal: the provider's obligations under this agreement (tracked once "
        "for both language versions, on the one generated first)",
    )
    language_versions = graphene.List(
        graphene.NonNull(lambda: Agreement),
        required=True,
        description="The same agreement in its other language (zh/en): one number, one "
        "lifecycle; each version's document can be downloaded",
    )
    prevails = graphene.Boolean(
        required=True,
        description="True for the Chinese version, which prevails over any other (clause 16.4)",
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, AgreementModel)

    @classmethod
    async def get_node(cls, info: Any, pk: str) -> AgreementModel | None:
        return await AgreementByIdLoader(info).load(int(pk))

    @staticmethod
    async def resolve_purchase(root: AgreementModel, info: Any) -> Any:
        return await PurchaseByIdLoader(info).load(root.purchase_id)

    @staticmethod
    async def resolve_template(root: AgreementModel, info: Any) -> Any:
        internal(info)
        return await AgreementTemplateByIdLoader(info).load(root.template_version_id)

    @staticmethod
    def resolve_document(root: AgreementModel, _info: Any) -> StoredFileInfo:
        return StoredFileInfo(
            file_name=root.document_file_name,
            content_type=DOCX_TYPE,
            sha256=root.document_sha256,
            size_bytes=root.document_size,
            download_path=_download(root.id, "document"),
        )

    @staticmethod
    def resolve_signed_copy(root: AgreementModel, _info: Any) -> StoredFileInfo | None:
        if root.signed_copy_sha256 is None:
            return None
        return StoredFileInfo(
            file_name=root.signed_copy_file_name,
            content_type=root.signed_copy_content_type,
            sha256=root.signed_copy_sha256,
            size_bytes=root.signed_copy_size,
            download_path=_download(root.id, "signed-copy"),
        )

    @staticmethod
    async def resolve_superseded_by(root: AgreementModel, info: Any) -> Any:
        if root.superseded_by_id is None:
            return None
        return await AgreementByIdLoader(info).load(root.superseded_by_id)

    @staticmethod
    def resolve_generated_by(root: AgreementModel, info: Any) -> str:
        internal(info)
        return root.generated_by

    @staticmethod
    def resolve_signatories(root: AgreementModel, info: Any) -> list[Signatory] | None:
        internal(info)
        if root.signatories is None:
            return None
        return [
            Signatory(name=s["name"], party=s["party"], title=s["title"] or None)
            for s in root.signatories
        ]

    @staticmethod
    def resolve_termination_reason(root: AgreementModel, info: Any) -> str | None:
        internal(info)
        return root.termination_reason

    @staticmethod
    def resolve_overrides(root: AgreementModel, info: Any) -> Any:
        internal(info)
        return root.overrides

    @staticmethod
    def resolve_facts(root: AgreementModel, info: Any) -> Any:
        internal(info)
        return root.context_snapshot

    @staticmethod
    async def resolve_obligations(root: AgreementModel, info: Any) -> Any:
        return await ObligationsByAgreementIdLoader(info).load(pair_root(root))

    @staticmethod
    async def resolve_language_versions(root: AgreementModel, info: Any) -> Any:
        siblings = await AgreementsByPurchaseIdLoader(info).load(root.purchase_id)
        return [a for a in siblings if a.id != root.id and pair_root(a) == pair_root(root)]

    @staticmethod
    def resolve_prevails(root: AgreementModel, _info: Any) -> bool:
        return root.language == "zh"


def current_agreement(agreements: list[AgreementModel]) -> AgreementModel | None:
    """The agreement in force (SIGNED), else the newest one in progress, else None."""
    signed = [a for a in agreements if a.state is AgreementState.SIGNED]
    if signed:
        return _prevailing_newest(signed)
    in_progress = [a for a in agreements if a.state in (AgreementState.DRAFT, AgreementState.SENT)]
    return _prevailing_newest(in_progress) if in_progress else None


def _prevailing_newest(agreements: list[AgreementModel]) -> AgreementModel:
    """The newest agreement; of its language versions, the Chinese one (clause 16.4)."""
    newest = max(pair_root(a) for a in agreements)
    versions = [a for a in agreements if pair_root(a) == newest]
    return next((a for a in versions if a.language == "zh"), versions[-1])
