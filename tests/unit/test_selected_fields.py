"""schema.core.selection.selected_fields: the fields a request selects below the resolving field,
through fragments, that a list resolver primes its loaders for."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema, graphql_sync

from schema.core.selection import selected_fields

SCHEMA = build_schema("""
    type Vendor { name: String }
    type Item { title: String vendor: Vendor operator: String }
    type Query { items(path: String): [Item] }
""")


class Root:
    """The query root: ``items`` records what it saw selected (graphql-core's default resolver
    calls a callable attribute with the info and the arguments)."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def items(self, info: Any, path: str = "") -> list[Any]:
        self.seen.append(selected_fields(info, *filter(None, path.split("."))))
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
    ],
)
def test_selected_fields(document: str, expected: list[str]) -> None:
    # given a document selecting fields below a list field, when it is executed
    root = Root()
    result = graphql_sync(SCHEMA, document, root_value=root)
    # then the resolver saw the names selected at its path, each once, in document order
    assert result.errors is None
    assert root.seen == [expected]
