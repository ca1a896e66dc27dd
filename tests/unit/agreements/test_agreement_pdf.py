"""Optional PDF output through LibreOffice: how the converter's failures are reported, with
stand-ins for soffice (a real conversion: tests/integration/test_agreement_pdf_libreoffice.py)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from agreement_testkit import make_docx

from procurement.agreements.pdf import PdfConversionFailed, PdfUnavailable, to_pdf


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
