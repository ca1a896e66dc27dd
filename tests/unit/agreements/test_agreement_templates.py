"""The shipped Article 20 templates: manifest, reproducibility, coverage of every clause."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from importlib.resources import files
from pathlib import Path

import docx
import pytest
from agreement_testkit import bookmarks, paragraph_texts, render_sample

from contract_templates import find_template, load_manifest, template_bytes
from contract_templates.build_templates import build
from procurement.agreements.context import CONTEXT_VARIABLES, build_context, context_fields
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.render import check_template, template_fields, template_variables
from procurement.agreements.sample import sample_facts

# The clauses LEGAL.md says a complete security confidentiality agreement covers, plus the
# governing-law clause every contract needs.
CLAUSES_V1 = (
    "scope_term",
    "technical_support",
    "supply_continuity",
    "confidentiality",
    "data_protection",
    "no_backdoor",
    "vulnerability",
    "data_localisation",
    "security_review",
    "compliance_certification",
    "personnel",
    "changes_subcontracting",
    "audit_sbom",
    "incident",
    "liability_termination",
    "general",
)
# Version 2 adds the entrusted-processing clause (PIPL Art. 21; Network Data Security Management
# Regulations Art. 12) after data protection.
CLAUSES = (
    "scope_term",
    "technical_support",
    "supply_continuity",
    "confidentiality",
    "data_protection",
    "entrusted_processing",
    "no_backdoor",
    "vulnerability",
    "data_localisation",
    "security_review",
    "compliance_certification",
    "personnel",
    "changes_subcontracting",
    "audit_sbom",
    "incident",
    "liability_termination",
    "general",
)
LABELS = {
    "zh": ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条",
           "第十条", "第十一条", "第十二条", "第十三条", "第十四条", "第十五条", "第十六条",
           "第十七条"],
    "en": [f"Clause {n}" for n in range(1, 18)],
}  # fmt: skip
LANGUAGES = ("zh", "en")


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_manifest_lists_both_languages() -> None:
    manifest = load_manifest()
    # version 1 is kept as shipped (agreements generated from it keep it), version 2 is current
    assert [(t.id, t.version, t.language, t.file) for t in manifest] == [
        ("security-agreement", 1, "zh", "security_agreement_zh_v1.docx"),
        ("security-agreement", 1, "en", "security_agreement_en_v1.docx"),
        ("security-agreement", 2, "zh", "security_agreement_zh.docx"),
        ("security-agreement", 2, "en", "security_agreement_en.docx"),
    ]
    assert [t.title for t in manifest] == [
        "网络安全保密协议",
        "Security and Confidentiality Agreement",
    ] * 2
    assert [t.sha256[:12] for t in manifest[:2]] == ["94317c7e7ae9", "388d2cc0928b"]
    for template in manifest:
        assert template.clauses == (CLAUSES_V1 if template.version == 1 else CLAUSES)
        assert template.sha256 == hashlib.sha256(template_bytes(template)).hexdigest()


def test_find_template_refuses_unknown_entries() -> None:
    assert find_template("security-agreement", "en", 1).file == "security_agreement_en_v1.docx"
    assert find_template("security-agreement", "en").version == 2
    with pytest.raises(LookupError):
        find_template("security-agreement", "fr")
    with pytest.raises(LookupError):
        find_template("security-agreement", "zh", 3)


@pytest.mark.parametrize("language", LANGUAGES)
def test_manifest_variables_and_fields_match_the_document(language: str) -> None:
    template = find_template("security-agreement", language)
    data = template_bytes(template)
    assert template.variables == tuple(sorted(template_variables(data)))
    assert template.fields == tuple(sorted(template_fields(data)))
    # and the context builder provides every one of them
    assert set(template.variables) <= CONTEXT_VARIABLES
    assert {f for f in template.fields if "." in f} <= context_fields()


def test_committed_files_are_what_the_script_builds(tmp_path: Path) -> None:
    # given a fresh build into an empty folder
    manifest = build(tmp_path)
    # then every part of every document is identical to the committed one
    for entry in manifest["templates"]:
        assert _parts((tmp_path / entry["file"]).read_bytes()) == _parts(
            template_bytes(entry["file"])
        ), f"{entry['file']} is stale: run python -m contract_templates.build_templates"
    # and so is the manifest
    committed = json.loads(files("contract_templates").joinpath("manifest.json").read_text("utf-8"))
    assert manifest == committed


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_templates_pass_the_upload_check(language: str) -> None:
    data = template_bytes(find_template("security-agreement", language))
    assert check_template(data, language=language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_clause_is_in_the_rendered_agreement_in_order(language: str) -> None:
    # when the template is rendered with the sample facts
    marks = bookmarks(render_sample(language))
    # then each clause heading carries its stable bookmark and its number, in manifest order
    assert [name for name, _ in marks] == [f"clause_{c}" for c in CLAUSES]
    assert [text.split("\u3000")[0] for _, text in marks] == LABELS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_rendered_agreement_holds_the_purchase_facts(language: str) -> None:
    # given the sample facts and their context
    facts = sample_facts()
    context = build_context(facts, (), language)
    # when rendered
    output = render_sample(language)
    texts = paragraph_texts(output)
    body = "\n".join(texts)
    # then the facts appear verbatim, the vendor name with its markup characters intact
    for value in (
        facts.vendor.name,
        facts.operator.credit_code,
        facts.purchase.title,
        facts.purchase.cii_system,
        facts.purchase.update_channel,
        context["text"].contract_value,  # type: ignore[attr-defined]
        context["text"].contract_date,  # type: ignore[attr-defined]
        context["text"].maintenance_end,  # type: ignore[attr-defined]
        facts.terms.governing_place,
        facts.contacts[1].contact,
    ):
        assert value in body, value
    # and no tag is left, and python-docx opens it
    assert "{{" not in body and "{%" not in body
    docx.Document(io.BytesIO(output))


@pytest.mark.parametrize("language", LANGUAGES)
def test_obligations_schedule_has_one_row_per_obligation(language: str) -> None:
    facts = sample_facts()
    obligations = derive_obligations(facts.purchase, facts.terms, language)
    table = docx.Document(io.BytesIO(render_sample(language))).tables[2]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    # the first column numbers the rows: codes such as MAINTENANCE_PERIOD are not for people
    assert [row[0] for row in rows] == [str(i) for i in range(1, len(obligations) + 1)]
    assert not any(o.code in cell for o in obligations for row in rows for cell in row)
    assert rows[0][1] == f"{obligations[0].title}\n{obligations[0].description}"
    label = "第三条" if language == "zh" else "Clause 3"  # CONTINUITY_PLAN -> supply_continuity
    assert rows[0][3] == label


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("zh", ["协议编号：", "　第 ", " 页，共 ", " 页"]),
        ("en", ["Agreement No. ", " · page ", " of "]),
    ],
)
def test_footer_says_page_n_of_m(language: str, texts: list[str]) -> None:
    # given the rendered agreement's footer part
    package = zipfile.ZipFile(io.BytesIO(render_sample(language)))
    [footer] = [n for n in package.namelist() if n.startswith("word/footer")]
    xml = package.read(footer).decode()
    # then it holds a PAGE and a NUMPAGES field, in that order, between the wording
    assert xml.index('w:instr=" PAGE "') < xml.index('w:instr=" NUMPAGES "')
    positions = [xml.index(t) for t in texts]
    assert positions == sorted(positions)


def test_conditional_paragraphs_follow_the_facts() -> None:
    # given the English template rendered with every yes/no fact true, then false
    with_flags = paragraph_texts(render_sample("en", flags=True))
    without = paragraph_texts(render_sample("en", flags=False))

    def starting(texts: list[str], number: str) -> list[str]:
        return [t for t in texts if t.startswith(f"{number}\u3000")]

    # then remote maintenance, single source and data location wording follow the facts,
    # and the numbering stays continuous either way
    assert starting(with_flags, "7.4")[0].startswith("7.4\u3000Where the Operator allows remote")
    assert starting(without, "7.4")[0].startswith("7.4\u3000The Parties confirm that the")
    assert starting(with_flags, "3.4")[0].startswith("3.4\u3000As the Supplied Products and")
    assert starting(without, "3.4") == []
    assert starting(with_flags, "9.3")[0].startswith("9.3\u3000As the Supplied Products and")
    assert (
        "involve personal information (about 120,000 individuals)" in starting(with_flags, "9.3")[0]
    )
    assert starting(without, "9.3") == []
