"""graphql-core's executor with a short path for plain leaf fields (issue 14, throughput).

graphql-core runs the same machinery for every field: a path, the field's definition, a
12-part ``GraphQLResolveInfo``, its arguments, the resolver, an awaitable check, then
``complete_value`` through the type's wrappers to ``serialize``. For a scalar or enum field that
graphene resolves by reading an attribute (or a dict key) of its parent, with no arguments, the
answer is ``serialize(getattr(parent, name, default))``: about a third of the cost. A page of
20 purchases has a few hundred such fields.

The short path only answers what it is sure of: a value it can serialize, or null for a
nullable field. Anything else (an exception, an awaitable, an exception returned as the value,
null for a non-null field, a value ``serialize`` refuses) goes through graphql-core's own
``execute_field``, which reads the attribute again and reports the error exactly as before
(reading a plain attribute twice changes nothing).
"""

from __future__ import annotations

from asyncio import gather
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from graphene.types.resolver import attr_resolver, dict_or_attr_resolver, dict_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import AwaitableOrValue, Path

_PLAIN_RESOLVERS = (dict_or_attr_resolver, attr_resolver, dict_resolver)


class PlainLeaf(NamedTuple):
    """A leaf field answered by reading ``name`` of its parent (an attribute, or a key of a
    dict parent, as graphene's default resolver reads it)."""

    name: str
    default: Any
    serialize: Callable[[Any], Any]
    non_null: bool
    from_dict: bool  # a dict parent is read by key (dict_or_attr_resolver, dict_resolver)
    from_attr: bool  # any other parent by attribute (dict_or_attr_resolver, attr_resolver)


def plain_leaf(field: GraphQLField) -> PlainLeaf | None:
    """How to answer ``field`` on the short path, or None when it needs the full one."""
    resolve = field.resolve
    if field.args or not isinstance(resolve, partial) or resolve.keywords:
        return None
    if resolve.func not in _PLAIN_RESOLVERS or len(resolve.args) != 2:
        return None
    leaf = get_nullable_type(field.type)  # type: ignore[arg-type]
    if not is_leaf_type(leaf):
        return None
    name, default = resolve.args
    serialize = leaf.serialize  # type: ignore[union-attr]
    return PlainLeaf(
        name=name,
        default=default,
        serialize=remembered(serialize) if isinstance(leaf, GraphQLEnumType) else serialize,
        non_null=is_non_null_type(field.type),
        from_dict=resolve.func is not attr_resolver,
        from_attr=resolve.func is not dict_resolver,
    )


# An enum type's distinct values are few; a type fed arbitrary raw values stops remembering here.
_MAX_REMEMBERED = 256


