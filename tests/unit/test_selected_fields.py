"""schema.core.selection.selected_fields: the fields a request selects below the resolving field,
through fragments, that a list resolver primes its loaders for."""

from __future__ import annotations

from typing import Any

import graphene
import pytest

from schema.core.selection import selected_fields

SEEN: list[list[str]] = []


class Vendor(graphene.ObjectType):
    name = graphene.String()


class Item(graphene.ObjectType):
    title = graphene.String()
    vendor = graphene.Field(Vendor)
    operator = graphene.String()


class Query(graphene.ObjectType):
    items = graphene.List(Item, path=graphene.String())

    @staticmethod
    def resolve_items(_root: Any, info: Any, path: str = "") -> list[Item]:
        SEEN.append(selected_fields(info, *filter(None, path.split("."))))
        return []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ items { title vendor { name } } }", ["title", "vendor"]),
        ("{ items { t: title title operator } }", ["title", "operator"]),
        ("{ items { ... on Item { vendor { name } } title } }", ["title", "vendor"]),
        (
            "{ items { ...F } } fragment F on Item { operator ...G } fragment G on Item { title }",
            ["operator", "title"],
        ),
        ('{ items(path: "vendor") { vendor { name } } }', ["name"]),
        ('{ items(path: "vendor") { title } }', []),
        ("{ a: items { title } b: items { vendor { name } } }", ["title"]),
    ],
)
def test_selected_fields(document: str, expected: list[str]) -> None:
    # given a document selecting fields below a list field, when it is executed
    SEEN.clear()
    result = graphene.Schema(query=Query).execute(document)
    # then the resolver saw the names selected at its path, each once, in document order
    assert result.errors is None
    assert SEEN[0] == expected
