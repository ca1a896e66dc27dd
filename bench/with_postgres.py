"""Run a benchmark against a throwaway PostgreSQL on loopback (from Debian's postgresql binaries).

    .venv/bin/python bench/with_postgres.py bench/bench_purchases_list.py [args...]

Starts a private cluster (as the `postgres` user when run as root), creates a database, runs the
script with `--database-url <url>` appended, and removes the cluster afterwards.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support import postgres  # noqa: E402


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    reason = postgres.unavailable_reason()
    if reason:
        print(f"cannot start PostgreSQL: {reason}")
        return 1
    server = postgres.start()
    try:
        url = server.url.replace("postgresql+asyncpg://", "postgresql://")
        command = [sys.executable, *sys.argv[1:], "--database-url", url]
        return subprocess.run(command, cwd=REPO).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
