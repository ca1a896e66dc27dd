"""Helpers shared by the agreement tests: tiny .docx templates and text extraction."""

from __future__ import annotations

import io
import zipfile

import docx
from lxml import etree

from contract_templates import find_template, template_bytes
from procurement.agreements.context import build_context
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.render import render
from procurement.agreements.sample import sample_facts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_docx(*paragraphs: str) -> bytes:
    """A real .docx with one paragraph per argument (the text goes into a single run)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def paragraph_texts(document: bytes) -> list[str]:
    """Texts of all body paragraphs, tables included, in document order (via python-docx)."""
    body = docx.Document(io.BytesIO(document)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def bookmarks(document: bytes) -> list[tuple[str, str]]:
    """(bookmark name, text of its paragraph) for every bookmark in the body, in order."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml"))
    out = []
    for start in root.iter(f"{W}bookmarkStart"):
        para = start.getparent()
        out.append((start.get(f"{W}name"), "".join(t.text or "" for t in para.iter(f"{W}t"))))
    return out


def render_sample(language: str, *, flags: bool = True) -> bytes:
    """The shipped agreement template in ``language`` rendered with the sample facts."""
    facts = sample_facts(flags=flags)
    obligations = derive_obligations(facts.purchase, facts.terms, language)
    context = build_context(facts, obligations, language)
    return render(template_bytes(find_template("security-agreement", language)), context)
