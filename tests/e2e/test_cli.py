"""The real ``procurement`` console script, run in a subprocess against a temporary SQLite file."""

from __future__ import annotations

import asyncio
import os
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from procurement.ids import to_global_id
from procurement.migrate import head_revision
from tests.support.cli import cli

DEMO_OPERATOR = "华东电网调度有限公司 (East China Grid Dispatch Co., Ltd.)"
Start = Callable[[], "Server"]


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ]
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def graphql(base_url: str, secret: str, query: str) -> httpx.Response:
    headers = {"authorization": f"Bearer {secret}"}
    return httpx.post(f"{base_url}/graphql", json={"query": query}, headers=headers, timeout=10)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "procurement.db"


def test_db_upgrade_then_current_reports_the_head(database: Path) -> None:
    # given an empty database file
    # when upgrading it and then asking for its revision
    upgraded = cli(database, "db", "upgrade")
    current = cli(database, "db", "current")
    # then both print the head revision, up to date
    head = head_revision()
    assert head is not None
    assert (upgraded.returncode, upgraded.stdout) == (0, f"{head} (up to date)\n")
    assert (current.returncode, current.stdout) == (0, f"{head} (up to date)\n")


def test_db_current_on_an_empty_database_says_so(database: Path) -> None:
    # given no database yet
    # when asking for its revision
    result = cli(database, "db", "current")
    # then it is empty and behind the head
    assert (result.returncode, result.stdout) == (
        0,
        f"(empty database) (behind head {head_revision()})\n",
    )


def test_token_lifecycle_create_list_revoke(demo_database: Path) -> None:
    # given the demo data set (operator 1 exists)
    # when creating a reviewer token for operator 1
    created = cli(
        demo_database, "token", "create", "--role", "reviewer", "--name", "r", "--operator", "1"
    )
    # then the secret is alone on the last line of stdout
    assert created.returncode == 0, created.stderr
    lines = created.stdout.splitlines()
    secret = lines[-1]
    expiry = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
    assert lines[:-1] == [f"Created token 1 (reviewer, 'r', expires {expiry}):"]
    assert secret.startswith("prt_") and len(secret) == 47 and " " not in secret
    # and it authenticates against the app as a reviewer of operator 1
    query = "{ me { name role operator { name } } }"
    me = {"data": {"me": {"name": "r", "role": "REVIEWER", "operator": {"name": DEMO_OPERATOR}}}}
    assert asyncio.run(_ask_app(demo_database, secret, query)) == (200, me)
    # when listing tokens, then the secret is never shown, only its 12-character prefix
    listing = cli(demo_database, "token", "list")
    assert listing.returncode == 0
    assert secret not in listing.stdout and secret[12:24] not in listing.stdout
    assert listing.stdout.splitlines()[1].split() == [
        "1",
        "reviewer",
        "1",
        "-",
        f"{secret[:12]}…",
        "active",
        "r",
    ]
    # when revoking it, then it no longer authenticates
    revoked = cli(demo_database, "token", "revoke", "1")
    assert revoked.returncode == 0
    assert revoked.stdout.startswith("Token 1 'r' revoked at ")
    status, _body = asyncio.run(_ask_app(demo_database, secret, query))
    assert status == 401
    listing = cli(demo_database, "token", "list")
    assert listing.stdout.splitlines()[1].split()[5] == "revoked"