def remembered(serialize: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An enum's ``serialize``, remembering each answer: graphene's converts a raw value to its
    Python enum and graphql-core's then looks the member up, about 2 µs a value, and a page of
    purchases serializes over a hundred. The answer depends only on the value, so it is kept
    per value and its type (``True`` and ``1``, or a str and an equal StrEnum member, are kept
    apart). A refusal is not kept: it raises again, and the full path reports it."""
    answers: dict[tuple[type, Any], Any] = {}

    def serialize_remembered(value: Any) -> Any:
        try:
            key = (type(value), value)
            return answers[key]
        except KeyError:
            answer = serialize(value)
            if len(answers) < _MAX_REMEMBERED:
                answers[key] = answer
            return answer
        except TypeError:  # unhashable: nothing to remember it by
            return serialize(value)

    return serialize_remembered


# parent type -> its fields' short paths (None: the full path). The schema's types live as long
# as the process; bounded, in case schemas are made at run time (tests).
_PLANS: dict[GraphQLObjectType, dict[str, PlainLeaf | None]] = {}
_MAX_TYPES = 4096


def plans_of(parent_type: GraphQLObjectType) -> dict[str, PlainLeaf | None]:
    plans = _PLANS.get(parent_type)
    if plans is None:
        plans = {name: plain_leaf(field) for name, field in parent_type.fields.items()}
        if len(_PLANS) >= _MAX_TYPES:
            _PLANS.clear()
        _PLANS[parent_type] = plans
    return plans


_MISS = object()  # the short path cannot answer: take the full one


def _answer(plan: PlainLeaf, source: Any, is_awaitable: Callable[[Any], bool]) -> Any:
    """The field's serialized value, or _MISS."""
    try:
        if isinstance(source, dict):
            if not plan.from_dict:
                return _MISS
            value = source.get(plan.name, plan.default)
        elif plan.from_attr:
            value = getattr(source, plan.name, plan.default)
        else:
            return _MISS
        if value is None or value is Undefined:
            return _MISS if plan.non_null else None
        if isinstance(value, Exception) or is_awaitable(value):
            return _MISS
        serialized = plan.serialize(value)
    except Exception:
        return _MISS
    if serialized is None or serialized is Undefined:
        return _MISS
    return serialized


# field type -> the object type its value completes as (an object type, possibly non-null);
# None: graphql-core's own completion (lists, interfaces, unions, leaves).
_OBJECTS: dict[GraphQLOutputType, GraphQLObjectType | None] = {}


def plain_object(return_type: GraphQLOutputType) -> GraphQLObjectType | None:
    if return_type in _OBJECTS:
        return _OBJECTS[return_type]
    inner = get_nullable_type(return_type)  # type: ignore[arg-type]
    found = inner if isinstance(inner, GraphQLObjectType) else None
    if len(_OBJECTS) >= _MAX_TYPES:
        _OBJECTS.clear()
    _OBJECTS[return_type] = found
    return found


class FastExecutionContext(ExecutionContext):
    """``execute_fields`` as graphql-core's, with the short path for plain leaf fields, and
    ``complete_value`` going straight to the sub-selection for a plain object value."""

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
    ) -> AwaitableOrValue[Any]:
        # graphql-core's steps for an object value (not null, not an exception): unwrap the
        # non-null type (its check cannot fail: the fields' dict, or an awaitable of it, is
        # never null), then complete_object_value: the type's is_type_of, when it has one, must
        # say True, then the collected sub-fields are executed. Anything else (a refusal, an
        # awaitable answer) takes graphql-core's own path, which asks again and reports it.
        object_type = plain_object(return_type)
        if (
            object_type is None
            or result is None
            or result is Undefined
            or isinstance(result, Exception)
            or (
                object_type.is_type_of is not None
                and object_type.is_type_of(result, info) is not True
            )
        ):
            return super().complete_value(return_type, field_nodes, info, path, result)
        return self.execute_fields(
            object_type, result, path, self.collect_subfields(object_type, field_nodes)
        )

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> AwaitableOrValue[dict[str, Any]]:
        if self.middleware_manager is not None:
            return super().execute_fields(parent_type, source_value, path, fields)
        plans = plans_of(parent_type)
        is_awaitable = self.is_awaitable
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        for response_name, field_nodes in fields.items():
            plan = plans.get(field_nodes[0].name.value)
            if plan is not None:
                answer = _answer(plan, source_value, is_awaitable)
                if answer is not _MISS:
                    results[response_name] = answer
                    continue
            field_path = Path(path, response_name, parent_type.name)
            result = self.execute_field(parent_type, source_value, field_nodes, field_path)
            if result is not Undefined:
                results[response_name] = result
                if is_awaitable(result):
                    awaitable_fields.append(response_name)
        if not awaitable_fields:
            return results
        return self._gathered(results, awaitable_fields)

    async def _gathered(
        self, results: dict[str, Any], awaitable_fields: list[str]
    ) -> dict[str, Any]:
        """graphql-core's own: the awaitable results awaited together, in place."""
        results.update(
            zip(
                awaitable_fields,
                await gather(*(results[field] for field in awaitable_fields)),
                strict=True,
            )
        )
        return results
