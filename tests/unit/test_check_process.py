"""The second process that checks uploaded JSON SBOMs (procurement.sboms.check_process): a real
process, the same answers as checking here, and checking here when it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import orjson
import pytest

from procurement.sboms import check_process
from procurement.sboms.check_process import CheckProcess
from procurement.sboms.rows import prepare
from sbom.json_check import check_json
from tests.unit.sbom.conftest import generate_cyclonedx_json

LIMIT = 50_000_000


@pytest.fixture(scope="module")
def document() -> bytes:
    body = generate_cyclonedx_json(2000, seed=11)
    assert check_process.MIN_CHECK_BYTES <= len(body) <= CheckProcess().max_bytes
    return body


@pytest.fixture
def checker() -> Iterator[CheckProcess]:
    process = CheckProcess()
    yield process
    process.stop()


def child_pid(process: CheckProcess) -> int:
    future = process._submit_call(os.getpid)
    assert future is not None
    return int(future.result(timeout=60))


def test_a_document_in_range_is_checked_in_another_process(
    checker: CheckProcess, document: bytes
) -> None:
    # Given a document of 2,000 components (1.6 MB)
    # When the check process checks it
    answer = checker(document, 20)
    # Then it answers what checking here answers, from another process
    assert answer is not None
    assert answer() == check_json(document, 20)
    assert answer().refusal == ()
    assert child_pid(checker) != os.getpid()


def test_a_refusal_comes_back_whole(checker: CheckProcess, document: bytes) -> None:
    # Given the same document with its first component's name removed
    tree = orjson.loads(document)
    del tree["components"][0]["name"]
    broken = orjson.dumps(tree)
    # When the check process checks it
    answer = checker(broken, 20)
    # Then the refusal is the one checking here gives, messages and locations included
    assert answer is not None
    found = answer()
    assert found == check_json(broken, 20)
    assert [(i.code.value, i.location) for i in found.refusal] == [
        ("SCHEMA_INVALID", "/components/0")
    ]


def test_documents_outside_the_range_are_left_to_the_caller() -> None:
    # Given a check process whose ceiling is 2 MiB, a small document and a larger one
    checker = CheckProcess(max_bytes=2 * 1024 * 1024)
    small = generate_cyclonedx_json(10, seed=1)
    large = generate_cyclonedx_json(3000, seed=1)
    assert len(small) < check_process.MIN_CHECK_BYTES
    assert len(large) > checker.max_bytes
    # When each is offered
    # Then both are declined, and no process was started for them
    assert checker(small, 20) is None
    assert checker(large, 20) is None
    assert checker._pool is None


def test_a_ceiling_of_zero_turns_the_process_off(document: bytes) -> None:
    # Given a check process turned off (PROCUREMENT_SBOM_CHECK_MAX_BYTES=0)
    checker = CheckProcess(max_bytes=0)
    # When it is warmed and offered a document in the default range
    checker.warm()
    # Then it declines, and never started a process
    assert checker(document, 20) is None
    assert checker._pool is None


def test_a_killed_process_is_replaced_and_the_check_still_answered(
    checker: CheckProcess, document: bytes
) -> None:
    # Given a running check process that is then killed
    first = child_pid(checker)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(first, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    # When a document is offered
    answer = checker(document, 20)
    # Then it is still checked (here, if the process was found dead on the way)
    found = check_json(document, 20) if answer is None else answer()
    assert found == check_json(document, 20)
    # And the next check runs in a new process
    second = child_pid(checker)
    assert second not in (first, os.getpid())


def test_prepare_gives_the_same_rows_with_the_checks_beside_it(document: bytes) -> None:
    # Given a document in the range (the default checker takes it)
    # When it is prepared with the checks in the shared process, and with them here
    beside = prepare(document, max_bytes=LIMIT, content_encoding=None)
    here = prepare(document, max_bytes=LIMIT, content_encoding=None, checker=None)
    # Then the rows, quality and warnings are the same
    assert beside.components == here.components
    assert beside.dependencies == here.dependencies
    assert beside.quality == here.quality
    assert beside.warnings == here.warnings
    assert len(beside.components) == 2000


SERVER_THAT_DIES = """
import os, signal, sys
from procurement.sboms.check_process import CheckProcess
process = CheckProcess()
print(process._submit_call(os.getpid).result(timeout=60), flush=True)
os.kill(os.getpid(), signal.SIGKILL if sys.argv[1] == "kill" else signal.SIGTERM)
"""


@pytest.mark.parametrize("how", ["kill", "term"])
def test_the_check_process_ends_when_its_server_does(how: str) -> None:
    # Given a process that starts a check process, then dies by a signal (no exit handlers run)
    ended = subprocess.run(
        [sys.executable, "-c", SERVER_THAT_DIES, how], capture_output=True, text=True, timeout=120
    )
    assert ended.returncode == -(signal.SIGKILL if how == "kill" else signal.SIGTERM)
    child = int(ended.stdout.strip())
    # When a few seconds pass
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and alive(child):
        time.sleep(0.1)
    # Then the check process has ended too
    assert not alive(child)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by init) counts as ended.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
