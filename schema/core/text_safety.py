"""Text no database column can hold: U+0000 (PostgreSQL refuses it in text) and lone UTF-16
surrogates (not encodable as UTF-8). Both are refused at the door with where they were found,
so a client's mistake never reaches the database as an internal error."""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_VARIABLE_NESTING = 64  # deeper than any input type of the schema


def unstorable_character(text: str) -> str | None:
    """A description of the first character no column can store, or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    kind = "NUL" if char == "\x00" else "a lone surrogate"
    return f"U+{ord(char):04X} ({kind}) at character {found.start()}"


def check_variables(variables: dict[str, Any]) -> str | None:
    """The first problem in the variables (path and what), or None. Iterative: a hostile
    nesting costs a bounded walk, never the interpreter's stack."""
    pending: list[tuple[str, Any, int]] = [(f"variables.{k}", v, 1) for k, v in variables.items()]
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_VARIABLE_NESTING:
            return f"{path} nests deeper than {MAX_VARIABLE_NESTING} levels"
        if isinstance(value, str):
            problem = unstorable_character(value)
            if problem:
                return f"{path} contains {problem}, which no text field accepts"
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = unstorable_character(key)
                if problem:
                    return f"a key in {path} contains {problem}"
                pending.append((f"{path}.{key}", item, depth + 1))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
    return None


class NoUnstorableText(ValidationRule):
    """A string literal in the document with U+0000 in it (written as \\u0000)."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        problem = unstorable_character(node.value)
        if problem:
            self.report_error(
                GraphQLError(f"this string contains {problem}, which no text field accepts", node)
            )
