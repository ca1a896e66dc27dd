"""Render .docx agreement templates, and check uploaded templates before anyone stores them.

docxtpl turns the document XML into one Jinja template; we always hand it the sandbox from
:mod:`procurement.agreements.sandbox` with autoescape on, and a read-only context of plain values
(:func:`procurement.agreements.context.build_context`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping

import docx
from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError
from lxml import etree

from procurement.agreements.context import (
    CONTEXT_SHAPE,
    CONTEXT_VARIABLES,
    build_context,
    context_fields,
)
from procurement.agreements.messages import said
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.sample import sample_facts
from procurement.agreements.sandbox import TemplateSecurityError, make_environment
from procurement.errors import ErrorCode, FieldError, InputError

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # a real agreement template is well under 1 MiB
MAX_ZIP_ENTRIES = 1000

_FIELD = "template"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# Core properties docxtpl renders as templates too (see DocxTemplate.render_properties).
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_TAG_OPEN = re.compile(r"\{[{%#]")
# docxtpl's {{r x}} / {{p x}} / {{tr x}} / {{tc x}} expect RichText or Subdoc objects; a plain
# value there lands outside any <w:t> and silently vanishes from the document.
_OBJECT_TAG = re.compile(r"\{\{(?:r|p|tr|tc)\s")


def _said(which: str, code: ErrorCode = ErrorCode.INVALID, **params: str) -> FieldError:
    """A problem with the .docx in words of agreements/messages.py (id agreements.error.<which>)."""
    return said(_FIELD, f"agreements.error.{which}", code, **params)


def _package_problems(data: bytes) -> list[FieldError]:
    """Size and shape checks on the ZIP package before any XML is parsed (zip bombs, non-docx)."""
    if len(data) > MAX_TEMPLATE_BYTES:
        return [_said("docx_too_large", ErrorCode.TOO_LARGE)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return [_said("docx_not_zip")]
    if len(infos) > MAX_ZIP_ENTRIES:
        return [_said("docx_parts", ErrorCode.TOO_LARGE)]
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        return [_said("docx_expands", ErrorCode.TOO_LARGE)]
    names = {info.filename for info in infos}
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        return [_said("docx_not_word")]
    if any(info.flag_bits & 0x1 for info in infos):
        return [_said("docx_encrypted")]
    return []


def _open(template: bytes) -> DocxTemplate:
    problems = _package_problems(template)
    if problems:
        raise InputError(problems)
    tpl = DocxTemplate(io.BytesIO(template))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many types for malformed packages
        raise InputError([_said("docx_unreadable")]) from exc
    return tpl


def _sources(tpl: DocxTemplate) -> list[str]:
    """Every text docxtpl renders as Jinja: body, headers, footers, footnotes, core properties."""
    xmls = [tpl.get_xml()]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        xmls.extend(tpl.get_part_xml(part) for _, part in tpl.get_headers_footers(uri))
    xmls.extend(
        part.blob.decode("utf-8")
        for part in tpl.docx.part.package.parts
        if part.content_type == _FOOTNOTES
    )
    if any(_OBJECT_TAG.search(re.sub(r"<[^>]+>", "", xml)) for xml in xmls):
        raise InputError([_said("docx_tags")])
    # One paragraph per line, as docxtpl does, so syntax errors point at a paragraph.
    sources = [re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)) for xml in xmls]
    props = tpl.docx.core_properties
    sources.extend(value for name in _PROPERTIES if (value := getattr(props, name)))
    return sources


def _parse_all(tpl: DocxTemplate) -> list[nodes.Template]:
    env = make_environment()
    trees = []
    for source in _sources(tpl):
        try:
            trees.append(env.parse(source))
        except TemplateSyntaxError as exc:
            line = source.splitlines()[exc.lineno - 1] if exc.lineno else ""
            near = re.sub(r"<[^>]+>", "", line).strip()[:80]
            message = exc.message or ""
            raise InputError([_said("syntax", detail=message, near=repr(near))]) from exc
        except TemplateSecurityError as exc:
            problems = [FieldError(_FIELD, p, ErrorCode.INVALID) for p in exc.problems]
            raise InputError(problems) from exc
    return trees


def render(template: bytes, context: Mapping[str, object]) -> bytes:
    """Render ``template`` (.docx bytes) with ``context``; :class:`InputError` on a bad template."""
    tpl = _open(template)
    try:
        tpl.render(dict(context), make_environment(), autoescape=True)
    except TemplateSecurityError as exc:
        raise InputError([FieldError(_FIELD, p, ErrorCode.INVALID) for p in exc.problems]) from exc
    except SecurityError as exc:
        raise InputError([_said("sandbox", detail=str(exc))]) from exc
    except UndefinedError as exc:
        raise InputError([_said("undefined", detail=exc.message or "")]) from exc
    except TemplateError as exc:
        raise InputError([_said("template", detail=exc.message or "")]) from exc
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def template_variables(template: bytes) -> set[str]:
    """Top-level names the template reads (like docxtpl's get_undeclared_template_variables,
    plus footnotes and document properties, which docxtpl renders too)."""
    names: set[str] = set()
    for tree in _parse_all(_open(template)):
        names |= meta.find_undeclared_variables(tree)
    return names


def _tree_fields(tree: nodes.Template, roots: set[str]) -> set[str]:
    """``root`` or ``root.attr`` for each context name used; loop items count as their list."""
    aliases = {
        loop.target.name: loop.iter.name
        for loop in tree.find_all(nodes.For)
        if isinstance(loop.target, nodes.Name)
        and isinstance(loop.iter, nodes.Name)
        and loop.iter.name in roots
    }
    out: set[str] = set()
    under_attr: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        if not isinstance(node.node, nodes.Name):
            continue
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        root = aliases.get(node.node.name, node.node.name)
        if root in roots and isinstance(attr, str):
            out.add(f"{root}.{attr}")
            under_attr.add(id(node.node))
    for name in tree.find_all(nodes.Name):
        if name.name in roots and name.ctx == "load" and id(name) not in under_attr:
            out.add(name.name)
    return out


def template_fields(template: bytes) -> set[str]:
    """Dotted context paths the template reads (``vendor.address``, ``obligations.title``...);
    these are what :func:`procurement.agreements.context.missing_facts` checks."""
    fields: set[str] = set()
    for tree in _parse_all(_open(template)):
        fields |= _tree_fields(tree, set(meta.find_undeclared_variables(tree)))
    return fields


def _leftover_tags(document: bytes) -> list[str]:
    """Paragraph texts that still contain ``{{``, ``{%`` or ``{#`` (tags Jinja never saw)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        for name in package.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(package.read(name), parser)
            for para in root.iter(f"{_W}p"):
                text = "".join(t.text or "" for t in para.iter(f"{_W}t"))
                if _TAG_OPEN.search(text):
                    found.append(text.strip()[:80])
    return found


def check_template(
    template: bytes, known_variables: Iterable[str] = CONTEXT_VARIABLES, language: str = "zh"
) -> list[FieldError]:
    """Every problem that should stop an uploaded template from being stored ([] when fine).

    Checks: a real, reasonably sized .docx; valid Jinja that stays inside the sandbox rules; only
    known variables and fields; renders with sample facts (every yes/no fact true, then false);
    the output reopens as .docx and has no unrendered tag left.
    """
    try:
        trees = _parse_all(_open(template))
    except InputError as exc:
        return list(exc.errors)
    known = set(known_variables)
    used = set().union(*(meta.find_undeclared_variables(t) for t in trees))
    errors = [_said("unknown_variable", name=repr(name)) for name in sorted(used - known)]
    roots = used & known & set(CONTEXT_SHAPE)
    fields = set().union(*(_tree_fields(t, roots) for t in trees))
    errors += [
        _said("unknown_field", path=repr(path))
        for path in sorted(p for p in fields if "." in p and p not in context_fields())
    ]
    if errors:
        return errors
    for flags in (True, False):
        facts = sample_facts(flags=flags)
        obligations = derive_obligations(facts.purchase, facts.terms, language)
        try:
            output = render(template, build_context(facts, obligations, language))
            docx.Document(io.BytesIO(output))
        except InputError as exc:
            return list(exc.errors)
        except Exception as exc:  # untrusted input: any failure means "do not store it"
            return [_said("not_rendered", kind=type(exc).__name__)]
        leftovers = _leftover_tags(output)
        if leftovers:
            return [_said("leftover_tag", text=repr(text)) for text in leftovers]
    return []
