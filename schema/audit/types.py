from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.models import AuditEvent as AuditEventModel
from schema.core.pagination import CountedConnection
from schema.core.scalars import JSON


class Actor(graphene.ObjectType):
    """Who made a change"""

    name = graphene.String(required=True, description="The name of the token or account that acted")
    role = graphene.String(required=True, description="Its role")


class AuditEvent(graphene.ObjectType):
    """An append-only record of one change."""

    class Meta:
        interfaces = (relay.Node,)

    occurred_at = graphene.DateTime(required=True, description="When the change happened")
    actor = graphene.Field(Actor, required=True, description="Who made it")
    action = graphene.String(required=True, description="What was done, e.g. purchase.updated")
    object_type = graphene.String(required=True, description="The kind of object changed")
    object_id = graphene.ID(description="Global ID of the changed object")
    before = graphene.Field(
        JSON, description="What was recorded before the change (JSON); may be null"
    )
    after = graphene.Field(
        JSON, description="What was recorded after the change (JSON); may be null"
    )
    hash = graphene.String(
        description=(
            "SHA-256 (hex) of this event chained to the previous event of the same operator "
            "(events with no operator form one chain); `procurement audit verify` recomputes "
            "it. Read-only; null only for a row written past the application."
        )
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, AuditEventModel)

    @staticmethod
    def resolve_actor(root: AuditEventModel, _info: Any) -> Actor:
        return Actor(name=root.actor_name, role=root.actor_role)

    @staticmethod
    def resolve_object_id(root: AuditEventModel, _info: Any) -> str | None:
        from schema.core.ids import to_global_id

        return None if root.object_id is None else to_global_id(root.object_type, root.object_id)


class AuditEventConnection(CountedConnection):
    class Meta:
        node = AuditEvent
        description = "A page of AuditEvent nodes, with the total count"
