from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.sboms import reads as sbom_reads
from procurement.sboms import usages as sbom_usages
from schema.context import context_of
from schema.core.ids import decode_cursor, encode_cursor, parse_global_id
from schema.core.pagination import page_args
from schema.purchases.loaders import PurchaseByIdLoader
from schema.sboms.loaders import SbomSeriesByIdLoader, SbomVersionByIdLoader
from schema.sboms.types import Component, Sbom


class VersionChange(graphene.ObjectType):
    """One component whose version changed"""

    old = graphene.Field(
        Component, required=True, description="The component in the older SBOM version"
    )
    new = graphene.Field(
        Component, required=True, description="The component in the newer SBOM version"
    )


class SbomDiff(graphene.ObjectType):
    """Components added, removed and version-changed from one SBOM version to another."""

    added = graphene.List(
        graphene.NonNull(Component),
        required=True,
        description="Components only in the newer version",
    )
    removed = graphene.List(
        graphene.NonNull(Component),
        required=True,
        description="Components only in the older version",
    )
    version_changed = graphene.List(
        graphene.NonNull(VersionChange),
        required=True,
        description="Components whose version changed",
    )
    unchanged_count = graphene.Int(
        required=True, description="How many components are the same in both"
    )


class ComponentUsage(graphene.ObjectType):
    """A purchase whose SBOM contains the package."""

    purchase = graphene.Field(
        "schema.purchases.types.Purchase", required=True, description="The purchase"
    )
    sbom = graphene.Field(
        Sbom, required=True, description="The SBOM version containing the package"
    )
    component = graphene.Field(Component, required=True, description="The matching component")
    version = graphene.String(description="The component's version")

    # Synchronous resolvers: the read loaded every row's objects, and an awaitable per edge
    # costs graphql-core a task per field (most of the request's CPU on a page of 100).
    @staticmethod
    def resolve_purchase(root: sbom_usages.ComponentUsage, _info: Any) -> Any:
        return root.purchase

    @staticmethod
    def resolve_sbom(root: sbom_usages.ComponentUsage, _info: Any) -> Any:
        return root.version

    @staticmethod
    def resolve_component(root: sbom_usages.ComponentUsage, _info: Any) -> Any:
        return root.component

    @staticmethod
    def resolve_version(root: sbom_usages.ComponentUsage, _info: Any) -> str | None:
        return root.component.version


class ComponentUsageEdge(graphene.ObjectType):
    """One row of componentUsages"""

    node = graphene.Field(ComponentUsage, required=True, description="The row")
    cursor = graphene.String(required=True, description="Pass as after to continue after this row")


class ComponentUsageConnection(graphene.ObjectType):
    """A page of purchases containing a package"""

    edges = graphene.List(
        graphene.NonNull(ComponentUsageEdge), required=True, description="The page's rows"
    )
    total_count = graphene.Int(required=True, description="How many rows match in all")
    purchase_count = graphene.Int(required=True, description="Distinct purchases in all pages")
    page_info = graphene.Field(
        relay.PageInfo, required=True, description="Relay paging, as on every other connection"
    )
    has_next_page = graphene.Boolean(
        required=True,
        deprecation_reason="Use pageInfo { hasNextPage }",
        description="Whether more rows follow",
    )
    end_cursor = graphene.String(
        deprecation_reason="Use pageInfo { endCursor }",
        description="The cursor of the page's last row",
    )


def _prime_loaders(info: Any, found: list[sbom_usages.ComponentUsage]) -> None:
    """Hand the rows the read loaded (under the same scope) to the request's loaders, so that
    nested fields (``sbom { name purchase }``) are answered without another statement."""
    series, purchases = SbomSeriesByIdLoader(info), PurchaseByIdLoader(info)
    for usage in found:
        series.prime(usage.series.id, usage.series)
        purchases.prime(usage.purchase.id, usage.purchase)


class SbomQueries(graphene.ObjectType):
    sbom = graphene.Field(
        Sbom,
        id=graphene.ID(required=True, description="The Sbom's global ID"),
        description="One stored SBOM version",
    )
    sbom_diff = graphene.Field(
        SbomDiff,
        from_id=graphene.ID(required=True, description="The older Sbom version's global ID"),
        to_id=graphene.ID(required=True, description="The newer Sbom version's global ID"),
        description="How the components changed from one SBOM version to another",
    )
    component_usages = graphene.Field(
        ComponentUsageConnection,
        required=True,
        purl=graphene.String(
            required=True, description="e.g. pkg:maven/org.apache.logging.log4j/log4j-core"
        ),
        version_range=graphene.String(description="vers range, e.g. vers:maven/>=2.0.0|<2.17.1"),
        include_superseded=graphene.Boolean(
            required=True,
            default_value=False,
            description="Also search versions that are no longer current",
        ),
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        description="Which purchases contain this package, in which versions",
    )

    @staticmethod
    async def resolve_sbom(_root: Any, info: Any, id: str) -> Any:
        pk = parse_global_id(id, "Sbom", "id")
        return await SbomVersionByIdLoader(info).load(pk)

    @staticmethod
    async def resolve_sbom_diff(_root: Any, info: Any, from_id: str, to_id: str) -> SbomDiff:
        old = parse_global_id(from_id, "Sbom", "fromId")
        new = parse_global_id(to_id, "Sbom", "toId")
        diff = await context_of(info).call(sbom_reads.diff_versions, old, new)
        return SbomDiff(
            added=list(diff.added),
            removed=list(diff.removed),
            version_changed=[VersionChange(old=c.old, new=c.new) for c in diff.version_changed],
            unchanged_count=diff.unchanged,
        )

    @staticmethod
    async def resolve_component_usages(
        _root: Any,
        info: Any,
        purl: str,
        version_range: str | None = None,
        include_superseded: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> ComponentUsageConnection:
        ctx = context_of(info)
        _after, limit = page_args(first, None, ctx.settings.max_page_size)
        start = 0 if after is None else (decode_cursor(after) or 0) + 1
        page = await ctx.call(
            sbom_usages.component_usages_page,
            purl,
            version_range,
            include_superseded=include_superseded,
            offset=start,
            limit=limit,
        )
        _prime_loaders(info, page.usages)
        edges = [
            ComponentUsageEdge(node=u, cursor=encode_cursor(start + i))
            for i, u in enumerate(page.usages)
        ]
        has_next = start + limit < page.total_count
        return ComponentUsageConnection(
            edges=edges,
            total_count=page.total_count,
            purchase_count=page.purchase_count,
            page_info=relay.PageInfo(
                has_next_page=has_next,
                has_previous_page=start > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            has_next_page=has_next,
            end_cursor=edges[-1].cursor if edges else None,
        )
