"""Typed access to untrusted JSON that records every problem with its path instead of raising."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procurement.errors import ErrorCode, FieldError
from procurement.screening.messages import said
from procurement.texts import Text


class Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: Text, code: ErrorCode = ErrorCode.INVALID) -> None:
        """``message``: a Text of procurement/screening/messages.py (or an input check's)."""
        self.errors.append(said(path, message, code))

    def as_obj(self, raw: Any, path: str) -> Mapping[str, Any] | None:
        if isinstance(raw, Mapping):
            return raw
        self.error(path, Text("screening.osv.object", {"type": type(raw).__name__}))
        return None

    def _get(self, parent: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
        if key not in parent or parent[key] is None:
            if required:
                self.error(path, Text("input.required", {}), ErrorCode.REQUIRED)
            return None
        return parent[key]

    def obj(
        self, parent: Mapping[str, Any], key: str, path: str, required: bool = True
    ) -> Mapping[str, Any] | None:
        raw = self._get(parent, key, path, required)
        return None if raw is None else self.as_obj(raw, path)

    def string(
        self, parent: Mapping[str, Any], key: str, path: str, required: bool = True
    ) -> str | None:
        raw = self._get(parent, key, path, required)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.error(path, Text("screening.osv.string", {"type": type(raw).__name__}))
            return None
        if required and not raw.strip():
            self.error(path, Text("screening.osv.empty", {}), ErrorCode.REQUIRED)
            return None
        return raw

    def array(self, parent: Mapping[str, Any], key: str, path: str) -> list[Any] | None:
        raw = self._get(parent, key, path, required=False)
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.error(path, Text("screening.osv.array", {"type": type(raw).__name__}))
            return None
        return raw

    def strings(self, parent: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        out: list[str] = []
        for i, item in enumerate(self.array(parent, key, path) or []):
            if isinstance(item, str):
                out.append(item)
            else:
                self.error(
                    f"{path}[{i}]", Text("screening.osv.string", {"type": type(item).__name__})
                )
        return tuple(out)