async def _ask_app(database: Path, secret: str, query: str) -> tuple[int, object]:
    from procurement.db import create_engine
    from procurement.settings import load_settings
    from procurement.web.app import create_app

    url = f"sqlite+aiosqlite:///{database}"
    engine = create_engine(url)
    try:
        # Each call stands for a fresh server process, so no token is remembered from the last
        # (a revocation by the CLI, another process, reaches a running server within the TTL).
        settings = load_settings(
            {"PROCUREMENT_DATABASE_URL": url, "PROCUREMENT_TOKEN_CACHE_SECONDS": "0"}
        )
        app = create_app(settings, engine=engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cli-test") as client:
            response = await client.post(
                "/graphql", json={"query": query}, headers={"authorization": f"Bearer {secret}"}
            )
        return response.status_code, response.json()
    finally:
        await engine.dispose()


def test_account_lifecycle_create_list_token_revoke_disable(demo_database: Path) -> None:
    # when an account is created for a reviewer of operator 1
    created = cli(
        demo_database, "account", "create", "--login", "Li.Na", "--name", "Li Na",
        "--role", "reviewer", "--operator", "1",
    )  # fmt: skip
    # then its id, login and role are printed, and the generated password last
    assert created.returncode == 0, created.stderr
    head, password = created.stdout.splitlines()
    assert head == "Created account 1 'li.na' (reviewer); its password (shown once):"
    assert len(password) == 20
    # and a token made for the account carries its role and operator
    token = cli(demo_database, "token", "create", "--account", "li.na", "--name", "Li Na's CI")
    assert token.returncode == 0, token.stderr
    assert token.stdout.startswith("Created token ")
    assert "(reviewer, 'Li Na's CI', expires " in token.stdout
    with sqlite3.connect(demo_database) as connection:
        row = connection.execute(
            "SELECT role, operator_id, account_id FROM api_tokens WHERE name = ?", ("Li Na's CI",)
        ).fetchone()
    assert row == ("reviewer", 1, 1)
    # when all the account's tokens are revoked, then it is disabled
    revoked = cli(demo_database, "token", "revoke", "--account", "li.na")
    disabled = cli(demo_database, "account", "disable", "li.na")
    listed = cli(demo_database, "account", "list")
    assert (revoked.returncode, revoked.stdout) == (0, "Revoked 1 token(s) of account 'li.na'\n")
    assert (disabled.returncode, disabled.stdout) == (
        0,
        "Account 'li.na' disabled; its sessions ended and its tokens revoked\n",
    )
    assert listed.stdout.splitlines() == [
        "  id  login                role        operator vendor  status   name",
        "   1  li.na                reviewer           1      -  disabled Li Na",
    ]
    assert password not in listed.stdout
    # when it is enabled again, then it is active and its token stays revoked
    enabled = cli(demo_database, "account", "enable", "li.na")
    assert (enabled.returncode, enabled.stdout) == (
        0,
        "Account 'li.na' enabled; revoked tokens stay revoked\n",
    )
    assert cli(demo_database, "account", "list").stdout.splitlines()[1] == (
        "   1  li.na                reviewer           1      -  active   Li Na"
    )


def test_account_errors_name_the_field(demo_database: Path) -> None:
    unknown = cli(demo_database, "account", "disable", "nobody")
    bad = cli(demo_database, "account", "create", "--login", "x", "--name", "X", "--role", "admin")
    assert (unknown.returncode, unknown.stderr) == (1, "error: login: account 'nobody' not found\n")
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: login: 2 to 80 characters")


def test_legal_token_without_operator_is_refused(demo_database: Path) -> None:
    # given the demo data set and its row counts
    before = table_counts(demo_database)
    # when creating a legal token without --operator
    result = cli(demo_database, "token", "create", "--role", "legal", "--name", "counsel")
    # then it exits 1 with a message naming the operator, and creates nothing
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: operator: a legal token must belong to an operator\n"
    assert table_counts(demo_database) == before


def test_a_global_id_of_another_type_is_refused(demo_database: Path) -> None:
    # Regression: the console took any global ID's number, so a vendor's ID made a token of
    # the operator with the same number.
    # given the demo data set and its row counts
    before = table_counts(demo_database)
    # when creating a reviewer token with vendor 1's global ID as --operator
    vendor_1 = to_global_id("Vendor", 1)
    result = cli(
        demo_database,
        "token",
        "create",
        "--role",
        "reviewer",
        "--name",
        "r",
        "--operator",
        vendor_1,
    )
    # then argparse refuses it (exit 2) naming the expected type, and nothing is created
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "procurement token create: error: argument --operator: "
        f"'{vendor_1}' is not a number or a global ID of type Operator"
    )
    assert table_counts(demo_database) == before


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/procurement", "sqlite:////no/such/dir/x.db"]
)
def test_bad_database_url_exits_2_naming_the_variable(url: str) -> None:
    # given an unsupported or unusable PROCUREMENT_DATABASE_URL
    # when running any command
    result = cli(url, "db", "current")
    # then it exits 2 and the message names the variable
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("configuration error: PROCUREMENT_DATABASE_URL")


