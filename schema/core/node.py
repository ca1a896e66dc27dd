"""``node(id:)``: fetch any object by its global ID, through the same scoped loaders."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import graphene
from graphene import relay

from procurement.errors import ErrorCode, InputError
from schema.agreements.loaders import (
    AgreementByIdLoader,
    AgreementTemplateByIdLoader,
    ObligationByIdLoader,
    SupervisionCheckByIdLoader,
)
from schema.core.dataloaders import ObjectLoader
from schema.operators.loaders import CiiSystemByIdLoader, OperatorByIdLoader
from schema.purchases.loaders import PurchaseByIdLoader
from schema.reviews.loaders import ReviewCaseByIdLoader
from schema.sboms.loaders import SbomVersionByIdLoader
from schema.vendors.loaders import VendorByIdLoader

# Type name -> the loader that fetches it (scoped to the caller).
NODE_LOADERS: dict[str, type[ObjectLoader[int, Any]]] = {
    "Operator": OperatorByIdLoader,
    "CiiSystem": CiiSystemByIdLoader,
    "Vendor": VendorByIdLoader,
    "Purchase": PurchaseByIdLoader,
    "Sbom": SbomVersionByIdLoader,
    "ReviewCase": ReviewCaseByIdLoader,
    "Agreement": AgreementByIdLoader,
    "AgreementTemplate": AgreementTemplateByIdLoader,
    "Obligation": ObligationByIdLoader,
    "SupervisionCheck": SupervisionCheckByIdLoader,
}


def _split(global_id: str) -> tuple[str, int]:
    try:
        type_name, _, pk = base64.b64decode(global_id, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        type_name, pk = "", ""
    if type_name not in NODE_LOADERS or not pk.isdigit():
        raise InputError.single("id", f"'{global_id}' is not a known object ID", ErrorCode.INVALID)
    return type_name, int(pk)


async def resolve_node(_root: Any, info: Any, id: str) -> Any:
    type_name, pk = _split(id)
    found = await NODE_LOADERS[type_name](info).load(pk)
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
