"""A throwaway PostgreSQL server for the test suite.

Order of preference: ``PROCUREMENT_TEST_POSTGRES_URL`` (a server someone else runs, e.g. CI), else a
private cluster started from the PostgreSQL binaries on this machine (Debian's ``postgresql``
package), listening on loopback only. PostgreSQL refuses to run as root, so as root the cluster
runs as the ``postgres`` system user that the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PostgresServer:
    url: str  # postgresql+asyncpg://user@host:port/postgres
    stop: Callable[[], None]
    # Stop the server as an operator would (pg_ctl stop -m fast: sessions are terminated) and
    # start it again on the same data and port; None for a server someone else runs.
    halt: Callable[[], None] | None = None
    resume: Callable[[], None] | None = None
    data: Path | None = None  # the cluster's data directory, for one this module started

    def postmaster_pid(self) -> int | None:
        """The running server's main process (its backends are its children), if known."""
        if self.data is None:
            return None
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None


def _find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def unavailable_reason() -> str | None:
    if os.environ.get("PROCUREMENT_TEST_POSTGRES_URL"):
        return None
    if _find_bin("initdb") is None or _find_bin("pg_ctl") is None:
        return (
            "PostgreSQL binaries (initdb, pg_ctl) not found: install Debian's 'postgresql' "
            "package or set PROCUREMENT_TEST_POSTGRES_URL"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
    return None


def start() -> PostgresServer:
    given = os.environ.get("PROCUREMENT_TEST_POSTGRES_URL")
    if given:
        from procurement.settings import normalise_database_url

        return PostgresServer(url=normalise_database_url(given), stop=lambda: None)

    initdb, pg_ctl = _find_bin("initdb"), _find_bin("pg_ctl")
    assert initdb and pg_ctl
    base = Path(tempfile.mkdtemp(prefix="procurement-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        os.chown(sockets, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [
            *run_as,
            initdb,
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )

    def resume() -> None:
        subprocess.run(
            [
                *run_as,
                pg_ctl,
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )

    def halt() -> None:
        subprocess.run(
            [*run_as, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
            check=True,
            capture_output=True,
        )

    resume()

    def stop() -> None:
        subprocess.run(
            [*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres"
    return PostgresServer(url=url, stop=stop, halt=halt, resume=resume, data=data)
