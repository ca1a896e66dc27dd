"""The principals of recently verified API tokens, kept a few seconds per process.

Every API request presents its token; looking it up costs a statement (and, on SQLite, a thread
hop) per request. A verified principal is kept here by the secret's hash for
``PROCUREMENT_TOKEN_CACHE_SECONDS`` (0: no cache). Unknown secrets are never kept, so failed
attempts still reach the database and the throttle.

A revocation through the domain actions forgets the token at once in this process; another
process notices within the cache's lifetime. Expiry is checked on every hit (the entry keeps the
expiry time), so an expired token is refused at once everywhere.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from procurement.permissions import Principal

MAX_ENTRIES = 10_000  # one entry per live token; an LRU bound so a process cannot grow without end


@dataclass(frozen=True, slots=True)
class CachedToken:
    principal: Principal
    expires_at: datetime | None
    stored_at: float  # time.monotonic() when the token was read from the database


_entries: OrderedDict[str, CachedToken] = OrderedDict()


def recall(secret_hash: str, ttl_seconds: float) -> CachedToken | None:
    """The cached token for a hash, when it was read less than ``ttl_seconds`` ago."""
    if ttl_seconds <= 0:
        return None
    entry = _entries.get(secret_hash)
    if entry is None:
        return None
    if time.monotonic() - entry.stored_at >= ttl_seconds:
        del _entries[secret_hash]
        return None
    _entries.move_to_end(secret_hash)
    return entry


def remember(
    secret_hash: str, principal: Principal, expires_at: datetime | None, ttl_seconds: float
) -> None:
    if ttl_seconds <= 0:
        return
    _entries[secret_hash] = CachedToken(principal, expires_at, time.monotonic())
    _entries.move_to_end(secret_hash)
    while len(_entries) > MAX_ENTRIES:
        _entries.popitem(last=False)


def forget_token(token_id: int) -> None:
    """Drop a revoked token (called by the action that revokes it)."""
    _forget(lambda p: p.token_id == token_id)


def forget_account(account_id: int) -> None:
    """Drop every token of an account whose tokens were revoked."""
    _forget(lambda p: p.account_id == account_id)


def forget_all() -> None:
    _entries.clear()


def _forget(matches: Callable[[Principal], bool]) -> None:
    for key in [k for k, e in _entries.items() if matches(e.principal)]:
        del _entries[key]
