"""Which documents the endpoint executes in a worker thread: those that select nothing but the
schema's meta fields (they never await, so on the event loop they would hold it)."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query, get_operation_ast, parse

from schema.core.http import _only_introspection


@pytest.mark.parametrize(
    ("document", "offloaded"),
    [
        (get_introspection_query(descriptions=True), True),
        ("{ __typename }", True),
        ('{ __type(name: "Purchase") { name } a: __schema { types { name } } }', True),
        ("{ ...F } fragment F on Query { __schema { queryType { name } } }", True),
        ("{ ... on Query { __typename } }", True),
        ("{ __typename me { role } }", False),
        ("{ ...F } fragment F on Query { me { role } }", False),
        ("{ ... on Query { purchases { edges { cursor } } } }", False),
        ("mutation { __typename }", False),
    ],
)
def test_only_meta_field_queries_are_offloaded(document: str, offloaded: bool) -> None:
    parsed = parse(document)
    operation = get_operation_ast(parsed)
    assert operation is not None
    assert _only_introspection(operation, parsed) is offloaded
