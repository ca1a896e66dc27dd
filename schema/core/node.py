"""``node(id:)``: fetch any object by its global ID, through the same scoped loaders."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.errors import ErrorCode, InputError
from procurement.ids import split_global_id
from schema.agreements.loaders import (
    AgreementByIdLoader,
    AgreementTemplateByIdLoader,
    ObligationByIdLoader,
    SupervisionCheckByIdLoader,
)
from schema.core.dataloaders import ObjectLoader
from schema.jobs.loaders import JobByIdLoader
from schema.notifications.loaders import SubscriptionByIdLoader
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
    "NotificationSubscription": SubscriptionByIdLoader,
    "Job": JobByIdLoader,
}


def _split(global_id: str) -> tuple[str, int]:
    split = split_global_id(global_id)
    if split is None or split[0] not in NODE_LOADERS:
        raise InputError.single("id", f"'{global_id}' is not a known object ID", ErrorCode.INVALID)
    return split


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
        id=graphene.ID(required=True, description="The object's global ID"),
        resolver=resolve_node,
        description="Any object by its global ID",
    )
