"""schema.core.execution.FastExecutionContext answers exactly as graphql-core's executor: the
same data and the same errors (messages, paths), whether the short path for plain leaf fields
takes a field or hands it to graphql-core."""

from __future__ import annotations

import enum
from typing import Any

import graphene
import pytest
from graphql import ExecutionContext, ExecutionResult, execute, parse

from schema.core.awaitable import is_awaitable
from schema.core.execution import FastExecutionContext, plain_leaf, remembered


class Colour(enum.Enum):
    RED = "RED"
    BLUE = "BLUE"


ColourEnum = graphene.Enum.from_enum(Colour)


class Item(graphene.ObjectType):  # type: ignore[misc]
    name = graphene.String(required=True)
    note = graphene.String()
    size = graphene.Int(required=True)
    colour = graphene.Field(ColourEnum)
    shout = graphene.String(required=True)
    upper = graphene.String(required=True)

    @staticmethod
    def resolve_upper(root: Any, _info: Any) -> str:
        return str(root["name"] if isinstance(root, dict) else root.name).upper()


class Row:
    """An item as an object whose attributes misbehave in every way a field can."""

    def __init__(self, name: Any, size: Any, colour: Any = None) -> None:
        self.name, self.size, self.colour = name, size, colour

    @property
    def shout(self) -> str:
        raise ValueError("no voice")


class Checked(graphene.ObjectType):  # type: ignore[misc]
    """A type that checks its values (graphql-core's is_type_of): only Rows are Checked."""

    name = graphene.String()

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, Row)


class Query(graphene.ObjectType):  # type: ignore[misc]
    items = graphene.List(graphene.NonNull(Item), required=True)
    maybe = graphene.List(Item, required=True)
    checked = graphene.List(Checked, required=True)

    @staticmethod
    def resolve_checked(_root: Any, info: Any) -> list[Any]:
        return list(info.context["items"])

    @staticmethod
    def resolve_items(_root: Any, info: Any) -> list[Any]:
        return list(info.context["items"])

    @staticmethod
    def resolve_maybe(_root: Any, info: Any) -> list[Any]:
        return list(info.context["items"])


SCHEMA = graphene.Schema(query=Query).graphql_schema


def run(query: str, items: list[Any], fast: bool) -> ExecutionResult:
    result = execute(
        SCHEMA,
        parse(query),
        context_value={"items": items},
        is_awaitable=is_awaitable,
        execution_context_class=FastExecutionContext if fast else None,
    )
    assert isinstance(result, ExecutionResult)
    return result


def both(query: str, items: list[Any]) -> tuple[Any, Any]:
    """(data, errors as (message, path) pairs) of each executor, for comparison."""
    results = [run(query, items, fast) for fast in (False, True)]
    slow, fast = (
        (r.data, sorted((e.message, tuple(e.path or ())) for e in r.errors or ())) for r in results
    )
    return slow, fast


def test_plain_fields_answer_the_same_values() -> None:
    # given objects and dicts (graphene's default resolver reads both)
    items = [Row("a", 1, Colour.RED), {"name": "b", "size": 2, "colour": "BLUE", "note": "n"}]
    # when both executors run a query with plain, null, enum, resolver and meta fields
    slow, fast = both("{ items { name note size colour upper __typename n2: name } }", items)
    # then the same data, exactly
    assert fast == slow
    assert fast[0] == {
        "items": [
            {"name": "a", "note": None, "size": 1, "colour": "RED", "upper": "A",
             "__typename": "Item", "n2": "a"},
            {"name": "b", "note": "n", "size": 2, "colour": "BLUE", "upper": "B",
             "__typename": "Item", "n2": "b"},
        ]
    }  # fmt: skip
    assert fast[1] == []


def test_a_failing_attribute_is_the_same_located_error() -> None:
    # given an object whose property raises
    items = [Row("a", 1)]
    # when a non-null field reads it inside a nullable list item
    slow, fast = both("{ maybe { name shout } }", items)
    # then the item is null and the error names the field's path, as graphql-core says
    assert fast == slow
    assert fast == ({"maybe": [None]}, [("no voice", ("maybe", 0, "shout"))])


