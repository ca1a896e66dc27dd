"""PDF output through a real LibreOffice: an integration test (it starts soffice, which takes
seconds), kept out of the unit suite; skipped where LibreOffice is not installed."""

from __future__ import annotations

import pytest

from contract_templates import find_template, template_bytes
from procurement.agreements.context import build_context
from procurement.agreements.obligations import derive_obligations
from procurement.agreements.pdf import find_soffice, to_pdf
from procurement.agreements.render import render
from procurement.agreements.sample import sample_facts


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_a_rendered_agreement() -> None:
    # given the shipped English agreement rendered with the sample facts
    facts = sample_facts()
    obligations = derive_obligations(facts.purchase, facts.terms, "en")
    document = render(
        template_bytes(find_template("security-agreement", "en")),
        build_context(facts, obligations, "en"),
    )
    # when converted
    result = to_pdf(document, timeout=120)
    # then a PDF comes back
    assert result.startswith(b"%PDF-")
    assert len(result) > 10_000
