"""Build the Article 20 agreement templates (.docx with docxtpl tags) and ``manifest.json``.

The wording lives in ``wording/*.toml`` (legal text, reviewable in diffs); this script only lays it
out. Run from the repository root after changing the wording (and raising its ``version``):

    python -m contract_templates.build_templates            # writes next to this file
    python -m contract_templates.build_templates --out DIR  # writes elsewhere (tests do this)

Output is reproducible: fixed document properties and ZIP timestamps, so rebuilding unchanged
wording gives the same parts, and the committed files can be checked against the script.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from procurement.agreements.render import check_template, template_fields, template_variables

HERE = Path(__file__).resolve().parent
WORDING_DIR = HERE / "wording"
TEMPLATE_STEMS = ("security_agreement_zh", "security_agreement_en")
MANIFEST_VERSION = 1

_FIXED_TIME = datetime(2025, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CN_DIGITS = "零一二三四五六七八九"
_REF = re.compile(r"\[\[clause:([a-z_]+)\]\]")
_CONTROL = re.compile(r"^\{%p\s+(\w+)")
_BLACK = RGBColor(0, 0, 0)

Wording = dict[str, Any]


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 16 -> 十六, 21 -> 二十一 (clause numbers stay below 100)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else _CN_DIGITS[tens] + "十") + (_CN_DIGITS[ones] if ones else "")


def clause_labels(wording: Wording) -> dict[str, str]:
    """Clause id -> its label in this language (第六条 / Clause 6), in document order."""
    fmt = wording["clause_label"]
    return {
        c["id"]: fmt.format(n=n, cn=chinese_number(n))
        for n, c in enumerate(wording["clause"], start=1)
    }


def _set_fonts(style: ParagraphStyle, latin: str, east_asia: str, size_pt: float) -> None:
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in [a for a in rfonts.attrib if "heme" in a]:  # theme fonts override explicit ones
        del rfonts.attrib[attr]
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia)):
        rfonts.set(qn(f"w:{attr}"), value)
    style.font.size = Pt(size_pt)
    style.font.color.rgb = _BLACK


def _setup(doc: DocxDocument, wording: Wording) -> None:
    fonts = wording["fonts"]
    normal = cast(ParagraphStyle, doc.styles["Normal"])
    _set_fonts(normal, fonts["latin"], fonts["east_asia"], fonts["size_pt"])
    heading = cast(ParagraphStyle, doc.styles["Heading 1"])
    _set_fonts(heading, fonts["latin"], fonts["heading_east_asia"], fonts["size_pt"] + 1)
    heading.font.bold = True
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    # East Asian text is zh-CN in both templates (names and addresses are often Chinese).
    lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    lang.set(qn("w:val"), "en-US" if fonts["lang"] == "zh-CN" else fonts["lang"])
    lang.set(qn("w:eastAsia"), "zh-CN")
    for section in doc.sections:  # A4 with 25 mm margins
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    props = doc.core_properties
    props.title, props.subject = wording["title"], wording["subject"]
    props.author = props.last_modified_by = props.keywords = props.comments = ""
    props.language = fonts["lang"]
    props.created = props.modified = props.last_printed = _FIXED_TIME
    props.revision = 1


def _paragraph(
    doc: DocxDocument,
    text: str,
    *,
    bold: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if align is not None:
        para.alignment = align
    return para


def _bookmark(para: Paragraph, name: str, ident: int) -> None:
    """Wrap the paragraph's text in a bookmark: a stable, invisible marker tests and links use."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(ident))
    p = para._p
    if p.pPr is not None:
        p.pPr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _footer(doc: DocxDocument, text: str) -> None:
    """The footer text with ``{page}`` and ``{pages}`` as Word fields ("page 2 of 7")."""
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in re.split(r"(\{page\}|\{pages\})", text):
        if part in ("{page}", "{pages}"):
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), " PAGE " if part == "{page}" else " NUMPAGES ")
            run, t = OxmlElement("w:r"), OxmlElement("w:t")
            t.text = "1"
            run.append(t)
            field.append(run)
            para._p.append(field)
        elif part:
            para.add_run(part)


