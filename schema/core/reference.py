"""The API reference as plain records, read from the executable schema (its descriptions), for
the reference page: what a person browsing the API needs, without an introspection round trip."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
)


@dataclass(frozen=True, slots=True)
class ArgumentDoc:
    name: str
    type: str
    description: str
    default: str | None


@dataclass(frozen=True, slots=True)
class FieldDoc:
    name: str
    type: str
    description: str
    arguments: tuple[ArgumentDoc, ...]
    deprecation: str | None


@dataclass(frozen=True, slots=True)
class TypeDoc:
    name: str
    kind: str  # OBJECT, INPUT, ENUM, SCALAR, INTERFACE, UNION
    description: str
    fields: tuple[FieldDoc, ...]  # fields, input fields, or enum values (type "")
    named_types: tuple[str, ...]  # a union's members, an object's interfaces


def _base_name(type_text: str) -> str:
    return type_text.strip("[]!")


def _kind(named: GraphQLNamedType) -> str:
    kinds: tuple[tuple[type, str], ...] = (
        (GraphQLObjectType, "OBJECT"),
        (GraphQLInputObjectType, "INPUT"),
        (GraphQLEnumType, "ENUM"),
        (GraphQLInterfaceType, "INTERFACE"),
        (GraphQLUnionType, "UNION"),
        (GraphQLScalarType, "SCALAR"),
    )
    return next(label for cls, label in kinds if isinstance(named, cls))


def _fields(named: GraphQLNamedType) -> tuple[FieldDoc, ...]:
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return tuple(
            FieldDoc(
                name,
                str(field.type),
                field.description or "",
                tuple(
                    ArgumentDoc(
                        arg_name,
                        str(arg.type),
                        arg.description or "",
                        None if arg.default_value is None else repr(arg.default_value),
                    )
                    for arg_name, arg in field.args.items()
                ),
                field.deprecation_reason,
            )
            for name, field in named.fields.items()
        )
    if isinstance(named, GraphQLInputObjectType):
        return tuple(
            FieldDoc(name, str(field.type), field.description or "", (), None)
            for name, field in named.fields.items()
        )
    if isinstance(named, GraphQLEnumType):
        return tuple(
            FieldDoc(name, "", value.description or "", (), value.deprecation_reason)
            for name, value in named.values.items()
        )
    return ()


def api_reference(schema: GraphQLSchema) -> tuple[TypeDoc, ...]:
    """Every named type of the schema but the introspection ones: the root types first (query,
    mutation), then the others by name."""
    roots = [t for t in (schema.query_type, schema.mutation_type) if t is not None]
    others = sorted(
        (
            named
            for name, named in schema.type_map.items()
            if not name.startswith("__") and named not in roots
        ),
        key=lambda named: named.name,
    )
    docs = []
    for named in [*roots, *others]:
        members: tuple[str, ...] = ()
        if isinstance(named, GraphQLUnionType):
            members = tuple(t.name for t in named.types)
        elif isinstance(named, GraphQLObjectType):
            members = tuple(t.name for t in named.interfaces)
        docs.append(
            TypeDoc(named.name, _kind(named), named.description or "", _fields(named), members)
        )
    return tuple(docs)


def linked_type(type_text: str) -> str:
    """The named type a field's type text refers to (``[Purchase!]!`` -> ``Purchase``)."""
    return _base_name(type_text)