def test_demo_loads_once_and_is_idempotent(demo_database: Path) -> None:
    # given the demo data set loaded once (by the fixture, which checked its summary)
    counts = table_counts(demo_database)
    # then it holds 3 operators, 7 vendors and 12 purchases
    assert (counts["operators"], counts["vendors"], counts["purchases"]) == (3, 7, 12)
    # when loading it again
    again = cli(demo_database, "demo")
    # then it says so and nothing changed, the audit log included
    assert (again.returncode, again.stdout) == (
        0,
        "The demo data set is already loaded; nothing changed.\n",
    )
    assert table_counts(demo_database) == counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``procurement serve`` in a subprocess; stdout is read by a thread so no read can hang."""

    def __init__(self, database: Path) -> None:
        self.base_url = f"http://127.0.0.1:{_free_port()}"
        env = os.environ | {"PROCUREMENT_DATABASE_URL": f"sqlite:///{database}"}
        port = self.base_url.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "procurement", "serve", "--port", port],
            env=env,
            cwd=database.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_healthy(self, timeout: float = 90) -> None:
        # generous: a fresh interpreter imports and migrates first, on a machine that xdist
        # workers (and other people's test runs) keep busy; a healthy server answers at once
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, "the server exited early"
            assert time.monotonic() < deadline, f"no answer from /healthz in {timeout} s"
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)

    def next_line(self) -> str:
        return self.lines.get(timeout=10)

    def stop(self) -> str:
        """Terminate (kill after 10 s) and return what stdout had not yet been read."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()  # else the pipe is left to the GC (a ResourceWarning)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return "".join(rest)


@pytest.fixture
def serve(database: Path) -> Iterator[Start]:
    """A function that starts a server on the test's database and waits for /healthz; every
    server it started is stopped afterwards, whatever happened."""
    started: list[Server] = []

    def start() -> Server:
        server = Server(database)
        started.append(server)
        server.wait_healthy()
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


def test_serve_creates_the_first_admin_token_once(serve: Start, database: Path) -> None:
    # given an empty database
    # when serving it for the first time
    server = serve()
    # then /healthz answers 200 and stdout announces one admin token, then the secret
    health = httpx.get(f"{server.base_url}/healthz", timeout=5)
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    announcement, secret = server.next_line(), server.next_line().strip()
    assert announcement == "Created the first admin token (shown once; keep it safe):\n"
    assert secret.startswith("prt_")
    # and the first admin account, with its one-time-shown password
    port = server.base_url.rsplit(":", 1)[1]
    assert server.next_line() == (
        f"Created the first admin account: open http://127.0.0.1:{port}/ and sign in with login "
        "'admin' and this password (shown once; keep it safe):\n"
    )
    password = server.next_line().strip()
    assert len(password) == 20
    with httpx.Client(base_url=server.base_url, timeout=10) as browser:
        form = browser.get("/sign-in").text
        nonce = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        signed = browser.post(
            "/sign-in", data={"csrf": nonce, "login": "admin", "password": password}
        )
        home = browser.get("/", headers={"accept-language": "en"})
    assert signed.status_code == 303
    assert "Signed in as First administrator, role: Administrator." in home.text
    # and the token works: it is an admin
    response = graphql(server.base_url, secret, "{ me { role } }")
    assert (response.status_code, response.json()) == (200, {"data": {"me": {"role": "ADMIN"}}})
    rest = server.stop()  # uvicorn's access log only
    assert '"POST /graphql HTTP/1.1" 200 OK' in rest
    assert "prt_" not in rest and "admin token" not in rest and password not in rest
    # when serving the same database again
    server = serve()
    response = graphql(server.base_url, secret, "{ me { role } }")
    # then no new token is printed, and the first one still works
    out = server.stop()
    assert '"POST /graphql HTTP/1.1" 200 OK' in out
    assert "prt_" not in out and "admin token" not in out and "admin account" not in out
    assert (response.status_code, response.json()) == (200, {"data": {"me": {"role": "ADMIN"}}})
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM api_tokens").fetchone() == (1,)
        assert connection.execute("SELECT count(*) FROM accounts").fetchone() == (1,)


def test_a_token_in_a_query_string_never_reaches_the_access_log(serve: Start) -> None:
    # given a served app, and a client that puts its token in the URL
    server = serve()
    for _ in range(4):  # the first admin token and account announcements
        server.next_line()
    leaked = "prt_ThisMustNotBeLogged123"
    httpx.get(f"{server.base_url}/healthz?access_token={leaked}", timeout=5)
    # then the access line shows the request with the value masked
    out = server.stop()
    assert '"GET /healthz?access_token=[redacted] HTTP/1.1" 200' in out
    assert leaked not in out
