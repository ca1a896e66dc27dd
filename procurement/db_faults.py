"""Telling "the database cannot take this now" (read-only, full, locked, restarting, gone) from
a bug, so that callers get a 503 they can retry instead of an internal error, and the health
probe can say what is wrong. The state is per process: each app process learns it from its own
requests and probes, logs a change once, and forgets it once a write succeeds again."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

log = logging.getLogger("procurement.database")

RETRY_AFTER_SECONDS = 5


class Unavailability(StrEnum):
    READ_ONLY = "read-only"
    FULL = "full"
    LOCKED = "busy"
    UNREACHABLE = "unreachable"


_MESSAGES = {
    Unavailability.READ_ONLY: "the database is read-only just now",
    Unavailability.FULL: "the database's disk is full",
    Unavailability.LOCKED: "the database is busy with other writes",
    Unavailability.UNREACHABLE: "the database cannot be reached",
}

# SQLite result names and PostgreSQL SQLSTATEs (and their classes) that mean "not now".
_SQLITE = {
    "SQLITE_READONLY": Unavailability.READ_ONLY,
    "SQLITE_READONLY_DBMOVED": Unavailability.READ_ONLY,
    "SQLITE_FULL": Unavailability.FULL,
    "SQLITE_IOERR": Unavailability.UNREACHABLE,
    "SQLITE_CANTOPEN": Unavailability.UNREACHABLE,
    "SQLITE_BUSY": Unavailability.LOCKED,
    "SQLITE_LOCKED": Unavailability.LOCKED,
}
_SQLITE_TEXT = {
    "readonly database": Unavailability.READ_ONLY,
    "database or disk is full": Unavailability.FULL,
    "database is locked": Unavailability.LOCKED,
    "disk i/o error": Unavailability.UNREACHABLE,
    "unable to open database file": Unavailability.UNREACHABLE,
}
_POSTGRES = {
    "25006": Unavailability.READ_ONLY,  # read_only_sql_transaction
    "53100": Unavailability.FULL,  # disk_full
    "55P03": Unavailability.LOCKED,  # lock_not_available
    "57P01": Unavailability.UNREACHABLE,  # admin_shutdown
    "57P02": Unavailability.UNREACHABLE,  # crash_shutdown
    "57P03": Unavailability.UNREACHABLE,  # cannot_connect_now (starting up)
}
_POSTGRES_CLASSES = {"08": Unavailability.UNREACHABLE, "53": Unavailability.FULL}


def classify(error: BaseException) -> Unavailability | None:
    """What kind of "not now" ``error`` is, or None when it is something else (a bug)."""
    if isinstance(error, PoolTimeout):
        # Every pooled connection stayed busy past the pool's timeout: the server is overloaded,
        # which a client should retry like a busy database, not an internal error.
        return Unavailability.LOCKED
    original = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return Unavailability.UNREACHABLE
    name = getattr(original, "sqlite_errorname", None)
    if isinstance(name, str):
        base = "_".join(name.split("_")[:2])
        if base in _SQLITE:
            return _SQLITE[base]
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if isinstance(sqlstate, str):
        return _POSTGRES.get(sqlstate) or _POSTGRES_CLASSES.get(sqlstate[:2])
    text = str(original).lower()
    found = next((kind for phrase, kind in _SQLITE_TEXT.items() if phrase in text), None)
    if found is not None:
        return found
    if isinstance(original, OSError) or isinstance(getattr(original, "__cause__", None), OSError):
        # refused, reset or timed out (procurement.db wraps the driver's bare OSError on connect)
        return Unavailability.UNREACHABLE
    return None


def explain(kind: Unavailability) -> str:
    return f"{_MESSAGES[kind]}; nothing was changed: retry in a little while"


@dataclass
class DatabaseState:
    """What this process last learnt of its database: a condition seen by a request, until a
    write succeeds again. Changes are logged once, not on every failing request."""

    condition: Unavailability | None = None
    since: float = 0.0

    def failed(self, kind: Unavailability) -> None:
        if self.condition is not kind:
            log.error("database unavailable: %s", _MESSAGES[kind])
            self.condition, self.since = kind, time.monotonic()

    def wrote(self) -> None:
        if self.condition is not None:
            log.warning("database available again (was %s)", self.condition.value)
            self.condition = None


def sqlite_file_condition(path: str) -> Unavailability | None:
    """What the filesystem says about a SQLite file, without writing: a read-only mount, or
    less free space than a page write needs."""
    folder = Path(path).expanduser().resolve().parent
    try:
        stats = os.statvfs(folder)
    except OSError:
        return Unavailability.UNREACHABLE
    if stats.f_flag & os.ST_RDONLY:
        return Unavailability.READ_ONLY
    if stats.f_bavail * stats.f_frsize < 1024 * 1024:
        return Unavailability.FULL
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        return Unavailability.READ_ONLY
    return None


def track_writes(
    factory: async_sessionmaker[AsyncSession], state: DatabaseState
) -> async_sessionmaker[AsyncSession]:
    """Let sessions of ``factory`` tell ``state`` when a write went through again."""
    info: dict[Any, Any] = dict(factory.kw.get("info") or {})
    info["database_state"] = state
    factory.configure(info=info)
    return factory


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info["database_wrote"] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop("database_wrote", False):
        state = session.info.get("database_state")
        if isinstance(state, DatabaseState):
            state.wrote()
