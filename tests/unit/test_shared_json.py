"""procurement.shared_json: one decode per distinct text, bounded."""

from __future__ import annotations

import json

import pytest

from procurement import shared_json
from procurement.shared_json import decode_shared


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    shared_json.clear()


def test_the_same_text_is_decoded_once_and_the_value_shared() -> None:
    # given a findings text as the database returns it, twice (two distinct str objects)
    text = json.dumps([{"rule_id": "FOREIGN_CONTROL", "severity": "HIGH", "factor": 2}])
    again = "".join([text[:5], text[5:]])
    assert again is not text

    # when both are decoded
    first, second = decode_shared(text), decode_shared(again)

    # then the value is the decoded JSON, and the second answer is the first object itself
    assert first == [{"rule_id": "FOREIGN_CONTROL", "severity": "HIGH", "factor": 2}]
    assert second is first


def test_a_different_text_never_gets_an_earlier_value() -> None:
    # given one text decoded
    decode_shared('{"verdict": "YES"}')

    # when a text that differs in one character is decoded
    value = decode_shared('{"verdict": "NO"}')

    # then it has its own value
    assert value == {"verdict": "NO"}


def test_null_is_none() -> None:
    assert decode_shared(None) is None


def test_values_like_json_loads_for_every_json_kind() -> None:
    # given texts with each kind of JSON value, numbers beyond 64 bits included
    texts = ["[]", "{}", '"text"', "0", "-12.5", "123456789012345678901234567890", "true", "null"]

    # when decoded, then each equals json.loads (a "null" text is decoded, not taken as absent)
    assert [decode_shared(t) for t in texts] == [json.loads(t) for t in texts]


def test_the_oldest_entry_goes_when_the_cache_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a cache of two entries, filled
    monkeypatch.setattr(shared_json, "MAX_ENTRIES", 2)
    oldest = decode_shared("[1]")
    kept = decode_shared("[2]")

    # when a third text comes
    decode_shared("[3]")

    # then the oldest is decoded anew (a new object) and the younger one is still shared
    assert decode_shared("[2]") is kept
    assert decode_shared("[1]") is not oldest


def test_a_large_document_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a bound of 10 characters
    monkeypatch.setattr(shared_json, "MAX_CACHED_TEXT", 10)
    text = '["0123456789"]'

    # when it is decoded twice, then each decode is its own object
    assert decode_shared(text) == ["0123456789"]
    assert decode_shared(text) is not decode_shared(text)
