"""Scalars graphene lacks."""

from __future__ import annotations

from decimal import Decimal as PyDecimal
from decimal import InvalidOperation
from typing import Any

import graphene
from graphql import FloatValueNode, IntValueNode, StringValueNode

from procurement.files import UploadedFile


class JSON(graphene.Scalar):
    """Arbitrary JSON value (audit snapshots, finding evidence). Output only."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: Any, _variables: Any = None) -> Any:
        raise ValueError("JSON literals are not accepted as input")


class Decimal(graphene.Scalar):
    """An exact decimal number, written as a string ("1250000.00"); never a binary float.

    The endpoint parses JSON numbers in variables as exact decimals, so ``1250000.10`` sent as a
    number is taken exactly as written, too.
    """

    @staticmethod
    def serialize(value: Any) -> str:
        return str(value)

    @staticmethod
    def parse_value(value: Any) -> PyDecimal:
        if isinstance(value, (bool, float)):
            raise ValueError("Decimal values must be strings or exact numbers, not floats")
        if isinstance(value, PyDecimal | int | str):
            try:
                return PyDecimal(str(value).strip())
            except InvalidOperation:
                raise ValueError(f"'{value}' is not a decimal number") from None
        raise ValueError(f"'{value}' is not a decimal number")

    @staticmethod
    def parse_literal(node: Any, _variables: Any = None) -> PyDecimal:
        if isinstance(node, StringValueNode | IntValueNode | FloatValueNode):
            return Decimal.parse_value(node.value)
        raise ValueError("Decimal literals must be strings or numbers")


class Upload(graphene.Scalar):
    """A file sent in a GraphQL multipart request (multipart/form-data with `operations`, `map`
    and the file parts); the variable holds null and the map points at it. Input only."""

    @staticmethod
    def serialize(value: Any) -> Any:
        raise ValueError("Upload is an input type")

    @staticmethod
    def parse_value(value: Any) -> UploadedFile:
        if isinstance(value, UploadedFile):
            return value
        raise ValueError("Expected a file: send the request as multipart/form-data")

    @staticmethod
    def parse_literal(node: Any, _variables: Any = None) -> Any:
        raise ValueError("files cannot be written in the query; pass them as variables")
