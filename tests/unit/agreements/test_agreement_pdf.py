"""Optional PDF output through LibreOffice."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from agreement_testkit import make_docx, render_sample

from procurement.agreements.pdf import PdfConversionFailed, PdfUnavailable, find_soffice, to_pdf


def test_missing_libreoffice_is_reported_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    # given no soffice on PATH
    monkeypatch.setattr("shutil.which", lambda name: None)
    # when / then
    with pytest.raises(PdfUnavailable, match="no 'soffice' found on PATH"):
        to_pdf(make_docx("x"))


def _fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a stand-in for soffice")
def test_a_hanging_converter_is_killed_at_the_timeout(tmp_path: Path) -> None:
    # given a converter that never finishes
    soffice = _fake_soffice(tmp_path, "sleep 30")
    # when converting with a short timeout
    started = time.monotonic()
    with pytest.raises(PdfConversionFailed, match=r"longer than 0\.5 s"):
        to_pdf(make_docx("x"), timeout=0.5, soffice=soffice)
    # then it gives up promptly instead of waiting for the child
    assert time.monotonic() - started < 10


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a stand-in for soffice")
def test_a_converter_that_writes_nothing_fails_with_its_message(tmp_path: Path) -> None:
    soffice = _fake_soffice(tmp_path, "echo 'source file could not be loaded' >&2; exit 1")
    with pytest.raises(PdfConversionFailed, match="status 1 and no PDF: source file could not"):
        to_pdf(make_docx("x"), soffice=soffice)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_a_rendered_agreement() -> None:
    # given a rendered English agreement
    # when converted
    result = to_pdf(render_sample("en"), timeout=120)
    # then a PDF comes back
    assert result.startswith(b"%PDF-")
    assert len(result) > 10_000