def test_null_for_a_non_null_field_and_a_value_serialize_refuses_are_the_same_errors() -> None:
    # given a missing name (null) and a size that is no integer
    items = [Row(None, 1), Row("b", "large")]
    # when both executors complete them
    slow, fast = both("{ maybe { name size } }", items)
    # then the same nulls and the same messages at the same paths
    assert fast == slow
    assert fast == (
        {"maybe": [None, None]},
        [
            ("Cannot return null for non-nullable field Item.name.", ("maybe", 0, "name")),
            ("Int cannot represent non-integer value: 'large'", ("maybe", 1, "size")),
        ],
    )


def test_which_fields_take_the_short_path() -> None:
    # given the schema's Item fields
    fields = SCHEMA.get_type("Item").fields
    # then attribute leaves do, a field with its own resolver does not
    assert plain_leaf(fields["name"]) is not None
    assert plain_leaf(fields["colour"]) is not None
    assert plain_leaf(fields["upper"]) is None
    # and neither does an object or list field
    query_fields = SCHEMA.query_type.fields
    assert plain_leaf(query_fields["items"]) is None


def test_an_enum_field_serializes_each_value_once_and_refusals_every_time() -> None:
    # given graphene's serialize of the Colour enum, counted
    enum_type = SCHEMA.get_type("Colour")
    calls: list[Any] = []

    def counted(value: Any) -> Any:
        calls.append(value)
        return enum_type.serialize(value)

    serialize = remembered(counted)
    # when a member, its raw value, the member again and a value the enum refuses (twice) come
    answers = [serialize(Colour.RED), serialize("BLUE"), serialize(Colour.RED)]
    refusals = []
    for _ in range(2):
        with pytest.raises(Exception) as refused:
            serialize("GREEN")
        refusals.append(str(refused.value))
    # then each answer is graphene's, asked once per value, and a refusal is asked every time
    assert answers == ["RED", "BLUE", "RED"]
    assert refusals == ["Enum 'Colour' cannot represent value: 'GREEN'"] * 2
    assert calls == [Colour.RED, "BLUE", "GREEN", "GREEN"]


def test_remembered_answers_keep_equal_values_of_other_types_apart() -> None:
    # given a serialize whose answer depends on the value's type
    serialize = remembered(lambda value: type(value).__name__)
    # when True and 1, equal and of one hash, are serialized, and an unhashable value
    answers = [serialize(True), serialize(1), serialize(True), serialize([1])]
    # then each type gets its own answer, and the list is answered without being kept
    assert answers == ["bool", "int", "bool", "list"]


def test_object_values_nulls_errors_and_type_checks_complete_the_same() -> None:
    # given a null, an exception returned as a value, a dict and an object
    items = [None, ValueError("gone"), {"name": "d", "size": 1}, Row("r", 2)]
    # when lists of non-null items, of nullable items and of a checked type complete them
    results = {
        name: both(f"{{ {name} {{ name }} }}", items) for name in ("items", "maybe", "checked")
    }
    # then both executors give the same data and errors
    for slow, fast in results.values():
        assert fast == slow
    # and the same as graphql-core says for each
    assert results["items"][1] == (
        None,
        [("Cannot return null for non-nullable field Query.items.", ("items", 0))],
    )
    assert results["maybe"][1] == (
        {"maybe": [None, None, {"name": "d"}, {"name": "r"}]},
        [("gone", ("maybe", 1))],
    )
    assert results["checked"][1] == (
        {"checked": [None, None, None, {"name": "r"}]},
        [
            ("Expected value of type 'Checked' but got: {'name': 'd', 'size': 1}.", ("checked", 2)),
            ("gone", ("checked", 1)),
        ],
    )


def test_a_checked_type_accepting_its_value_skips_graphql_cores_object_completion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given graphql-core's object completion, counted
    completed: list[Any] = []
    original = ExecutionContext.complete_object_value

    def counted(self: Any, return_type: Any, *args: Any) -> Any:
        completed.append(return_type.name)
        return original(self, return_type, *args)

    monkeypatch.setattr(ExecutionContext, "complete_object_value", counted)
    # when the fast executor completes a checked type's values: one it accepts, one it refuses
    result = run("{ checked { name } }", [Row("r", 2), {"name": "d", "size": 1}], fast=True)
    # then only the refused one went through graphql-core (which reports it), the accepted one
    # was answered directly
    assert completed == ["Checked"]
    assert result.data == {"checked": [{"name": "r"}, None]}
