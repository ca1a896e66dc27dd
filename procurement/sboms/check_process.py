"""A second process that checks an uploaded JSON SBOM while this one reads it.

Nearly all of an upload's reading holds the GIL, so a thread cannot use the machine's second
core; a process can. The checks (parse, duplicate keys, header, schema: sbom.json_check) need
only the bytes, so one process per server process runs them beside the reading, and the reader
trusts what it read once they pass. At 10,000 components this takes the checks (about a third
of reading's CPU) off the upload's path; the cost is a second parse, on the other core.

Only documents from MIN_CHECK_BYTES up to ``max_bytes`` (the setting
PROCUREMENT_SBOM_CHECK_MAX_BYTES, 32 MiB by default; 0 turns the process off) go there. Below,
the hand-over costs more than it saves. Above, the second process would hold a second parsed
tree (about 640 MB at 100,000 components, on top of the server's own): by default the memory
ceiling matters more there than the time. If the process cannot be started or dies, the checks
run here as before: an upload never fails because of it.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from procurement.settings import DEFAULT_SBOM_CHECK_MAX_BYTES
from sbom.json_check import JsonCheck, check_json
from sbom.schemas import json_validator

log = logging.getLogger(__name__)

MIN_CHECK_BYTES = 1024 * 1024
_WARM_VERSIONS = ("1.4", "1.5", "1.6")
T = TypeVar("T")  # the validators most uploads need, built at start


def _start_child() -> None:
    """In the second process: Ctrl-C is the server's to handle, and the collector stays off (it
    would rescan each parsed tree, as in sbom.parse.gc_paused). It ends when the server does,
    however that ends: a spawned worker holds both ends of its own task queue, so it would never
    see the server's end close, and a server killed by a signal runs no exit handlers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()
    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True)
        watch.start()


def _end_with(parent_sentinel: int) -> None:
    multiprocessing.connection.wait([parent_sentinel])  # ready when the server has ended
    os._exit(0)


def _warm() -> None:
    for version in _WARM_VERSIONS:
        json_validator(version)


def _check(body: bytes, max_errors: int) -> JsonCheck:
    try:
        return check_json(body, max_errors)
    finally:
        gc.collect()  # the tree was freed by reference counting; this finds little, cheaply


class CheckProcess:
    """The second process, started on first use (or by :meth:`warm`) and restarted after a
    failure. Safe to call from several threads."""

    def __init__(self, max_bytes: int = DEFAULT_SBOM_CHECK_MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.max_bytes = max_bytes  # set from the settings by the app and the worker

    def __call__(self, body: bytes, max_errors: int) -> Callable[[], JsonCheck] | None:
        """A :data:`sbom.json_check.JsonChecker`: None (check in the caller) outside the sizes
        above."""
        if not MIN_CHECK_BYTES <= len(body) <= self.max_bytes:
            return None
        future = self._submit(body, max_errors)
        if future is None:
            return None

        def answer() -> JsonCheck:
            try:
                return future.result()
            except BrokenProcessPool:
                # Killed (the OOM killer, an operator): the next upload starts a new one.
                log.warning("the SBOM check process ended; checking here instead")
                self._discard()
                return check_json(body, max_errors)

        return answer

    def warm(self) -> None:
        """Start the process and build its validators now, not during the first upload (unless
        it is turned off)."""
        if self.max_bytes >= MIN_CHECK_BYTES:
            self._submit_call(_warm)

    def _submit(self, body: bytes, max_errors: int) -> Future[JsonCheck] | None:
        return self._submit_call(_check, body, max_errors)

    def _submit_call(self, fn: Callable[..., T], *args: object) -> Future[T] | None:
        with self._lock:
            try:
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(
                        max_workers=1,
                        mp_context=multiprocessing.get_context("spawn"),
                        initializer=_start_child,
                    )
                return self._pool.submit(fn, *args)
            except (BrokenProcessPool, RuntimeError, OSError) as exc:
                log.warning("no SBOM check process (%s); checking here instead", exc)
                self._discard_locked()
                return None

    def _discard(self) -> None:
        with self._lock:
            self._discard_locked()

    def _discard_locked(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def stop(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# One per process: the server's (each of `serve --workers N`), the job worker's, the CLI's.
shared_check_process = CheckProcess()
