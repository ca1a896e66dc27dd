"""The Jinja environment every agreement template is compiled in.

Templates are uploaded by users, so they are untrusted code. Defences, in order:
- ``SandboxedEnvironment``: no ``__class__``/``__mro__`` walks, no unsafe attributes or calls;
- ``autoescape=True``: ``&``, ``<``, ``>`` and quotes in values become XML entities, so a vendor
  name cannot corrupt the .docx (docxtpl's default is ``autoescape=False``);
- ``StrictUndefined``: a misspelt field fails loudly instead of leaving a blank in a contract;
- no globals (``range``, ``lipsum``, ``namespace``...), a short list of harmless filters (no
  ``safe``, which would switch escaping off, no ``center``/``indent`` that allocate on demand);
- an AST check at compile time (``_parse``) that refuses calls, macros, imports, ``autoescape``
  blocks, private attributes, recursive or deeply nested loops, and ``**``;
- ``*`` on text or lists is refused at run time (``'x' * 10**9`` would exhaust memory).
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_LOOP_DEPTH = 2

SAFE_FILTERS = frozenset(
    {
        "capitalize",
        "count",
        "d",
        "default",
        "e",
        "escape",
        "first",
        "int",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "round",
        "sort",
        "string",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
    }
)

_FORBIDDEN: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.Call, "function and method calls are not allowed; use a filter such as |upper"),
    (nodes.Macro, "macros are not allowed"),
    (nodes.CallBlock, "call blocks are not allowed"),
    (nodes.Import, "importing other templates is not allowed"),
    (nodes.FromImport, "importing other templates is not allowed"),
    (nodes.Include, "including other templates is not allowed"),
    (nodes.Extends, "extending other templates is not allowed"),
    (nodes.EvalContextModifier, "'autoescape' blocks are not allowed: values must stay escaped"),
    (nodes.Pow, "the ** operator is not allowed"),
)


class TemplateSecurityError(SecurityError):
    """The template uses constructs agreement templates may not use; ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def ast_problems(tree: nodes.Node) -> list[str]:
    """Every forbidden construct in ``tree`` (deduplicated, in order of first appearance)."""
    found: list[str] = []
    for node in tree.find_all(nodes.Node):
        for kind, message in _FORBIDDEN:
            if isinstance(node, kind):
                found.append(message)
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            found.append(f"access to private attribute {node.attr!r} is not allowed")
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
            and node.arg.value.startswith("_")
        ):
            found.append(f"access to private attribute {node.arg.value!r} is not allowed")
        if isinstance(node, nodes.For) and node.recursive:
            found.append("recursive loops are not allowed")
    if _loop_depth(tree) > MAX_LOOP_DEPTH:
        found.append(f"loops may be nested at most {MAX_LOOP_DEPTH} deep")
    return list(dict.fromkeys(found))


def _loop_depth(node: nodes.Node) -> int:
    deepest = max((_loop_depth(child) for child in node.iter_child_nodes()), default=0)
    return deepest + 1 if isinstance(node, nodes.For) else deepest


class AgreementSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every compile path (render, parse, meta analysis) goes through here, so the check
        # cannot be skipped by rendering a template that was never uploaded through check_template.
        tree = super()._parse(source, name, filename)
        problems = ast_problems(tree)
        # Unknown filters would otherwise only fail at code generation, with a bare message.
        problems += [
            f"filter {f.name!r} is not allowed"
            for f in tree.find_all(nodes.Filter)
            if f.name not in self.filters
        ]
        problems += [
            f"test {t.name!r} is not allowed"
            for t in tree.find_all(nodes.Test)
            if t.name not in self.tests
        ]
        problems = list(dict.fromkeys(problems))
        if problems:
            raise TemplateSecurityError(problems)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and (
            isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple)
        ):
            raise SecurityError("repeating text or lists with * is not allowed")
        return super().call_binop(context, operator, left, right)


def make_environment() -> AgreementSandbox:
    """A fresh environment per render: cheap, and no state is shared between requests."""
    env = AgreementSandbox(autoescape=True, undefined=StrictUndefined)
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    return env
