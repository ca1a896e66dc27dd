"""The audit chain's pure rules: the exact bytes hashed, and each kind of broken link."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from procurement.audit_chain import (
    GENESIS,
    Break,
    ChainHead,
    EventFields,
    StoredEvent,
    as_stored_json,
    canonical,
    event_hash,
    walk,
)

FIELDS = EventFields(
    occurred_at=datetime(2026, 11, 28, 8, 30, 0, 120000, tzinfo=timezone(timedelta(hours=8))),
    actor_token_id=3,
    actor_name="采购 buyer",
    actor_role="procurement",
    operator_id=1,
    action="vendor.updated",
    object_type="Vendor",
    object_id=7,
    before={"name": "Old", "country": "CN"},
    after={"name": "New", "country": "CN", "value": "98000.10"},
)


def test_the_canonical_form_is_sorted_compact_utf8_json_in_utc() -> None:
    # when serialising the event as the second of its chain
    data = canonical(FIELDS, 2, "ab" * 32)
    # then it is exactly this: sorted keys, no spaces, UTC with microseconds, UTF-8 kept
    assert (
        data
        == (
            '{"action":"vendor.updated","actor":{"name":"采购 buyer","role":"procurement",'
            '"token_id":3},"after":{"country":"CN","name":"New","value":"98000.10"},'
            '"before":{"country":"CN","name":"Old"},"object":{"id":7,"type":"Vendor"},'
            '"occurred_at":"2026-11-28T00:30:00.120000Z","operator_id":1,'
            f'"prev":"{"ab" * 32}","seq":2,"v":1}}'
        ).encode()
    )
    assert event_hash(FIELDS, 2, "ab" * 32) == hashlib.sha256(data).hexdigest()


def test_every_field_and_the_place_in_the_chain_change_the_hash() -> None:
    base = event_hash(FIELDS, 1, GENESIS)
    variants = [
        replace(FIELDS, occurred_at=FIELDS.occurred_at + timedelta(microseconds=1)),
        replace(FIELDS, actor_token_id=None),
        replace(FIELDS, actor_name="x"),
        replace(FIELDS, actor_role="admin"),
        replace(FIELDS, operator_id=2),
        replace(FIELDS, action="vendor.registered"),
        replace(FIELDS, object_type="Purchase"),
        replace(FIELDS, object_id=8),
        replace(FIELDS, before=None),
        replace(FIELDS, after={"name": "New"}),
    ]
    hashes = {event_hash(v, 1, GENESIS) for v in variants}
    hashes |= {event_hash(FIELDS, 2, GENESIS), event_hash(FIELDS, 1, "1" * 64)}
    assert len(hashes) == 12 and base not in hashes


def test_key_order_does_not_change_the_hash_and_stored_json_is_what_comes_back() -> None:
    reordered = replace(FIELDS, after={"value": "98000.10", "country": "CN", "name": "New"})
    assert event_hash(reordered, 1, GENESIS) == event_hash(FIELDS, 1, GENESIS)
    assert as_stored_json({"ids": (1, 2), 3: "x"}) == {"ids": [1, 2], "3": "x"}


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        canonical(replace(FIELDS, occurred_at=datetime(2026, 1, 1)), 1, GENESIS)


def _chain(n: int) -> list[StoredEvent]:
    events, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = replace(FIELDS, object_id=seq, occurred_at=datetime(2026, 1, seq, tzinfo=UTC))
        digest = event_hash(fields, seq, prev)
        events.append(StoredEvent(100 + seq, fields, seq, prev, digest))
        prev = digest
    return events


def _outcome(events: list[StoredEvent], head: ChainHead | None) -> tuple[int, str]:
    report = walk(1, events, head)
    return report.events, report.message


def test_an_intact_chain_reports_its_length_and_last_hash() -> None:
    events = _chain(4)
    report = walk(1, events, ChainHead(4, events[-1].hash or ""))
    assert (report.intact, report.events, report.head_hash) == (True, 4, events[-1].hash)
    assert walk(None, [], None).intact


def test_each_kind_of_tampering_is_named_at_the_first_broken_link() -> None:
    events = _chain(5)
    head = ChainHead(5, events[-1].hash or "")
    changed = [*events[:2], replace(events[2], fields=replace(FIELDS, action="x")), *events[3:]]
    assert _outcome(changed, head) == (
        3,
        "event 103: content changed: its fields do not match its stored hash",
    )
    assert _outcome([*events[:1], *events[3:]], head) == (
        2,
        "event 104: event missing: sequence numbers 2 to 3 absent before sequence 4",
    )
    unsealed = replace(events[0], id=200, seq=None, prev_hash=None, hash=None)
    assert _outcome([unsealed, *events], head) == (
        1,
        "event 200: event inserted: it has no sequence number or hash",
    )
    duplicate = replace(events[1], id=201)
    assert _outcome([*events[:2], duplicate, *events[2:]], head) == (
        3,
        "event 201: event inserted: sequence number 2 is taken by event 102",
    )
    relinked = [*events[:3], replace(events[3], prev_hash="e" * 64), *events[4:]]
    relinked[3] = replace(relinked[3], hash=event_hash(relinked[3].fields, 4, "e" * 64))
    assert _outcome(relinked, None)[1] == (
        "event 104: broken link: its previous hash is not that of event 103"
    )
    assert _outcome(events[:4], head) == (
        4,
        "chain head mismatch: the head is at sequence 5, the last event (104) at 4",
    )
    assert _outcome(events, ChainHead(5, "0" * 64)) == (
        5,
        "chain head mismatch: the head's hash is not that of the last event (105)",
    )
    assert _outcome(events, None)[1] == (
        "chain head mismatch: no head is recorded, the last event is 105"
    )
    assert _outcome([], head) == (
        0,
        "chain head mismatch: the head is at sequence 5, the chain has no events",
    )
    assert walk(1, events[:4], head).problem is Break.HEAD_MISMATCH
