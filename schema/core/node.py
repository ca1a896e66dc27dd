"""``node(id:)``: fetch any object by its global ID, through the same scoped loaders."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.errors import ErrorCode, InputError
from procurement.ids import split_global_id
from schema.context import context_of

# Type name -> the loader attribute that fetches it (scoped to the caller).
NODE_LOADERS = {
    "Operator": "operator_by_id",
    "CiiSystem": "cii_system_by_id",
    "Vendor": "vendor_by_id",
    "Purchase": "purchase_by_id",
    "Sbom": "sbom_version_by_id",
    "ReviewCase": "review_case_by_id",
    "Agreement": "agreement_by_id",
    "AgreementTemplate": "agreement_template_by_id",
    "Obligation": "obligation_by_id",
    "SupervisionCheck": "supervision_check_by_id",
}


def _split(global_id: str) -> tuple[str, int]:
    split = split_global_id(global_id)
    if split is None or split[0] not in NODE_LOADERS:
        raise InputError.single("id", f"'{global_id}' is not a known object ID", ErrorCode.INVALID)
    return split


async def resolve_node(_root: Any, info: Any, id: str) -> Any:
    type_name, pk = _split(id)
    loader = getattr(context_of(info).loaders, NODE_LOADERS[type_name])
    found = await loader.load(pk)
    if type_name == "ReviewCase" and found is not None:
        from schema.reviews.types import CaseView

        return CaseView(found)
    return found


def node_field() -> graphene.Field:
    return graphene.Field(
        relay.Node,
        id=graphene.ID(required=True),
        resolver=resolve_node,
        description="Any object by its global ID",
    )
