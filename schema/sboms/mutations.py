from __future__ import annotations

from typing import Any

import graphene

from procurement.files import UploadedFile
from procurement.models import Job as JobModel
from procurement.sboms import actions as service
from procurement.sboms.upload_job import upload_sbom
from schema.context import context_of
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run
from schema.core.scalars import Upload
from schema.jobs.types import Job
from schema.sboms.types import Sbom, SbomIssue


class UploadSbomPayload(graphene.ObjectType):
    """The result of uploadSbom"""

    sbom = graphene.Field(
        Sbom, description="The stored version (the existing one when it was stored already)"
    )
    created = graphene.Boolean(description="False when this exact document was already stored")
    warnings = graphene.List(
        graphene.NonNull(SbomIssue),
        required=True,
        description="Problems found that did not refuse the document",
    )
    job = graphene.Field(
        Job,
        description="Set instead of sbom for a document larger than PROCUREMENT_SBOM_ASYNC_BYTES: "
        "it is stored and this job ingests it (its outcome names the SBOM, its error what was "
        "refused and where)",
    )
    errors = errors_field()


class UploadSbom(graphene.Mutation):
    """Upload an SBOM for a purchase: CycloneDX (JSON 1.2-1.7, XML 1.0-1.7) or SPDX 2.2/2.3 (JSON
    or tag-value), detected from the content, optionally gzip.

    Send it with the GraphQL multipart request specification. The same document twice is stored
    once; a new document for the same SBOM (same described component and standard, or the same
    ``name``) becomes its next version. A large document is ingested by a job (``job``).
    """

    class Arguments:
        purchase_id = graphene.ID(required=True, description="The purchase it is for")
        file = Upload(required=True, description="The document, as a multipart upload")
        name = graphene.String(description="Which SBOM of the purchase this is a version of")

    Output = UploadSbomPayload

    @staticmethod
    async def mutate(
        _root: Any, info: Any, purchase_id: str, file: UploadedFile, name: str | None = None
    ) -> Any:
        ctx = context_of(info)
        limit = ctx.settings.max_upload_bytes

        async def action() -> Any:
            pk = parse_global_id(purchase_id, "Purchase", "purchaseId")
            data = file.data
            encoding = "gzip" if (file.filename or "").endswith(".gz") else None
            result = await ctx.call(
                upload_sbom, pk, data, max_bytes=limit, content_encoding=encoding,
                name=name, max_components=ctx.settings.max_sbom_components,
                async_bytes=ctx.settings.sbom_async_bytes,
            )  # fmt: skip
            return result

        payload = await run(UploadSbomPayload, "sbom", action)
        if isinstance(payload.sbom, JobModel):
            payload.job, payload.sbom, payload.warnings = payload.sbom, None, []
        elif payload.sbom is not None:
            result: service.IngestResult = payload.sbom
            payload.sbom = result.version
            payload.created = result.created
            payload.warnings = [SbomIssue(**w.as_dict()) for w in result.warnings]
        else:
            payload.warnings = []
        return payload


class SbomMutations(graphene.ObjectType):
    upload_sbom = UploadSbom.Field()
