"""The real ``procurement`` console script in a subprocess, and the demo data set it loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEMO_LOADED = (
    "Loaded 3 operators, 7 vendors and 12 purchases; "
    "vendor 'Ironclad Microsystems Ltd.' is on a restriction list. "
    "Screening: 2 NEEDS_ASSESSMENT, 3 NO, 7 YES. Review cases: 1 DECLARED, 1 FAILED, "
    "1 NOT_REQUIRED, 1 PASSED, 4 PENDING_TRIAGE, 1 UNDER_REVIEW. "
    "Generated 7 agreements (4 signed) and 3 supervision checks."
)


def cli(database: Path | str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``python -m procurement *args`` on a SQLite file (or any database URL given as text)."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    env = os.environ | {"PROCUREMENT_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "procurement", *args],
        env=env,
        cwd=Path(database).parent if isinstance(database, Path) else None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