def _clause_paragraphs(
    doc: DocxDocument, number: int, paras: list[str], labels: dict[str, str]
) -> None:
    """Numbered sub-clauses; docxtpl ``{%p ... %}`` lines become their own (removed) paragraphs.

    Both branches of an if/else get the same numbers; an ``if`` without ``else`` must close the
    clause, or the numbers after it would skip when the condition is false.
    """
    counter, stack, closed_without_else = 0, [], False
    for raw in paras:
        control = _CONTROL.match(raw)
        if control:
            kind = control.group(1)
            if kind == "if":
                stack.append([counter, False])
            elif kind == "else":
                stack[-1][1], counter = True, stack[-1][0]
            elif kind == "endif":
                closed_without_else = not stack.pop()[1]
            doc.add_paragraph(raw)
            continue
        if closed_without_else and not stack:
            raise ValueError(f"clause {number}: an if without else must be the clause's last part")
        counter += 1
        para = _paragraph(doc, f"{number}.{counter}　{_REF.sub(lambda m: labels[m[1]], raw)}")
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _table(
    doc: DocxDocument,
    widths_mm: list[float],
    rows: list[list[str]],
    *,
    grid: bool = True,
    size: float | None = None,
    bold_first_line: bool = False,
) -> Table:
    """A fixed-width table; a "\n" in a cell text starts a new paragraph in that cell."""
    table = doc.add_table(rows=len(rows), cols=len(widths_mm))
    table.style = doc.styles["Table Grid"] if grid else None
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid: LibreOffice lays columns out from it
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, widths_mm, strict=True):
            cell.width = Mm(width)  # the cells: Word lays columns out from these
            first, *rest = text.split("\n")
            cell.paragraphs[0].add_run(first).bold = (bold_first_line and bool(rest)) or None
            for line in rest:
                cell.add_paragraph(line)
            if size is not None:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.font.size = Pt(size)
    built: Table = table
    return built


