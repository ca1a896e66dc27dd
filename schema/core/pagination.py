"""Relay connections over keyset pages from the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene
from graphene import relay

from procurement.errors import ErrorCode, InputError
from procurement.paging import Page
from schema.core.ids import decode_cursor, encode_cursor


class CountedConnection(relay.Connection):
    """A connection that also tells how many rows match in all."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="How many rows match in all")


def page_args(first: int | None, after: str | None, max_page_size: int) -> tuple[int | None, int]:
    """Validated (after_id, limit) from Relay arguments."""
    limit = max_page_size if first is None else first
    if not 0 <= limit <= max_page_size:
        raise InputError.single(
            "first", f"must be between 0 and {max_page_size}", ErrorCode.OUT_OF_RANGE
        )
    return decode_cursor(after), limit


def connection(
    cls: type[CountedConnection],
    page: Page[Any],
    after: str | None,
    key: Callable[[Any], int] = lambda item: int(item.id),
) -> Any:
    """A connection for a keyset page; ``key`` is the ordered integer column behind the cursor."""
    return cursor_connection(cls, page, after, lambda item: encode_cursor(key(item)))


def cursor_connection(
    cls: type[CountedConnection],
    page: Page[Any],
    after: str | None,
    cursor: Callable[[Any], str],
    node: Callable[[Any], Any] = lambda item: item,
) -> Any:
    """A connection for a page whose items carry their own ``cursor``; ``node`` wraps an item
    for its GraphQL type where the item is not already the node."""
    edges = [cls.Edge(node=node(item), cursor=cursor(item)) for item in page.items]
    return cls(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total_count,
    )
