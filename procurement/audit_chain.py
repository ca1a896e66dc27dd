"""The audit log's hash chains: what is hashed, and how a chain is checked (pure: no database).

Every audit event belongs to the chain of its operator (events with no operator form one chain
of their own, key ``None``). Its hash is SHA-256, in lowercase hex, of the UTF-8 bytes of this
canonical JSON object (keys sorted, no whitespace, non-ASCII characters kept as they are)::

    {"action": ..., "actor": {"name": ..., "role": ..., "token_id": ...},
     "after": ..., "before": ..., "object": {"id": ..., "type": ...},
     "occurred_at": "YYYY-MM-DDTHH:MM:SS.ffffffZ", "operator_id": ...,
     "prev": <previous event's hash>, "seq": <1, 2, 3... within the chain>, "v": 1}

``before`` and ``after`` are nested the same way (sorted keys, the JSON the database stores).
The first event of a chain has ``prev`` = 64 zeros. The event's database id is not hashed (it
is assigned after the hash); its place is its ``seq``. Whoever can rewrite rows can also
recompute hashes: the chain makes tampering *evident* to anyone who kept an earlier head hash
(``procurement audit verify`` prints them), and a deleted or altered row breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

GENESIS = "0" * 64
VERSION = 1


@dataclass(frozen=True)
class EventFields:
    """What of an event is hashed, besides its place in the chain."""

    occurred_at: datetime
    actor_token_id: int | None
    actor_name: str
    actor_role: str
    operator_id: int | None
    action: str
    object_type: str
    object_id: int | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back from the database, with its chain columns (None: never sealed)."""

    id: int
    fields: EventFields
    seq: int | None
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


class Break(Enum):
    CONTENT_CHANGED = "content changed"
    EVENT_MISSING = "event missing"
    EVENT_INSERTED = "event inserted"
    BROKEN_LINK = "broken link"
    HEAD_MISMATCH = "chain head mismatch"


@dataclass(frozen=True)
class ChainReport:
    operator_id: int | None
    events: int
    head_hash: str | None  # the last event's stored hash
    event_id: int | None = None  # the first broken link, when there is one
    problem: Break | None = None
    detail: str = ""

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        """The first broken link in words, or '' when the chain is intact."""
        if self.problem is None:
            return ""
        where = f"event {self.event_id}: " if self.event_id is not None else ""
        return f"{where}{self.problem.value}: {self.detail}"


def utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; audit times are timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: EventFields, seq: int, prev_hash: str) -> bytes:
    """The exact bytes that are hashed (see the module docstring)."""
    document = {
        "v": VERSION,
        "seq": seq,
        "prev": prev_hash,
        "occurred_at": utc_iso(fields.occurred_at),
        "actor": {
            "token_id": fields.actor_token_id,
            "name": fields.actor_name,
            "role": fields.actor_role,
        },
        "operator_id": fields.operator_id,
        "action": fields.action,
        "object": {"type": fields.object_type, "id": fields.object_id},
        "before": fields.before,
        "after": fields.after,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def event_hash(fields: EventFields, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(canonical(fields, seq, prev_hash)).hexdigest()


def as_stored_json(value: Mapping[Any, Any] | None) -> Any:
    """``value`` as the database gives it back: JSON-encoded and decoded (tuples become lists,
    keys become strings), so the hash written equals the hash recomputed from the stored row."""
    return None if value is None else json.loads(json.dumps(value))


class ChainWalker:
    """Checks one chain fed event by event (in order of sequence number, unsealed ones first,
    then id), so that a long chain is streamed rather than held in memory."""

    def __init__(self, operator_id: int | None) -> None:
        self.operator_id = operator_id
        self.count = 0
        self._last: StoredEvent | None = None
        self._broken: ChainReport | None = None

    def feed(self, event: StoredEvent) -> bool:
        """Check the next event; False once the chain is broken (the rest need not be read)."""
        if self._broken is not None:
            return False
        self.count += 1
        last = self._last
        problem = _check(event, last, 1 if last is None else (last.seq or 0) + 1)
        if problem is not None:
            kind, detail = problem
            self._broken = ChainReport(self.operator_id, self.count, None, event.id, kind, detail)
            return False
        self._last = event
        return True

    def finish(self, head: ChainHead | None) -> ChainReport:
        """The first broken link, or the chain's length and last hash when it is intact."""
        if self._broken is not None:
            return self._broken
        last = self._last
        last_hash = None if last is None else last.hash
        mismatch = _head_mismatch(last, head)
        if mismatch is not None:
            return ChainReport(
                self.operator_id, self.count, last_hash, None, Break.HEAD_MISMATCH, mismatch
            )
        return ChainReport(self.operator_id, self.count, last_hash)


def walk(
    operator_id: int | None, events: Iterable[StoredEvent], head: ChainHead | None
) -> ChainReport:
    """Check a whole chain at once (see :class:`ChainWalker`)."""
    walker = ChainWalker(operator_id)
    for event in events:
        if not walker.feed(event):
            break
    return walker.finish(head)


def _check(event: StoredEvent, last: StoredEvent | None, expected: int) -> tuple[Break, str] | None:
    if event.seq is None or event.hash is None or event.prev_hash is None:
        return Break.EVENT_INSERTED, "it has no sequence number or hash"
    if event.seq < expected:
        taken = f"event {last.id}" if last is not None else "another event"
        return Break.EVENT_INSERTED, f"sequence number {event.seq} is taken by {taken}"
    if event.seq > expected:
        gap = (
            f"number {expected}"
            if event.seq == expected + 1
            else f"numbers {expected} to {event.seq - 1}"
        )
        return Break.EVENT_MISSING, f"sequence {gap} absent before sequence {event.seq}"
    if event_hash(event.fields, event.seq, event.prev_hash) != event.hash:
        return Break.CONTENT_CHANGED, "its fields do not match its stored hash"
    previous = GENESIS if last is None else last.hash
    if event.prev_hash != previous:
        before = "the start of the chain" if last is None else f"event {last.id}"
        return Break.BROKEN_LINK, f"its previous hash is not that of {before}"
    return None


def _head_mismatch(last: StoredEvent | None, head: ChainHead | None) -> str | None:
    last_seq = 0 if last is None else last.seq
    if head is None:
        return None if last is None else f"no head is recorded, the last event is {last.id}"
    if last is None:
        return f"the head is at sequence {head.seq}, the chain has no events"
    if head.seq != last_seq:
        return f"the head is at sequence {head.seq}, the last event ({last.id}) at {last_seq}"
    if head.hash != last.hash:
        return f"the head's hash is not that of the last event ({last.id})"
    return None
