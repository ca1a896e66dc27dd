"""Optional PDF copy of a rendered agreement, made by LibreOffice (``soffice --headless``).

Blocking (seconds per document): call it from a worker thread, never on the event loop. Chinese
text needs a CJK font on the host (e.g. the ``fonts-noto-cjk`` or ``fonts-wqy-microhei`` package).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT_S = 60.0


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (no ``soffice`` on PATH), so no PDF can be made here."""


class PdfConversionFailed(RuntimeError):
    """LibreOffice ran but produced no PDF (bad input, crash or timeout)."""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(
    document: bytes, *, timeout: float = DEFAULT_TIMEOUT_S, soffice: str | None = None
) -> bytes:
    """Convert .docx bytes to PDF bytes.

    Each call uses its own temporary LibreOffice profile, so concurrent conversions (several
    workers, several requests) do not fight over one profile lock.
    """
    binary = soffice or find_soffice()
    if binary is None:
        raise PdfUnavailable("PDF output needs LibreOffice: no 'soffice' found on PATH")
    with tempfile.TemporaryDirectory(prefix="agreement-pdf-") as tmp:
        work = Path(tmp)
        source = work / "agreement.docx"
        source.write_bytes(document)
        command = [
            binary,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        # A new session makes soffice and the processes it spawns one group we can kill on timeout.
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        ) as proc:
            try:
                _, stderr = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise PdfConversionFailed(f"LibreOffice took longer than {timeout:g} s") from None
        result = work / "agreement.pdf"
        if proc.returncode != 0 or not result.is_file():
            detail = stderr.decode("utf-8", "replace").strip()[-500:]
            raise PdfConversionFailed(
                f"LibreOffice exited with status {proc.returncode} and no PDF: {detail}"
            )
        return result.read_bytes()
