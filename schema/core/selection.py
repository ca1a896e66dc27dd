"""Which fields a request selects below the field being resolved, so that a list resolver can load
its items' relations in one batch each before graphql-core completes them (see ``prime`` in the
domains' loaders): every nested resolver then finds its value loaded and completes synchronously,
without a coroutine, a task and a gather per field.

A hint, never a rule: a field missed here (or selected under a ``@skip`` that the walk ignores)
only costs the nested resolver its ordinary asynchronous load.
"""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode


def _fields(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> list[FieldNode]:
    """The fields of a selection set, through inline fragments and fragment spreads (each named
    fragment once: validation already refused cycles)."""
    found: list[FieldNode] = []
    seen: set[str] = set()
    pending = [selection_set] if selection_set is not None else []
    while pending:
        for selection in pending.pop(0).selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    pending.append(fragment.selection_set)
    return found


def selected_fields(info: Any, *path: str) -> list[str]:
    """The names of the fields selected at ``path`` (field names, not aliases) below the field
    being resolved, in first-seen order, each once; e.g. ``selected_fields(info, "edges",
    "node")`` for a connection's nodes."""
    fragments = info.fragments
    level: list[FieldNode] = list(info.field_nodes)
    for name in path:
        level = [
            child
            for node in level
            for child in _fields(node.selection_set, fragments)
            if child.name.value == name
        ]
    names = (child.name.value for node in level for child in _fields(node.selection_set, fragments))
    return list(dict.fromkeys(names))