def _loop_table(
    doc: DocxDocument,
    columns: list[str],
    widths: list[float],
    item: str,
    items: str,
    cells: list[str],
    size: float | None = None,
) -> None:
    """Header row, then docxtpl's row loop: {%tr for %} row, item row, {%tr endfor %} row."""
    blank = [""] * (len(columns) - 1)
    table = _table(
        doc,
        widths,
        [columns, [f"{{%tr for {item} in {items} %}}", *blank], cells, ["{%tr endfor %}", *blank]],
        size=size,
        bold_first_line=True,
    )
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def build_document(wording: Wording) -> bytes:
    """One template as reproducible .docx bytes."""
    doc = Document()
    _setup(doc, wording)
    labels = clause_labels(wording)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, wording["title"], bold=True, size=18, align=center)
    _paragraph(doc, wording["subtitle"], align=center)
    _paragraph(doc, wording["number_line"], align=WD_ALIGN_PARAGRAPH.RIGHT)

    doc.add_heading(wording["parties"]["heading"], level=1)
    for line in (*wording["parties"]["operator"], "", *wording["parties"]["vendor"]):
        _paragraph(doc, line)
    doc.add_heading(wording["recitals"]["heading"], level=1)
    for line in wording["recitals"]["paras"]:
        _paragraph(doc, line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for number, clause in enumerate(wording["clause"], start=1):
        heading = doc.add_heading(f"{labels[clause['id']]}　{clause['heading']}", level=1)
        _bookmark(heading, f"clause_{clause['id']}", number)
        _clause_paragraphs(doc, number, clause["paras"], labels)

    signatures = wording["signatures"]
    _paragraph(doc, signatures["intro"], align=center)
    operator, vendor = signatures["operator"], signatures["vendor"]
    sign = _paragraph(doc, "")
    sign.paragraph_format.page_break_before = True
    _table(doc, [80, 80], [["\n\n".join(operator), "\n\n".join(vendor)]], grid=False)

    purchase = wording["schedule_purchase"]
    doc.add_heading(purchase["heading"], level=1).paragraph_format.page_break_before = True
    _table(doc, [45, 115], purchase["rows"])

    obligations = wording["schedule_obligations"]
    doc.add_heading(obligations["heading"], level=1)
    # Clause labels for the table's last column. Not a {%p %} line: docxtpl's {%p %} pattern
    # cannot contain "}", so the set tag rides at the end of the note paragraph.
    mapping = ", ".join(f"'{cid}': '{label}'" for cid, label in labels.items())
    _paragraph(doc, f"{wording['schedule_ref_note']}{{% set clause_no = {{{mapping}}} %}}")
    _loop_table(
        doc,
        obligations["columns"],
        obligations["widths_mm"],
        "o",
        "obligations",
        [
            # A row number, not the obligation's code: codes such as MAINTENANCE_PERIOD are
            # for machines and wrapped mid-word in the narrow column.
            "{{ loop.index }}",
            "{{ o.title }}\n{{ o.description }}",
            "{{ o.due }}",
            "{{ clause_no[o.clause_id] }}",
        ],
        size=9,
    )

    contacts = wording["schedule_contacts"]
    doc.add_heading(contacts["heading"], level=1)
    _loop_table(
        doc,
        contacts["columns"],
        [40, 60, 60],
        "c",
        "contacts",
        ["{{ c.name }}", "{{ c.role }}", "{{ c.contact }}"],
    )
    _footer(doc, wording["footer"])
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """Same parts in the same order with a fixed timestamp, so unchanged input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def load_wording(stem: str) -> Wording:
    return tomllib.loads((WORDING_DIR / f"{stem}.toml").read_text(encoding="utf-8"))


def _frozen_entries(current: dict[tuple[str, str], int], out_dir: Path) -> list[dict[str, Any]]:
    """Earlier versions in the committed manifest, kept as ``<stem>_v<N>.docx``.

    A shipped version is never changed: agreements generated from it point at it, and a database
    that has not seen it yet must still be able to store it (migration 0004 seeds version 1).
    """
    path = HERE / "manifest.json"
    if not path.exists():
        return []
    kept = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["templates"]:
        if entry["version"] >= current.get((entry["id"], entry["language"]), 0):
            continue
        stem = entry["file"].removesuffix(".docx").split("_v")[0]
        frozen = f"{stem}_v{entry['version']}.docx"
        data = (HERE / entry["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise SystemExit(f"{entry['file']} does not match the manifest's digest")
        (out_dir / frozen).write_bytes(data)
        kept.append(entry | {"file": frozen})
    return kept


def build(out_dir: Path) -> dict[str, Any]:
    """Write every template and ``manifest.json`` into ``out_dir``; return the manifest."""
    wordings = {stem: load_wording(stem) for stem in TEMPLATE_STEMS}
    current = {(w["id"], w["language"]): w["version"] for w in wordings.values()}
    entries = _frozen_entries(current, out_dir)
    for stem, wording in wordings.items():
        data = build_document(wording)
        problems = check_template(data, language=wording["language"])
        if problems:
            raise SystemExit(f"{stem}: " + "; ".join(p.message for p in problems))
        (out_dir / f"{stem}.docx").write_bytes(data)
        entries.append(
            {
                "id": wording["id"],
                "version": wording["version"],
                "language": wording["language"],
                "title": wording["title"],
                "file": f"{stem}.docx",
                "sha256": hashlib.sha256(data).hexdigest(),
                "variables": sorted(template_variables(data)),
                "fields": sorted(template_fields(data)),
                "clauses": [clause["id"] for clause in wording["clause"]],
            }
        )
    manifest = {"manifest_version": MANIFEST_VERSION, "templates": entries}
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for entry in build(args.out)["templates"]:
        print(f"{args.out / entry['file']}: {len(entry['clauses'])} clauses, v{entry['version']}")


if __name__ == "__main__":
    main()
